"""The fixed cost of every request made smaller without weakening it (issue 11): the CSRF
token signed by a kept signer is Flask-WTF's token; the security headers added from a
list worked out once are `setdefault`'s headers; the control-character test of a path is
Unicode's category Cc; and the signed-in person's code is decrypted only where a page
reads it, while an altered code, an old sign-in and a sign-out elsewhere still end it."""
from __future__ import annotations

import sys
import time
import unicodedata

import pytest
from flask import Flask, Response, g, session
from flask_wtf.csrf import CSRFProtect, generate_csrf, validate_csrf
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select, update
from wtforms import ValidationError

import runtime.identity as identity
from runtime.csrf_tokens import KeptCSRFProtect, csrf_token, validate_csrf_token
from runtime.sealing import sealed_within
from runtime.security import (CONTROL_CHARACTER, HSTS_SETTING, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY,
                              add_security_headers)
from runtime.storage.models import BrowserSession

from .resident_support import PET
from .support_documents import CODE_A, dev_sign_in, real_app


# --- CSRF: the same token as Flask-WTF's --------------------------------------------

def _csrf_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = "k" * 40
    return app


@pytest.mark.parametrize("stored", [None, "ab" * 20, "a" * 200, "q\"\\ " * 30, "Rīga ", "Rīga " * 30, "", 12345, ["not", "text"], {"a": 1}])
def test_the_kept_signer_gives_flask_wtfs_token(monkeypatch, stored):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.25)
    app = _csrf_app()
    tokens, values = [], []
    for make in (generate_csrf, csrf_token):
        with app.test_request_context("/"):
            if stored is not None:
                session["csrf_token"] = stored if make is generate_csrf or not values else values[0]
            tokens.append(make())
            values.append(session["csrf_token"])
            assert make() is tokens[-1] and generate_csrf() == tokens[-1], "signed once per request"
            if isinstance(values[-1], str) and values[-1].isascii():
                validate_csrf(tokens[-1])   # Flask-WTF accepts it (it compares only ASCII text values)
    if stored is None:                      # a fresh random value each time: compare the form
        assert tokens[0] != tokens[1] and tokens[0].count(".") == tokens[1].count(".") == 2
    else:
        assert tokens[0] == tokens[1] and values[0] == values[1]


def test_the_kept_signer_follows_flask_wtfs_settings(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000)
    app = _csrf_app()
    app.config.update(WTF_CSRF_SECRET_KEY="another key", WTF_CSRF_FIELD_NAME="other_name")
    tokens = []
    for make in (generate_csrf, csrf_token):
        with app.test_request_context("/"):
            session["other_name"] = "cd" * 20
            tokens.append(make())
            assert g.get("other_name") == tokens[-1] and "csrf_token" not in session
    assert tokens[0] == tokens[1]


def _validation_outcome(check, data, stored="ab" * 20, time_limit=None) -> str:
    try:
        check(data) if time_limit is None else check(data, time_limit=time_limit)
    except ValidationError as error:
        return error.args[0]
    return "valid"


@pytest.mark.parametrize("case", ["valid", "missing", "no session value", "expired", "other key", "altered",
                                  "other value", "not a token", "longer limit"])
def test_the_kept_check_of_a_token_is_flask_wtfs(monkeypatch, case):
    app = _csrf_app()
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000)
    with app.test_request_context("/"):
        session["csrf_token"] = "ab" * 20
        token = generate_csrf()
    signed_elsewhere = URLSafeTimedSerializer("o" * 40, salt="wtf-csrf-token").dumps("ab" * 20)
    data = {"missing": "", "other key": signed_elsewhere, "altered": token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
            "not a token": "x.y"}.get(case, token)
    if case in ("expired", "longer limit"):
        monkeypatch.setattr(time, "time", lambda: 1_800_000_000 + 3601)
    outcomes = []
    for check in (validate_csrf, lambda d, **limit: validate_csrf_token(d, **limit)):
        with app.test_request_context("/"):
            if case != "no session value":
                session["csrf_token"] = "cd" * 20 if case == "other value" else "ab" * 20
            outcomes.append(_validation_outcome(check, data, time_limit=7200 if case == "longer limit" else None))
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0] == "valid") == (case in ("valid", "longer limit"))


