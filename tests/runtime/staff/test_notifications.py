"""E-mail notifications (issue 14 part 10): the applicant gets a message in their language,
from a template, on submission, on an information request and on a decision; staff get a
daily digest of new and overdue cases; all through the outbox over SMTP, received here by
the aiosmtpd stand-in. No message holds a personal code."""
from __future__ import annotations

import datetime
import re

import pytest
from sqlalchemy import select

from app import create_app
from runtime.cases.clock import Clock
from runtime.cases.notify import enqueue_digests
from runtime.mail_standin import running_standin
from runtime.storage.models import OutboxJob, Submission
from runtime.worker import run_pending

from .cases import file_case
from .conftest import ROOT, make_staff, sign_in
from .test_applicant_page import browser_that_sent, staff_post, stored
from .test_information_requests import answer, only_request

PERSONAL_CODE = re.compile(r"\d{6}-?\d{5}")


@pytest.fixture
def mailbox():
    with running_standin() as standin:
        yield standin


@pytest.fixture
def mail_app(app_config, shipped_catalogue, mailbox):
    app_config.update(definitions_path=str(ROOT / "definitions"), smtp_host="127.0.0.1", smtp_port=mailbox.port,
                      mail_from="E-pakalpojumi <noreply@riga.lv>", public_url="https://e.riga.lv")
    application = create_app(app_config, catalogue=shipped_catalogue)
    yield application
    application.extensions["pkip"].database.dispose()


def sent(app, mailbox):
    report = run_pending(app.extensions["pkip"])
    assert not report.failed
    return mailbox.messages


def signed_in(app, email, role):
    make_staff(app, email, role, "riga", "environment")
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def test_the_applicant_hears_of_the_submission_the_request_and_the_decision(mail_app, mailbox):
    reference = file_case(mail_app, "tree-felling-permit", "riga")
    [received] = sent(mail_app, mailbox)
    assert received["To"] == "janis@example.lv" and received["From"] == "E-pakalpojumi <noreply@riga.lv>"
    assert received["Subject"] == f"Pieteikums saņemts: Atļauja koku ciršanai ārpus meža, {reference}"
    assert f"https://e.riga.lv/riga/case/{reference}" in received.get_content()
    assert received["Auto-Submitted"] == "auto-generated" and received["Message-ID"].endswith("@riga.lv>")
    clerk, commission = signed_in(mail_app, "clerk@riga.lv", "clerk"), signed_in(mail_app, "c@riga.lv", "commission_member")
    staff_post(clerk, reference, "/move", target="in_review")
    mail_app.config["PKIP_TODAY"] = datetime.date(2026, 3, 4)
    staff_post(clerk, reference, "/request", question="Lūdzu, pievienojiet koka fotoattēlu.")
    asked = sent(mail_app, mailbox)[-1]
    assert asked["Subject"].startswith("Vajadzīga papildu informācija") and \
        "Lūdzu, pievienojiet koka fotoattēlu." in asked.get_content()
    assert "Lūdzam atbildēt līdz" in asked.get_content()
    resident = browser_that_sent(mail_app, reference)
    answer(mail_app, resident, reference, only_request(mail_app, reference).id)
    staff_post(clerk, reference, "/move", target="commission")
    staff_post(commission, reference, "/move", target="refused", reason="Koks ir vesels.")
    decided = sent(mail_app, mailbox)[-1]
    assert decided["Subject"].startswith("Lēmums par jūsu pieteikumu") and "Statuss: Atteikts" in decided.get_content()
    assert len(mailbox.messages) == 3                       # nothing for the steps in between
    for message in mailbox.messages:
        assert not PERSONAL_CODE.search(message.as_string()), message["Subject"]


def test_the_message_is_in_the_applicants_language(mail_app, mailbox):
    reference = file_case(mail_app, "tree-felling-permit", "riga")
    with mail_app.extensions["pkip"].database.transaction() as session:
        session.scalars(select(Submission).where(Submission.reference == reference)).one().locale = "en"
    [received] = sent(mail_app, mailbox)
    assert received["Subject"] == f"Application received: Permit to fell trees outside forest, {reference}"
    assert "please do not reply" in received.get_content()


def test_no_address_no_message_and_mail_off_sends_nothing(staff_app, mail_app, mailbox):
    reference = file_case(mail_app, "tree-felling-permit", "riga")
    with mail_app.extensions["pkip"].database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        case.answers = {**case.answers, "contacts": {"address": "Rīga"}}
    assert sent(mail_app, mailbox) == []
    file_case(staff_app, "tree-felling-permit", "riga")                # an app without smtp_host
    report = run_pending(staff_app.extensions["pkip"])
    assert not report.failed and mailbox.messages == []


def test_a_server_that_is_down_is_tried_again(mail_app, mailbox):
    file_case(mail_app, "tree-felling-permit", "riga")
    mailbox.stop()
    report = run_pending(mail_app.extensions["pkip"])
    assert report.failed
    with mail_app.extensions["pkip"].database.transaction() as session:
        job = session.scalars(select(OutboxJob).where(OutboxJob.kind == "send_email")).one()
        assert job.done_at is None and "Connection" in (job.last_error or "")


def test_the_daily_digest_lists_new_and_overdue_cases_of_the_members_institutions(mail_app, mailbox):
    make_staff(mail_app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
    make_staff(mail_app, "education@riga.lv", "clerk", "riga", "education")
    fresh = file_case(mail_app, "tree-felling-permit", "riga")
    late = file_case(mail_app, "tree-felling-permit", "riga")
    state = mail_app.extensions["pkip"]
    with state.database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == late)).one()
        case.due_on = datetime.date(2026, 1, 5)
    run_pending(state)
    before = len(mailbox.messages)
    assert enqueue_digests(state.database, state.catalogue, Clock(fixed_today=datetime.date(2026, 3, 2))) == 1
    [digest] = sent(mail_app, mailbox)[before:]
    assert digest["To"] == "clerk@riga.lv" and "1 nokavētas" in digest["Subject"]
    body = digest.get_content()
    assert fresh in body and late in body and "https://e.riga.lv/staff/" in body
    assert not PERSONAL_CODE.search(digest.as_string()) and "Jānis" not in body


@pytest.mark.parametrize("name, value, says", [("smtp_port", "0", "port number"), ("mail_from", "nobody", "e-mail address"),
                                                ("public_url", "e.riga.lv", "https://")])
def test_bad_mail_settings_stop_start_up_with_the_setting_named(tmp_path, name, value, says):
    from runtime.config import ConfigError, load_settings
    with pytest.raises(ConfigError, match=f"PKIP_{name.upper()} .*{says}"):
        load_settings({"instance_path": str(tmp_path)}, environ={f"PKIP_{name.upper()}": value})
