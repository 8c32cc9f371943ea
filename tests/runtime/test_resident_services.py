"""The resident flow for the services that need more than forms, on both databases: the
preschool queue (queue entries written with the submission, the place shown to the
applicant), the e-invoice (the reader's summary shown, the case routed to the buyer), and
fees kept as charged when the municipality changes its parameters afterwards."""
from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

from builder.model import frozen_map

from runtime.documents.application import render_application_html
from runtime.storage.models import QueueEntry, Submission, Upload

from .resident_support import ROOT, Browser, real_catalogue, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def date_fields(name: str, day: int, month: int, year: int) -> dict:
    return {f"{name}-day": str(day), f"{name}-month": str(month), f"{name}-year": str(year)}


PARENT = {"applicant-personal_code": "010190-15267", "applicant-given_name": "Jānis", "applicant-surname": "Bērziņš",
          "applicant-declared_here": "yes", "applicant-address": "Brīvības iela 1, Rīga, LV-1010",
          "applicant-email": "janis@example.lv", "parent_declaration": "yes"}
CHILD = {"child-personal_code": "321234-00001", **date_fields("child-birth_date", 10, 3, 2024),
         "child-given_name": "Anna", "child-surname": "Bērziņa", "child-declared_here": "yes",
         "child-address": "Brīvības iela 1, Rīga, LV-1010"}
START = date_fields("start_date", 1, 9, 2026)


def submit_preschool_application(browser: Browser, preschools: list[str]) -> str:
    base = "/riga/preschool-queue"
    child = browser.answer(browser.start(base), PARENT)
    chosen = browser.answer(child, CHILD)
    assert chosen.endswith("/apply/preschools")
    for preschool in preschools:
        entry = browser.answer(chosen, {"add_entry": "institutions", **START})
        browser.answer(entry, {"institutions-institution": preschool})
    priority = browser.answer(chosen, START)
    assert "Prioritātes grupa" in browser.get(priority) or "priority" in priority
    check = browser.answer(priority, {})
    assert check.endswith(f"{base}/check")
    return browser.answer(check, {"declaration": "confirmed"})


def test_a_preschool_application_joins_the_queue_of_each_chosen_preschool(app, browser):
    confirmation = submit_preschool_application(browser, ["riga_pii_zilite", "riga_pii_4"])
    [submission] = rows(app, Submission)
    entries = sorted(rows(app, QueueEntry), key=lambda e: e.rank)
    assert [(e.partition, e.rank, e.submission_id) for e in entries] == [
        ("riga_pii_zilite", 1, submission.id), ("riga_pii_4", 2, submission.id)]
    assert entries[0].order_keys["priority_group"] == ["n", "4"]
    html = browser.get(f"{confirmation}/queue?lang=en")
    assert "Riga preschool &#34;Zīlīte&#34;" in html or 'Riga preschool "Zīlīte"' in html
    assert html.count("1st of 1") == 2 and "2nd choice" in html


def test_a_second_applicant_queues_behind_the_first(app, browser):
    submit_preschool_application(browser, ["riga_pii_zilite"])
    later = Browser(app)
    confirmation = submit_preschool_application(later, ["riga_pii_zilite"])
    assert "2nd of 2" in later.get(f"{confirmation}/queue?lang=en")


E_INVOICE = "/riga/e-invoice"
SUPPLIER = {"supplier-name": "SIA Piemērs", "supplier-registration_number": "40003000002",
            "supplier-contact_name": "Anna Kalniņa", "supplier-email": "rekini@piemers.lv"}


def test_an_e_invoice_is_read_summarised_and_routed_to_the_buyer(app, browser):
    invoice_page = browser.answer(browser.start(E_INVOICE), SUPPLIER)
    assert invoice_page.endswith("/apply/invoice")
    assert "Augšupielādējiet rēķinu XML formātā" in browser.get(invoice_page)          # the page's intro
    data = (ROOT / "definitions/fixtures/e-invoice/valid.xml").read_bytes()
    confirm = browser.answer(invoice_page, {"invoice": (io.BytesIO(data), "rekins.xml")})
    assert confirm.endswith("/apply/confirm")
    html = browser.get(confirm)
    for shown in ("Šie dati nolasīti no rēķina", "Rēķina numurs", "PKIP-2026-0042", "Rīgas valstspilsētas pašvaldība",
                  "90011524360", "717,00\xa0€", "2026. gada 4. marts"):
        assert shown in html, shown
    check = browser.answer(confirm, {"confirmed": "yes"})
    assert "rekins.xml" in browser.get(check)
    confirmation = browser.answer(check, {"declaration": "confirmed"})
    assert "/case/RIX-EREK-2026-" in confirmation
    html = browser.get(confirmation)
    assert "Rīgas valstspilsētas pašvaldība — grāmatvedība un finanses" in html
    [submission] = rows(app, Submission)
    assert submission.status == "received" and submission.answers["invoice"]["document"]["invoice_number"] == "PKIP-2026-0042"
    assert [u.submission_id for u in rows(app, Upload)] == [submission.id]


def fill_dog_fee(browser: Browser) -> str:
    owner = browser.start("/riga/dog-fee")
    dogs = browser.answer(owner, {"owner_kind": "person", "owner-personal_code": "010190-15267",
                                  "owner-given_name": "Jānis", "owner-surname": "Bērziņš", "owner-pensioner": "no",
                                  "owner-disability_group": "none", "owner-email": "janis@example.lv"})
    browser.answer(browser.answer(dogs, {"add_entry": "dogs"}),
                   {"dogs-chip": "900123456789012", "dogs-name": "Reksis", **date_fields("dogs-birth_date", 10, 5, 2020),
                    "dogs-sterilised": "no"})
    address = browser.answer(dogs, {})
    return browser.answer(address, {"kept_in_municipality": "yes", "keeping_address": "Brīvības iela 1, Rīga, LV-1010"})


def test_the_confirmation_and_the_pdf_show_the_fees_as_charged_after_the_parameters_change(app, browser, monkeypatch):
    confirmation = browser.answer(fill_dog_fee(browser), {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert submission.fees["total"] == "10.00" and submission.fees["lines"][0]["amount"] == "10.00"
    catalogue = real_catalogue()
    offered = catalogue.effective("riga", "dog-fee")
    dearer = dataclasses.replace(offered, params=frozen_map({**offered.params, "annual_fee": Decimal("99.00")}))
    original = catalogue.effective
    monkeypatch.setattr(catalogue, "effective",
                        lambda m, s: dearer if (m, s) == ("riga", "dog-fee") else original(m, s))
    html = browser.get(confirmation)
    assert "10,00\xa0€" in html and "99,00" not in html
    pdf_html = render_application_html(effective=dearer, service=dearer.service, submission=submission,
                                       static_coat=None)
    assert "10,00\xa0€" in pdf_html and "99,00" not in pdf_html
    submission.fees = None      # a submission from before fees were stored: shown as the parameters say now
    assert "99,00\xa0€" in render_application_html(effective=dearer, service=dearer.service, submission=submission,
                                                  static_coat=None)