SESSION_VALUES = ["ab" * 20, "a" * 200, "q\"\\ " * 30, "", 12345, ["not", "text"], "ā"]
AGES = {"fresh": 0, "at the limit": 3600, "one over": 3601, "signed later": -1}


@pytest.mark.parametrize("age", list(AGES))
@pytest.mark.parametrize("stored", SESSION_VALUES)
@pytest.mark.parametrize("limit", ["default", None, 60])
def test_the_sessions_own_token_is_judged_as_flask_wtf_judges_it(monkeypatch, age, stored, limit):
    """`validate_csrf_token` knows the session's own token by signing its value again at
    the token's time (no itsdangerous): over values that compress and that do not, values
    that are no text, ages at and past the limit, a token signed later than now, no limit
    and a short one, the outcome is Flask-WTF's `validate_csrf`'s; it fails if the age is
    checked otherwise or a token of another value or time passes."""
    app = _csrf_app()
    if limit != "default":
        app.config["WTF_CSRF_TIME_LIMIT"] = limit
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000)
    with app.test_request_context("/"):
        session["csrf_token"] = stored
        token = generate_csrf()
        stored = session["csrf_token"]      # Flask-WTF replaces a value that is no JSON
    tokens = {"own": token, "a second later": None, "altered time": None}
    with app.test_request_context("/"):
        monkeypatch.setattr(time, "time", lambda: 1_800_000_001)
        session["csrf_token"] = stored
        tokens["a second later"] = generate_csrf()
    payload, stamp, signature = token.rsplit(".", 2)
    tokens["altered time"] = ".".join([payload, stamp[:-1] + ("A" if stamp[-1] != "A" else "B"), signature])
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000 + AGES[age])
    for name, data in tokens.items():
        outcomes = []
        for check in (validate_csrf, validate_csrf_token):
            with app.test_request_context("/"):
                session["csrf_token"] = stored
                try:
                    outcomes.append(_validation_outcome(check, data))
                except TypeError as error:      # Flask-WTF's compare_digest of what is no ASCII text
                    outcomes.append(f"TypeError: {error}")
        assert outcomes[0] == outcomes[1], (name, outcomes)
        if type(stored) is not str or not stored.isascii():
            continue
        assert (outcomes[0] == "valid") == (name != "altered time" and (
            limit is None or 0 <= AGES[age] - (name == "a second later") <= (3600 if limit == "default" else limit)))


def test_the_sessions_own_token_is_checked_without_itsdangerous(monkeypatch):
    """The fast path is taken for the session's own token (a token of another key still
    goes through itsdangerous)."""
    app = _csrf_app()
    with app.test_request_context("/"):
        session["csrf_token"] = "ab" * 20
        token = csrf_token()
    opened = []
    original = URLSafeTimedSerializer.loads
    monkeypatch.setattr(URLSafeTimedSerializer, "loads", lambda self, *a, **k: opened.append(1) or original(self, *a, **k))
    with app.test_request_context("/"):
        session["csrf_token"] = "ab" * 20
        assert _validation_outcome(validate_csrf_token, token) == "valid" and not opened
        elsewhere = URLSafeTimedSerializer("o" * 40, salt="wtf-csrf-token").dumps("ab" * 20)
        assert _validation_outcome(validate_csrf_token, elsewhere) == "The CSRF token is invalid." and opened


def _protected_app(protect_class) -> Flask:
    app = _csrf_app()
    protect = protect_class(app)

    @app.route("/form", methods=["GET", "POST"])
    def form():
        return f"{bool(g.get('csrf_valid'))}"

    @app.route("/hook", methods=["POST"])
    @protect.exempt
    def hook():
        return "exempt"

    @app.route("/token")
    def token():
        return generate_csrf()
    return app


