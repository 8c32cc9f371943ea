"""Issue 16 finding 7: the session is kept on the server, the cookie holds only a signed
token; sessions expire, end for real at sign-out, get a new token at sign-in, and a
cookie of the earlier kind is taken over without losing anything; on both databases."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeSerializer
from sqlalchemy import select, update

from runtime.sessionstore import SALT
from runtime.storage.models import BrowserSession, PersonSession

from .resident_support import PET, Browser
from .resident_support import app, browser  # noqa: F401  (shared fixtures)
from .support_documents import CODE_A, dev_sign_in
from .test_session_cookie import startable


def cookie(browser: Browser) -> str | None:
    found = browser.client.get_cookie("pkip_session")
    return found.value if found else None


def stored_sessions(app) -> list[BrowserSession]:
    with app.extensions["pkip"].database.sessions() as session:
        return list(session.scalars(select(BrowserSession)))


def token_of(app, value: str) -> str:
    return URLSafeSerializer(app.secret_key, salt=SALT).loads(value)


def test_the_cookie_holds_only_a_signed_token_and_the_data_is_on_the_server(app, browser):
    browser.start()
    value = cookie(browser)
    [row] = stored_sessions(app)
    token = token_of(app, value)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert PET.strip("/") in row.data["resident"] and "resident" not in value
    assert len(value) < 100


def test_the_cookie_stays_the_same_however_many_services_are_started(app, browser):
    bases = startable(40)
    for base in bases:
        browser.post(f"{base}/start", status=302)
    assert len(cookie(browser)) < 100 and len(stored_sessions(app)) == 1
    for base in (bases[0], bases[-1]):      # every draft goes on, the first one too
        assert browser.client.get(f"{base}/continue").status_code == 302


def test_a_visitor_who_only_reads_pages_costs_no_row(app, browser):
    response = browser.client.get("/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert stored_sessions(app) == []


def test_a_static_file_does_not_read_the_session(app, browser, monkeypatch):
    import runtime.sessionstore as store

    browser.start()
    reads = []
    monkeypatch.setattr(store, "load_session", lambda *args: reads.append(args))
    assert browser.client.get("/static/css/site.css").status_code == 200
    assert reads == [] and "Set-Cookie" not in browser.client.get("/static/css/site.css").headers
    browser.client.get(f"{PET}/continue")
    assert len(reads) == 1


def test_a_tampered_or_unknown_cookie_opens_nothing(app, browser):
    browser.start()
    signer = URLSafeSerializer(app.secret_key, salt=SALT)
    for value in (cookie(browser) + "x", signer.dumps("a-token-nobody-was-given")):
        other = Browser(app)
        other.client.set_cookie("pkip_session", value)
        assert other.client.get(f"{PET}/continue").status_code == 404


def test_sign_in_gives_a_new_token_and_sign_out_ends_the_session_for_real(app_config):
    from .support_documents import real_app

    app = real_app(app_config, env="development", dev_signin=True)
    try:
        client = app.test_client()
        client.get("/signin/dev")
        before = client.get_cookie("pkip_session").value
        dev_sign_in(client, CODE_A)
        signed_in = client.get_cookie("pkip_session").value
        assert signed_in != before, "a planted token must not become the signed-in session"
        assert len(stored_sessions(app)) == 1, "the token from before sign-in opens nothing now"
        page = client.get("/my/").get_data(as_text=True)
        client.post("/signout", data={"csrf_token": _csrf(page)})
        assert all(row.token_hash != hashlib.sha256(token_of(app, signed_in).encode()).hexdigest()
                   for row in stored_sessions(app))
        copy = app.test_client()
        copy.set_cookie("pkip_session", signed_in)
        assert copy.get("/my/").status_code == 302, "a copy of the cookie saved before sign-out opens nothing"
    finally:
        app.extensions["pkip"].database.dispose()


def _csrf(html: str) -> str:
    import re
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_a_session_ends_after_its_days_without_a_request(app, browser):
    browser.start()
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(BrowserSession).values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert browser.client.get(f"{PET}/continue").status_code == 404


def test_reading_pages_moves_the_end_on_at_most_once_an_hour(app, browser):
    browser.start()
    [first] = stored_sessions(app)
    browser.client.get(f"{PET}/continue")
    [same] = stored_sessions(app)
    assert same.updated_at == first.updated_at, "no write for a page read within the hour"
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(BrowserSession).values(expires_at=datetime.now(timezone.utc) + timedelta(days=6)))
    browser.client.get(f"{PET}/continue")
    [moved] = stored_sessions(app)
    expires = moved.expires_at if moved.expires_at.tzinfo else moved.expires_at.replace(tzinfo=timezone.utc)
    assert expires > datetime.now(timezone.utc) + timedelta(days=6, hours=23)


def test_a_cookie_of_the_earlier_kind_is_taken_over_once_and_nothing_is_lost(app, browser):
    browser.start()
    [row] = stored_sessions(app)
    earlier = SecureCookieSessionInterface().get_signing_serializer(app).dumps(dict(row.data))
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(BrowserSession.__table__.delete())
    returning = Browser(app)
    returning.client.set_cookie("pkip_session", earlier)
    response = returning.client.get(f"{PET}/continue")
    assert response.status_code == 302 and "/apply/" in response.headers["Location"]
    new_value = cookie(returning)
    assert new_value != earlier and isinstance(token_of(app, new_value), str)
    [migrated] = stored_sessions(app)
    assert migrated.data["resident"] == row.data["resident"]
    assert returning.client.get(f"{PET}/continue").status_code == 302      # on the new cookie now
    assert len(stored_sessions(app)) == 1


def test_the_sign_in_generation_is_read_with_the_session_and_still_ends_every_copy(app_config, monkeypatch):
    """One read per request for the session and the person's sign-in generation (the
    generation through the code hash the session holds): no second read, and a sign-out on
    one device still ends the other device's session, on both databases."""
    import runtime.identity as identity

    from .support_documents import real_app

    app = real_app(app_config, env="development", dev_signin=True)
    try:
        phone, laptop = app.test_client(), app.test_client()
        for device in (phone, laptop):
            dev_sign_in(device, CODE_A)
        reads = []
        monkeypatch.setattr(identity, "current_generation", lambda *args: reads.append(args) or 0)
        page = phone.get("/my/")
        assert page.status_code == 200 and laptop.get("/my/").status_code == 200
        phone.post("/signout", data={"csrf_token": _csrf(page.get_data(as_text=True))})
        reads_at_sign_out = len(reads)
        assert laptop.get("/my/").status_code == 302, "signing out on the phone ends the laptop's session"
        assert reads_at_sign_out == 0 and len(reads) == 0, "the generation came with the session"
    finally:
        app.extensions["pkip"].database.dispose()


