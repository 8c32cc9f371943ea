"""The resident flow of the example service, start to confirmation, on both databases."""
from __future__ import annotations

from runtime.storage.models import Draft, OutboxJob, Submission

from .resident_support import DETAILS, DOG, OWNER, PET, Browser, count, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def fill_example(browser: Browser) -> str:
    """Answer every page of the example as a private person with one dog; the check URL."""
    first = browser.start()
    assert first.endswith(f"{PET}/apply/applicant")
    owner = browser.answer(first, {"applicant_kind": "person"})
    assert owner.endswith("/apply/owner")   # the company page is skipped
    pets = browser.answer(owner, OWNER)
    assert pets.endswith("/apply/pets")
    new_entry = browser.answer(pets, {"add_entry": "pets"})
    assert new_entry.endswith("/apply/pets/pets/0")
    assert browser.answer(new_entry, DOG).endswith("/apply/pets?done=added.0.pets")
    details = browser.answer(pets, {})
    assert details.endswith("/apply/details")
    check = browser.answer(details, DETAILS)
    assert check.endswith(f"{PET}/check")
    return check


def test_example_service_from_start_to_confirmation(app, browser):
    check = fill_example(browser)
    html = browser.get(check)
    assert "Pārbaudiet atbildes" in html and "Reksis" in html and "Bērziņš" in html
    assert "5,00\xa0€" in html          # one dog, pensioner's 50 % reduction of 10.00
    confirmation = browser.answer(check, {"declaration": "confirmed"})
    assert "/case/RIX-PET-2026-" in confirmation
    html = browser.get(confirmation)
    assert "RIX-PET-2026-000001" in html
    assert "LV89RIKO0023300000000" in html and "<svg" in html and "application.pdf" in html
    [submission] = rows(app, Submission)
    assert submission.status == "submitted" and str(submission.fee_total) == "5.00"
    assert submission.answers["pets"][0]["chip"] == "123456789012345"
    assert submission.answers["pets"][0]["birth_date"] == "2020-01-01"
    assert "company" not in submission.answers
    mail, pdf, event = sorted(rows(app, OutboxJob), key=lambda job: job.kind, reverse=True)
    assert pdf.kind == "render_application_pdf" and pdf.payload == {"submission_id": submission.id}
    # the applicant's e-mail, with ids only (the worker reads the address from the case)
    assert mail.kind == "send_email" and mail.payload == {"kind": "submitted", "submission_id": submission.id}
    # the submission's status event, for the national platforms, written with it
    assert event.kind == "case_event" and event.ordering_key == f"case:{submission.reference}"
    assert count(app, Draft) == 0       # the draft became the submission