@pytest.mark.parametrize("request_case", [
    ("GET", "/form", {}, {}), ("POST", "/form", {"csrf_token": "TOKEN"}, {}), ("POST", "/form", {}, {}),
    ("POST", "/form", {}, {"X-CSRFToken": "TOKEN"}), ("POST", "/form", {"csrf_token": "TOKENx"}, {}),
    ("POST", "/hook", {}, {}), ("POST", "/nowhere", {}, {}), ("GET", "/hook", {}, {}), ("GET", "/nowhere", {}, {}),
    ("HEAD", "/form", {}, {}), ("DELETE", "/form", {}, {}), ("DELETE", "/hook", {}, {}), ("PUT", "/nowhere", {}, {}),
    ("POST", "https://localhost/form", {"csrf_token": "TOKEN"}, {}),
    ("POST", "https://localhost/form", {"csrf_token": "TOKEN"}, {"Referer": "https://elsewhere/"}),
    ("POST", "https://localhost/form", {"csrf_token": "TOKEN"}, {"Referer": "https://localhost/page"}),
])
def test_the_kept_csrf_protect_answers_as_flask_wtfs(request_case):
    method, path, data, headers = request_case
    answers = []
    for protect_class in (CSRFProtect, KeptCSRFProtect):
        client = _protected_app(protect_class).test_client()
        token = client.get("/token").get_data(as_text=True)
        fill = lambda values: {k: v.replace("TOKEN", token) for k, v in values.items()}
        response = client.open(path, method=method, data=fill(data), headers=fill(headers))
        answers.append((response.status_code, response.get_data(as_text=True)))
    assert answers[0] == answers[1]


# --- security headers: what setdefault gave -----------------------------------------

