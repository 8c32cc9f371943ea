"""Staff accounts: `pkip users`, argon2 hashes, sign-in, lockout, separate sessions, CSRF."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app import main
from runtime.cases.staff_accounts import MAX_FAILURES, AccountError, Grant, create_user
from runtime.storage.database import Database
from runtime.storage.models import StaffUser

from .conftest import PASSWORD, ROOT, make_staff, sign_in

# the pages speak Latvian first
WRONG = "E-pasta adrese vai parole nav pareiza."
LOCKED = "konts ir bloķēts uz 15 minūtēm"


@pytest.fixture
def instance(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("PKIP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("PKIP_DATABASE_URL", database_url)
    monkeypatch.setenv("PKIP_DEFINITIONS_PATH", str(ROOT / "definitions"))
    monkeypatch.setenv("PKIP_AUTO_UPGRADE", "true")
    return database_url


def users(argv, stdin: str = ""):
    import sys
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        return main(["users", *argv])
    finally:
        sys.stdin = saved


def test_users_create_reads_the_password_from_a_pipe_and_stores_an_argon2_hash(instance, capsys):
    code = users(["create", "--municipality", "riga", "--institution", "environment", "--role", "clerk",
                  "--email", "Anna@Riga.LV", "--name", "Anna Bērziņa"], stdin=PASSWORD + "\n")
    assert code == 0, capsys.readouterr().err
    assert "created anna@riga.lv: clerk riga/environment" in capsys.readouterr().out
    with Database(instance).transaction() as session:
        stored = session.scalars(select(StaffUser)).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    # the same person gets a second role; no password is read
    assert users(["create", "--municipality", "riga", "--role", "commission_member", "--email", "anna@riga.lv",
                  "--name", "Anna Bērziņa"]) == 0
    assert users(["list", "--municipality", "riga"]) == 0
    listed = capsys.readouterr().out
    assert "clerk riga/environment, commission_member riga" in listed
    assert users(["disable", "--email", "anna@riga.lv"]) == 0
    assert users(["list"]) == 0
    assert "(disabled)" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--municipality", "atlantis", "--role", "clerk", "--institution", "x"], "unknown municipality 'atlantis'"),
    (["--municipality", "riga", "--role", "clerk", "--institution", "zoo"], "riga has no institution 'zoo'"),
    (["--municipality", "riga", "--role", "clerk"], "a clerk works in an institution"),
    (["--municipality", "riga", "--role", "platform_admin"], "a platform admin belongs to no municipality"),
])
def test_users_create_refuses_what_does_not_exist(instance, capsys, argv, message):
    assert users(["create", *argv, "--email", "a@b.lv", "--name", "A"], stdin=PASSWORD + "\n") == 2
    assert message in capsys.readouterr().err


def test_a_short_password_is_refused(instance, capsys):
    assert users(["create", "--municipality", "riga", "--role", "municipal_admin", "--email", "a@b.lv",
                  "--name", "A"], stdin="short\n") == 2
    assert "at least 12 characters" in capsys.readouterr().err


def test_sign_in_and_out(staff_app):
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    client = staff_app.test_client()
    response = sign_in(client, "anna@riga.lv")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    cookie = response.headers["Set-Cookie"]
    assert "pkip_staff=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    assert "Anna Bērziņa" in client.get("/staff/").get_data(as_text=True)
    token = CSRF_OF(client)
    assert client.post("/staff/signout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302


def CSRF_OF(client):
    from .conftest import csrf_token
    return csrf_token(client)


def test_wrong_password_and_unknown_email_get_the_same_answer(staff_app):
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    client = staff_app.test_client()
    wrong = sign_in(client, "anna@riga.lv", "not the password!")
    unknown = sign_in(client, "nobody@riga.lv")
    assert wrong.status_code == unknown.status_code == 401
    assert WRONG in wrong.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)
    assert "pkip_staff" not in wrong.headers.get("Set-Cookie", "")


def test_repeated_failures_lock_the_account_even_for_the_right_password(staff_app):
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    client = staff_app.test_client()
    for _ in range(MAX_FAILURES):
        last = sign_in(client, "anna@riga.lv", "guess guess guess")
    assert LOCKED in last.get_data(as_text=True)
    locked = sign_in(client, "anna@riga.lv")
    assert locked.status_code == 401 and LOCKED in locked.get_data(as_text=True)


def test_a_disabled_account_loses_its_session_at_once(staff_app):
    from runtime.cases.clock import Clock
    from runtime.cases.staff_accounts import disable_user
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    client = staff_app.test_client()
    sign_in(client, "anna@riga.lv")
    assert client.get("/staff/").status_code == 200
    disable_user(staff_app.extensions["pkip"].database, "anna@riga.lv", Clock())
    assert client.get("/staff/").status_code == 302
    assert sign_in(client, "anna@riga.lv").status_code == 401


def test_a_resident_session_is_no_staff_session(staff_app):
    client = staff_app.test_client()
    with client.session_transaction() as session:
        session["person"] = "anything"
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/signin")


def test_sign_in_without_the_csrf_token_is_refused(staff_app):
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    response = staff_app.test_client().post("/staff/signin", data={"email": "anna@riga.lv", "password": PASSWORD})
    assert response.status_code == 400
    assert "pkip_staff" not in response.headers.get("Set-Cookie", "")


def test_sign_in_goes_back_only_to_a_staff_page(staff_app):
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    client = staff_app.test_client()
    assert sign_in(client, "anna@riga.lv", next="//evil.example/").headers["Location"] == "/staff/"
    client = staff_app.test_client()
    assert sign_in(client, "anna@riga.lv", next="/staff/riga/audit").headers["Location"] == "/staff/riga/audit"


def test_an_account_with_an_existing_email_keeps_its_password(staff_app):
    state = staff_app.extensions["pkip"]
    make_staff(staff_app, "anna@riga.lv", "municipal_admin", "riga")
    create_user(state.database, state.catalogue, email="anna@riga.lv", name="x",
                grant=Grant("municipal_admin", "jurmala"), password="another password here")
    assert sign_in(staff_app.test_client(), "anna@riga.lv").status_code == 302
    with pytest.raises(AccountError, match="unknown role"):
        create_user(state.database, state.catalogue, email="b@riga.lv", name="B", grant=Grant("mayor", "riga"),
                    password=PASSWORD)


def test_demo_staff_accounts_exist_only_in_development(staff_app):
    from runtime.config import load_settings
    from runtime.cases.commissions import members_of
    from runtime.demo_staff import DEMO_PASSWORD, DEMO_STAFF, NotDevelopment, create_demo_staff
    state = staff_app.extensions["pkip"]
    assert list_emails(state) == []      # an app alone creates none
    with pytest.raises(NotDevelopment):
        create_demo_staff(state.settings, state.database, state.catalogue)
    development = load_settings({"env": "development", "database_url": "sqlite://",
                                 "instance_path": state.settings.instance_path})
    lines = create_demo_staff(development, state.database, state.catalogue)
    assert DEMO_PASSWORD in lines[0] and len(lines) == 1 + len(DEMO_STAFF)
    for municipality_id, commission_id in (("riga", "green_areas"), ("cesu-novads", "preschool_admission")):
        commission = state.catalogue.municipalities[municipality_id].commissions[commission_id]
        assert 2 <= len(members_of(state.database, municipality_id, commission)) <= 3   # a session can vote
    assert "clerk.riga@demo.invalid" in list_emails(state)
    assert sign_in(staff_app.test_client(), "commission.cesis@demo.invalid", DEMO_PASSWORD).status_code == 302


def list_emails(state):
    from runtime.cases.staff_accounts import list_users
    return [member.email for member in list_users(state.database)]


def test_pkip_overdue_lists_overdue_cases_per_institution(instance, capsys, monkeypatch):
    from app import create_app
    from tests.runtime.staff.cases import file_case
    app = create_app({"env": "testing", "auto_upgrade": True})
    reference = file_case(app, "tree-felling-permit", "riga")
    app.extensions["pkip"].database.dispose()
    assert main(["overdue"]) == 1       # filed in March 2026, due weeks later: overdue by now
    out = capsys.readouterr().out
    assert "riga/environment: 1 overdue" in out and reference in out
    assert main(["overdue", "--municipality", "jurmala"]) == 0
    assert "no overdue cases" in capsys.readouterr().out


def test_the_unknown_email_hash_costs_what_a_stored_hash_costs():
    """The hash verified for an unknown e-mail is a constant (no argon2 run at import in
    every web worker), made with the hasher's own parameters, so verifying against it takes
    as long as against a real account's hash."""
    from runtime.cases import staff_accounts

    assert staff_accounts._DUMMY_HASH.startswith("$argon2id$")
    assert not staff_accounts.hasher.check_needs_rehash(staff_accounts._DUMMY_HASH)
    assert not staff_accounts._verify(staff_accounts._DUMMY_HASH, PASSWORD)
