"""A member of staff's language (lv by default, or en): chosen on their profile page or
by `pkip users create --language`, and used for the staff pages, the answer labels of a
case file and the daily digest e-mail."""
from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select

from runtime.cases.clock import Clock
from runtime.cases.notify import enqueue_digests
from runtime.cases.staff_accounts import AccountError, Grant, create_user
from runtime.storage.models import AuditEntry, StaffUser, Submission
from runtime.worker import run_pending

from .cases import file_case
from .conftest import PASSWORD, csrf_token, make_staff, sign_in
from .test_accounts import instance, users  # noqa: F401  (the CLI fixture)
from .test_notifications import mail_app, mailbox, sent  # noqa: F401  (the SMTP stand-in)


def choose(client, language):
    return client.post("/staff/profile", data={"csrf_token": csrf_token(client, "/staff/profile"),
                                               "language": language})


def stored_language(app, email):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(StaffUser.language).where(StaffUser.email == email))


def test_a_member_chooses_english_on_their_profile_and_the_staff_pages_follow(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    client = staff_app.test_client()
    sign_in(client, "clerk@riga.lv")
    assert "Jūsu darbs" in client.get("/staff/").get_data(as_text=True)        # Latvian until chosen
    assert stored_language(staff_app, "clerk@riga.lv") == "lv"
    saved = choose(client, "en")
    assert saved.status_code == 303 and stored_language(staff_app, "clerk@riga.lv") == "en"
    assert "Your language is saved." in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Your work" in client.get("/staff/").get_data(as_text=True)
    case_file = client.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert "Permit to fell trees outside forest" in case_file and "Who is applying?" in case_file
    assert "Kas iesniedz pieteikumu?" not in case_file and "Iesniedzējs" not in case_file
    # one page in the other language through the switch; the choice stays
    assert "Jūsu darbs" in client.get("/staff/?lang=lv").get_data(as_text=True)
    assert "Your work" in client.get("/staff/").get_data(as_text=True)
    with staff_app.extensions["pkip"].database.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff.language")).all()
        assert (entry.municipality_id, entry.details) == ("riga", {"language": "en"})


def test_another_members_language_is_their_own(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment")
    make_staff(staff_app, "other@riga.lv", "clerk", "riga", "environment")
    client = staff_app.test_client()
    sign_in(client, "clerk@riga.lv")
    choose(client, "en")
    assert stored_language(staff_app, "other@riga.lv") == "lv"
    other = staff_app.test_client()
    sign_in(other, "other@riga.lv")
    assert "Jūsu darbs" in other.get("/staff/").get_data(as_text=True)


def test_only_the_offered_languages_are_taken_and_only_from_a_signed_in_member(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment")
    client = staff_app.test_client()
    sign_in(client, "clerk@riga.lv")
    assert choose(client, "ru").status_code == 400 and stored_language(staff_app, "clerk@riga.lv") == "lv"
    anonymous = staff_app.test_client()
    refused = anonymous.post("/staff/profile", data={"csrf_token": csrf_token(anonymous), "language": "en"})
    assert refused.status_code == 302 and "/staff/signin" in refused.headers["Location"]
    assert client.post("/staff/profile", data={"language": "en"}).status_code == 400       # no CSRF token
    assert stored_language(staff_app, "clerk@riga.lv") == "lv"
    with pytest.raises(AccountError, match="unknown language"):
        state = staff_app.extensions["pkip"]
        create_user(state.database, state.catalogue, email="x@riga.lv", name="X", password=PASSWORD,
                    grant=Grant("municipal_admin", "riga"), language="de")


def test_users_create_takes_a_language(instance, capsys):  # noqa: F811
    assert users(["create", "--municipality", "riga", "--role", "municipal_admin", "--email", "anna@riga.lv",
                  "--name", "Anna Bērziņa", "--language", "en"], stdin=PASSWORD + "\n") == 0
    assert users(["create", "--municipality", "riga", "--role", "finance", "--email", "lv@riga.lv",
                  "--name", "Līga Ozola"], stdin=PASSWORD + "\n") == 0
    capsys.readouterr()
    assert users(["list"]) == 0
    listed = capsys.readouterr().out
    assert "anna@riga.lv\tAnna Bērziņa\ten\t" in listed and "lv@riga.lv\tLīga Ozola\tlv\t" in listed
    with pytest.raises(SystemExit):
        users(["create", "--municipality", "riga", "--role", "finance", "--email", "x@riga.lv", "--name", "X",
               "--language", "ru"], stdin=PASSWORD + "\n")


def test_the_daily_digest_is_in_the_members_language(mail_app, mailbox):  # noqa: F811
    make_staff(mail_app, "clerk@riga.lv", "clerk", "riga", "environment")
    state = mail_app.extensions["pkip"]
    create_user(state.database, state.catalogue, email="english@riga.lv", name="Emma Smith", password=PASSWORD,
                grant=Grant("clerk", "riga", "environment"), language="en")
    late = file_case(mail_app, "tree-felling-permit", "riga")
    with state.database.transaction() as session:
        session.scalars(select(Submission).where(Submission.reference == late)).one().due_on = datetime.date(2026, 1, 5)
    run_pending(state)
    before = len(mailbox.messages)
    assert enqueue_digests(state.database, state.catalogue, Clock(fixed_today=datetime.date(2026, 3, 2))) == 2
    digests = {m["To"]: m for m in sent(mail_app, mailbox)[before:]}
    assert "1 nokavētas" in digests["clerk@riga.lv"]["Subject"]
    assert "1 overdue" in digests["english@riga.lv"]["Subject"]
    assert "Overdue cases: 1" in digests["english@riga.lv"].get_content()