def _by_setdefault(response: Response, hsts: bool) -> Response:
    """The earlier `add_security_headers`, word for word."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@pytest.mark.parametrize("hsts", [False, True])
@pytest.mark.parametrize("mimetype", ["text/html", "application/pdf", "application/json"])
@pytest.mark.parametrize("own", [{}, {"content-security-policy": "sandbox", "Cache-Control": "private"},
                                 {"X-FRAME-OPTIONS": "SAMEORIGIN", "Strict-Transport-Security": "max-age=1"}])
def test_security_headers_are_those_setdefault_gave(hsts, mimetype, own):
    app = _csrf_app()
    app.config[HSTS_SETTING] = hsts
    with app.test_request_context("/"):
        planned, reference = (Response("x", mimetype=mimetype, headers=dict(own)) for _ in range(2))
        assert list(add_security_headers(planned).headers) == list(_by_setdefault(reference, hsts).headers)


def test_control_characters_are_unicodes_category_cc():
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        assert bool(CONTROL_CHARACTER.search(character)) == (unicodedata.category(character) == "Cc"), hex(code)


# --- the person's code decrypted only where it is read --------------------------------

@pytest.fixture
def signed_in(app_config, monkeypatch):
    app = real_app(app_config, env="development", dev_signin=True)
    client = app.test_client()
    dev_sign_in(client, CODE_A)
    decrypted = []
    original = identity._decrypted_person
    monkeypatch.setattr(identity, "_decrypted_person", lambda stored: decrypted.append(1) or original(stored))
    yield app, client, decrypted
    app.extensions["pkip"].database.dispose()


def _person_entry(app) -> dict:
    with app.extensions["pkip"].database.sessions() as db:
        [data] = db.scalars(select(BrowserSession.data)).all()
    return data


def _replace_person_entry(app, **changes) -> None:
    data = _person_entry(app)
    data["person"] = {**data["person"], **changes}
    with app.extensions["pkip"].database.transaction() as db:
        db.execute(update(BrowserSession).values(data=data))


def test_pages_that_show_only_the_name_never_decrypt_the_code(signed_in):
    app, client, decrypted = signed_in
    for path in ("/my/", f"{PET}/"):
        page = client.get(path)
        assert page.status_code == 200 and "Anna" in page.get_data(as_text=True) and "/signout" in page.get_data(as_text=True)
    assert decrypted == []


def test_a_page_that_reads_the_code_decrypts_it_once(signed_in):
    app, client, decrypted = signed_in
    started = client.post(f"{PET}/start", data={"csrf_token": _page_token(client, f"{PET}/")})
    assert started.status_code == 302
    decrypted.clear()
    assert client.get(started.headers["Location"]).status_code == 200
    assert decrypted == [1]


def _page_token(client, path: str) -> str:
    import re
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_an_altered_code_ends_the_sign_in_where_the_code_is_read(signed_in):
    app, client, decrypted = signed_in
    token = _person_entry(app)["person"]["code"]
    _replace_person_entry(app, code=token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:])
    started = client.post(f"{PET}/start", data={"csrf_token": _page_token(client, f"{PET}/")})
    assert started.status_code in (302, 303)
    assert "person" not in _person_entry(app), "the altered sign-in is gone from the session"
    assert "/signout" not in client.get("/my/").get_data(as_text=True)


def test_a_sign_in_older_than_its_hours_ends_even_where_the_code_is_not_read(signed_in):
    app, client, decrypted = signed_in
    secret = app.config["SECRET_KEY"]
    old = identity._fernet(secret).encrypt_at_time(b"16117519997", int(time.time()) - identity.SIGN_IN_HOURS * 3600 - 5).decode()
    _replace_person_entry(app, code=old)
    page = client.get(f"{PET}/")
    assert page.status_code == 200 and "/signout" not in page.get_data(as_text=True) and "Anna" not in page.get_data(as_text=True)
    assert decrypted == [] and "person" not in _person_entry(app)


def test_a_code_sealed_just_within_its_hours_still_holds(signed_in):
    app, client, decrypted = signed_in
    secret = app.config["SECRET_KEY"]
    kept = identity._fernet(secret).encrypt_at_time(b"16117519997", int(time.time()) - identity.SIGN_IN_HOURS * 3600 + 60).decode()
    _replace_person_entry(app, code=kept)
    assert "/signout" in client.get(f"{PET}/").get_data(as_text=True)
    with app.test_request_context("/"):
        assert sealed_within(kept, identity.SIGN_IN_HOURS * 3600)
        assert identity._fernet(secret).decrypt(kept.encode(), ttl=identity.SIGN_IN_HOURS * 3600)


@pytest.mark.parametrize("token", [None, 7, "", "not base64!", "gAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_code_that_is_no_fernet_token_is_no_sign_in(token):
    assert not sealed_within(token, 3600)


# --- the session cookie's signer, kept ------------------------------------------------

def test_the_kept_session_signer_signs_and_checks_as_a_fresh_one(monkeypatch):
    from itsdangerous import BadSignature, URLSafeSerializer

    from runtime.sessionstore import SALT, _signer_for

    kept, fresh = _signer_for("s" * 40), URLSafeSerializer("s" * 40, salt=SALT)
    assert _signer_for("s" * 40) is kept
    for token in ("a-token", "x" * 43, ""):
        assert kept.dumps(token) == fresh.dumps(token) and kept.loads(fresh.dumps(token)) == token
    for forged in (URLSafeSerializer("t" * 40, salt=SALT).dumps("a-token"), URLSafeSerializer("s" * 40).dumps("a-token"),
                   fresh.dumps("a-token") + "x"):
        with pytest.raises(BadSignature):
            kept.loads(forged)


def test_a_cookie_checked_once_gives_what_checking_it_afresh_gives():
    from itsdangerous import BadSignature, URLSafeSerializer

    from runtime.sessionstore import SALT, _token_of

    fresh = URLSafeSerializer("s" * 40, salt=SALT)
    for value in ("a-token", "x" * 43, "", 12345, ["not", "text"], {"a": 1}):
        expected = value if isinstance(value, str) else None
        assert _token_of("s" * 40, fresh.dumps(value)) == expected
        assert _token_of("s" * 40, fresh.dumps(value)) == expected, "the cached answer is the same"
    valid = fresh.dumps("a-token")
    assert _token_of("s" * 40, valid) == "a-token"
    for forged in (valid + "x", URLSafeSerializer("t" * 40, salt=SALT).dumps("a-token"), "no.cookie", ""):
        for _ in range(2):                  # an altered cookie fails every time, cached or not
            with pytest.raises(BadSignature):
                _token_of("s" * 40, forged)
    with pytest.raises(BadSignature):       # the same cookie under another key is not ours
        _token_of("t" * 40, valid)
