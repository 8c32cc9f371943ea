"""The case keeps what was decided at submission (runtime/cases/submitting.py), on both
databases: route and why, institution, channel, language, fees, deadline and due date and
the first history entry; a later change of the municipality's parameters or institutions
changes none of it, on the page or in the row. Cases from before migration 0006 get their
facts reconstructed once (runtime/cases/backfill.py)."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import column, insert, table, text

from builder.expressions.dates import working_days_add
from builder.model import frozen_map
from runtime.cases.backfill import reconstruct_pending_facts
from runtime.storage.database import Database
from runtime.storage.migrate import upgrade
from runtime.storage.models import CaseHistoryEntry, ServiceVersion, Submission
from runtime.sync import sync_service_versions

from .resident_support import TODAY, real_catalogue, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)
from .test_resident_flow import fill_example

ANIMAL_REGISTER_LV = "mājas dzīvnieku uzskaite un suņu nodeva"
FACTS = ("channel", "route", "route_rule", "institution_id", "institution", "deadline_days", "due_on", "fees",
         "fee_total", "payment_due_on", "locale", "status", "facts_from")


SUBMISSIONS_BEFORE_0006 = table("submissions", *(column(name, Submission.__table__.c[name].type) for name in (
    "reference", "municipality_id", "service_version_id", "answers", "fee_total", "fees", "status", "locale",
    "submitted_at")))


def facts_of(submission: Submission) -> dict:
    return {name: getattr(submission, name) for name in FACTS}


def test_submitting_stores_what_was_decided_and_the_first_history_entry(app, browser):
    browser.answer(fill_example(browser), {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert submission.channel == "e-service" and submission.locale == "lv" and submission.facts_from == "submission"
    assert (submission.route, submission.route_rule, submission.institution_id) == (
        "animal_register", None, "animal_register")
    assert ANIMAL_REGISTER_LV in submission.institution["name"]["lv"]
    assert submission.institution["registration_number"] == "90011524360"
    assert submission.deadline_days == 10      # "many_pets ? 20 : 10" with one pet
    assert submission.due_on == working_days_add(TODAY, 10) and submission.due_on.isoformat() == "2026-02-13"
    [entry] = rows(app, CaseHistoryEntry)
    assert (entry.submission_id, entry.from_status, entry.to_status, entry.actor) == (
        submission.id, None, "submitted", "browser")


def test_the_matching_routing_rule_is_stored_as_the_reason(app, browser, monkeypatch):
    catalogue = real_catalogue()
    offered = catalogue.effective("riga", "example-pet-registration")
    dear = dataclasses.replace(offered, params=frozen_map({**offered.params, "fee_per_pet": Decimal("500.00")}))
    original = catalogue.effective
    monkeypatch.setattr(catalogue, "effective", lambda m, s: dear if (m, s) == (offered.municipality.id,
                                                                                offered.service.id) else original(m, s))
    browser.answer(fill_example(browser), {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert (submission.route, submission.route_rule, submission.institution_id) == ("finance", 1, "finance")


def test_changing_the_municipality_after_submission_changes_no_stored_fact(app, browser, monkeypatch):
    confirmation = browser.answer(fill_example(browser), {"declaration": "confirmed"})
    [before] = rows(app, Submission)
    catalogue = real_catalogue()
    offered = catalogue.effective("riga", "example-pet-registration")
    changed = dataclasses.replace(
        offered, params=frozen_map({**offered.params, "fee_per_pet": Decimal("500.00")}),
        routing=frozen_map({role: "council" for role in ("animal_register", "finance", "trade_permits")}))
    original = catalogue.effective
    monkeypatch.setattr(catalogue, "effective", lambda m, s: changed if (m, s) == (offered.municipality.id,
                                                                                   offered.service.id) else original(m, s))
    html = browser.get(confirmation)
    assert ANIMAL_REGISTER_LV in html and "5,00\xa0€" in html and "500,00" not in html
    assert "Atbildes termiņš: 2026. gada 13. februāris." in html
    assert reconstruct_pending_facts(app.extensions["pkip"].database, catalogue) == 0
    [after] = rows(app, Submission)
    assert facts_of(after) == facts_of(before)


def test_the_payment_due_date_is_kept_with_the_case_and_shown_wherever_payment_is(app, browser, monkeypatch):
    from runtime.documents.application import render_application_html

    confirmation = browser.answer(fill_example(browser), {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert submission.payment_due_on.isoformat() == "2026-02-13"   # fees.due: 10 working days after 1 February
    catalogue = real_catalogue()
    offered = catalogue.effective("riga", "example-pet-registration")
    later = dataclasses.replace(offered, params=frozen_map({**offered.params, "payment_days": 30}))
    original = catalogue.effective
    monkeypatch.setattr(catalogue, "effective", lambda m, s: later if (m, s) == (offered.municipality.id,
                                                                                 offered.service.id) else original(m, s))
    pay_by = "Samaksāt līdz</dt><dd class=\"summary-list__value\">2026. gada 13. februāris</dd>"
    assert pay_by in browser.get(confirmation)                  # as decided then, not by today's parameters
    assert pay_by in browser.get(f"/riga/case/{submission.reference}")
    with app.test_request_context():
        document = render_application_html(effective=later, service=later.service, submission=submission,
                                           static_coat=None)
    assert "Samaksāt līdz" in document and "2026. gada 13. februāris" in document


def test_cases_from_before_0006_get_a_first_history_entry_and_reconstructed_facts(database_url):
    database = Database(database_url)
    try:
        upgrade(database.engine, "0005")
        catalogue = real_catalogue()
        sync_service_versions(database, [catalogue.services["example-pet-registration"]])
        answers = {"applicant_kind": "person", "owner": {"personal_code": "010190-15267", "given_name": "Jānis",
                   "surname": "Bērziņš", "pensioner": False, "district": "centre"},
                   "pets": [{"name": "Reksis", "species": "cat", "chip": "123456789012345", "birth_date": "2020-01-01",
                             "sterilised": False}]}
        with database.transaction() as session:
            version_id = session.query(ServiceVersion.id).scalar()
            session.execute(insert(SUBMISSIONS_BEFORE_0006).values(
                reference="RIX-PET-2026-000009", municipality_id="riga", service_version_id=version_id,
                answers=answers, fee_total=Decimal("10.00"), fees=None, status="submitted", locale="en",
                submitted_at=datetime(2026, 2, 2, 9, 0, tzinfo=timezone.utc)))
        upgrade(database.engine)
        with database.sessions() as session:
            [old] = session.query(Submission).all()
            history = session.execute(text("SELECT from_status, to_status, actor FROM case_history")).all()
        assert (old.channel, old.facts_from, old.route, old.due_on) == ("e-service", "pending", None, None)
        assert [tuple(row) for row in history] == [(None, "submitted", "migration")]
        assert reconstruct_pending_facts(database, catalogue) == 1
        assert reconstruct_pending_facts(database, catalogue) == 0      # once only
        with database.sessions() as session:
            [old] = session.query(Submission).all()
        assert (old.facts_from, old.route, old.institution_id) == ("reconstructed", "animal_register", "animal_register")
        assert old.due_on == working_days_add(datetime(2026, 2, 2).date(), 10)
        assert old.fees is not None and old.fee_total == Decimal("10.00")
    finally:
        database.dispose()