def test_the_drivers_own_read_gives_what_sqlalchemys_read_gives(app, monkeypatch):
    """`load_session` reads by the driver's cursor; `_LOAD` through SQLAlchemy Core is the
    reference, for every kind of row: signed in with and without a sign-in generation,
    not signed in, a person entry of the wrong shape, ended, and no row at all."""
    import runtime.cases.browser_sessions as sessions

    database = app.extensions["pkip"].database
    assert database.dialect in sessions._LOAD_SQL, "the driver's read is the one in use"
    now = datetime(2026, 12, 2, 6, 40, tzinfo=timezone.utc)
    with database.engine.begin() as connection:
        connection.execute(PersonSession.__table__.insert(), [{"person_code_hash": "h" * 64, "generation": 3}])
    rows = {"generation": {"person": {"hash": "h" * 64, "name": "Jānis"}, "resident": ["ā", 1, None]},
            "no generation": {"person": {"hash": "g" * 64}}, "not signed in": {"resident": {"x": True}},
            "odd person": {"person": "h" * 64}, "ended": {"person": {"hash": "h" * 64}}}
    for token, data in rows.items():
        ends = now - timedelta(seconds=1) if token == "ended" else now + timedelta(days=3, microseconds=7)
        sessions.save_session(database, token, data, now=now, expires_at=ends)
    for token in (*rows, "no row"):
        through_the_driver = sessions.load_session(database, token, now)
        with monkeypatch.context() as patched:
            patched.setattr(sessions, "_LOAD_SQL", {})
            through_sqlalchemy = sessions.load_session(database, token, now)
        assert through_the_driver == through_sqlalchemy, token
        assert (through_the_driver is None) == (token in ("ended", "no row")), token
    assert sessions.load_session(database, "generation", now).generations == {"h" * 64: 3}
    assert sessions.load_session(database, "no generation", now).generations == {"g" * 64: 0}


def test_a_failed_driver_read_is_wrapped_without_its_values(app):
    from sqlalchemy.exc import DBAPIError

    database = app.extensions["pkip"].database
    secret = "Pērkons-secret-value"
    sql = ("SELECT CAST(%s AS integer)" if database.dialect == "postgresql"
           else "SELECT * FROM no_such_table WHERE name = ?")
    for _ in range(2):                      # the pool still serves reads after a failure
        with pytest.raises(DBAPIError) as failed:
            database.first_row(sql, (secret,))
        assert secret not in str(failed.value) and secret not in str(failed.value.orig)
    assert database.first_row("SELECT 1", ()) == (1,)
