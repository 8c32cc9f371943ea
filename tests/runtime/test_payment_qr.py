"""Issue 16 finding 3: the EPC QR code stays within the standard's limits whatever the
answers, and a QR code that cannot be drawn never takes the confirmation page down."""
from __future__ import annotations

import re
from decimal import Decimal

import segno.helpers
from hypothesis import given, settings, strategies as st

from runtime.web.resident import payment as payment_module
from runtime.web.resident.payment import EPC_PAYLOAD_MAX, epc_fields, epc_qr_code

from .resident_support import DETAILS, DOG, OWNER, Browser
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

RIGA = "Rīgas valstspilsētas pašvaldība"
IBAN = "LV89RIKO0023300000000"
SVG = re.compile(r"<svg .*?</svg>", re.DOTALL)


def payload(name: str, iban: str, amount: Decimal, text: str | None) -> bytes:
    return segno.helpers._make_epc_qr_data(name=name, iban=iban, amount=amount, text=text)


def test_a_surname_of_hundred_wide_characters_still_gives_a_qr_code():
    for surname in ("漢" * 100, "😀" * 100):
        assert epc_qr_code(RIGA, IBAN, Decimal("10.00"), f"{surname} 010190-15267") is not None
        name, iban, text = epc_fields(RIGA, IBAN, Decimal("10.00"), f"{surname} 010190-15267")
        assert text and text.startswith(surname[:10]) and len(text) <= 140
        assert len(payload(name, iban, Decimal("10.00"), text)) <= EPC_PAYLOAD_MAX


@settings(max_examples=60, deadline=None)
@given(beneficiary=st.text(min_size=1, max_size=120), reference=st.text(max_size=400),
       cents=st.integers(min_value=1, max_value=99_999_999_999))
def test_the_payload_is_within_the_standard_for_any_text(beneficiary, reference, cents):
    amount = Decimal(cents) / 100
    name, iban, text = epc_fields(beneficiary, IBAN, amount, reference)
    assert len(name) <= 70 and (text is None or len(text) <= 140)
    if name and text:
        assert len(payload(name, iban, amount, text)) <= EPC_PAYLOAD_MAX


def test_a_qr_code_is_never_an_exception():
    assert epc_qr_code(" ", IBAN, Decimal("1.00"), None) is None          # no name: no code
    assert epc_qr_code("\x00", IBAN, Decimal("1.00"), "\n") is None
    assert epc_qr_code("😀" * 70, IBAN, Decimal("1.00"), "😀" * 140) is not None
    assert epc_fields(RIGA, IBAN, Decimal("1.00"), "")[2] == RIGA        # the name when there is no text


def test_an_amount_beyond_the_standard_gives_no_qr_code():
    assert epc_qr_code(RIGA, IBAN, Decimal("1000000000.00"), "x") is None


def submitted(browser: Browser, surname: str) -> str:
    first = browser.start()
    owner = browser.answer(first, {"applicant_kind": "person"})
    pets = browser.answer(owner, {**OWNER, "owner-surname": surname})
    new_entry = browser.answer(pets, {"add_entry": "pets"})
    browser.answer(new_entry, DOG)
    details = browser.answer(pets, {})
    check = browser.answer(details, DETAILS)
    return browser.answer(check, {"declaration": "confirmed"})


def test_the_confirmation_page_shows_a_long_wide_surname_with_its_qr_code(app, browser):
    confirmation = submitted(browser, "😀" * 50)
    html = browser.get(confirmation)
    assert "RIX-PET-2026-000001" in html and IBAN in html and "<svg" in html


def test_the_confirmation_page_survives_a_qr_code_that_cannot_be_drawn(app, browser, monkeypatch, caplog):
    def broken(**_):
        raise ValueError("Payload is too big")
    monkeypatch.setattr(payment_module.segno.helpers, "make_epc_qr", broken)
    payment_module._drawn_svg.cache_clear()     # a code drawn by an earlier test is kept
    confirmation = submitted(browser, "Bērziņš")
    html = browser.get(confirmation)
    assert "RIX-PET-2026-000001" in html and IBAN in html and "<svg" not in html
    assert "EPC QR code could not be drawn: ValueError" in caplog.text


def test_the_qr_code_is_drawn_once_per_payment_and_is_the_same_code(app, browser, monkeypatch):
    payment_module._drawn_svg.cache_clear()
    drawn = []
    draw = payment_module.segno.helpers.make_epc_qr
    monkeypatch.setattr(payment_module.segno.helpers, "make_epc_qr", lambda **kw: drawn.append(kw) or draw(**kw))
    confirmation = submitted(browser, "Kalniņš")
    views = [SVG.search(browser.get(confirmation)).group(0) for _ in range(3)]
    assert len(drawn) == 1 and views[0] == views[1] == views[2]
    fresh = payment_module.segno.helpers.make_epc_qr(**drawn[0]).svg_inline(
        scale=4, border=4, svgclass="payment-qr__code", lineclass=None)
    label = re.search(r'aria-label="([^"]*)"', views[0]).group(1)
    assert views[0] == fresh.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def test_planned_copy_buttons_are_what_the_macro_draws(app):
    """The how-to-pay list's copy buttons come from a plan (copy_plans.py): in every
    language, for values that need escaping and for markup, the same as the macro."""
    from flask import g
    from markupsafe import Markup

    from runtime.web.resident.copy_plans import copy_button, copy_macro

    values = [IBAN, '<b>"Rīga" & co</b>', "it's", Markup("<i>safe</i>"), 40003000642, ""]
    compared = 0
    for language in ("lv", "en", "lv"):          # lv again: from the kept plan
        with app.test_request_context("/"):
            g.language = language
            for value in values:
                for what in ("Account (IBAN)", '<a href="x">&</a>', Markup("Maksājuma mērķis: <b>1</b>")):
                    assert copy_button(value, what) == copy_macro()(value, what), (language, value, what)
                    compared += 1
    assert compared == 3 * len(values) * 3
