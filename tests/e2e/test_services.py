"""Each of the programme's six services, completed end to end in the browser for one
municipality, with the answers of a valid case from the definition's own `tests:`.

The form is filled generically from the compiled model (`scenarios`, `flow`): nothing
here knows a service's fields. The runtime's "today" is the case's `context.today`, so
date rules behave as the definition's test expects; the signed-in person is the case's
`context.person` (prefill from the sign-in). After sending, the outbox worker renders
the PDF and the confirmation's link serves it.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from . import flow
from .scenarios import catalogue, journey

pytestmark = pytest.mark.e2e

SERVICES = [
    "dog-fee",
    "street-trading-permit",
    "event-trading-permit",
    "preschool-queue",
    "tree-felling-permit",
    "e-invoice",
]


@pytest.mark.parametrize("service_id", SERVICES)
def test_service_completed_end_to_end(service_id, page, live_server):
    complete_and_check(service_id, page, live_server)


@pytest.mark.postgres
def test_the_dog_fee_is_completed_end_to_end_on_postgresql(postgres_page, postgres_live_server):
    complete_and_check("dog-fee", postgres_page, postgres_live_server)


def complete_and_check(service_id, page, live_server):
    if service_id not in catalogue().services:
        pytest.fail(f"definitions/services/{service_id}.yaml is missing or does not compile", pytrace=False)
    chosen = journey(service_id)
    revealed: list[flow.Revealed] = []
    live_server.set_today(chosen.today)
    try:
        if chosen.person:
            flow.sign_in(page, chosen.person, next_path=chosen.start_path)
        reference = flow.complete(page, chosen, revealed=revealed)
    finally:
        live_server.set_today(None)
    code = chosen.service.code
    assert re.fullmatch(rf"[A-Z0-9]+-{re.escape(code)}-\d{{4}}-\d+", reference), reference

    expected_total = chosen.case.expect.get("fee_total")
    if expected_total is not None and Decimal(str(expected_total)) > 0:
        expected = Decimal(str(expected_total))
        assert page.get_by_role("heading", name=re.compile("^Kā samaksāt$")).count() == 1, (
            f"{service_id}: a fee of {expected_total} but no payment instructions on {page.url}")
        assert shown_amount(page.locator(".table__total")) == expected, (
            f"{service_id}: the fee table's total is not {expected_total} on {page.url}")
        if catalogue().municipalities[chosen.municipality].iban:
            amount = page.locator(".summary-list__row", has=page.locator("dt", has_text=re.compile("^Summa$")))
            assert shown_amount(amount.locator("dd")) == expected, (
                f"{service_id}: the amount to transfer is not {expected_total} on {page.url}")
            assert page.locator(".payment-qr svg, .payment-qr img").count() == 1, (
                f"{service_id}: no QR code for the transfer on {page.url}")

    href = page.locator('a[href$="/application.pdf"]').get_attribute("href")
    live_server.run_outbox()
    response = page.request.get(href)
    assert response.status == 200, f"GET {href} -> {response.status}"
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF")

    if chosen.service.queue is not None:
        queue = page.request.get(href.replace("/application.pdf", "/queue"))
        assert queue.status == 200, f"the queue page of {reference} answered {queue.status}"
        page.goto(href.replace("/application.pdf", "/queue"))
        places = page.locator("main table tbody tr")
        assert places.count() >= 1, (
            f"no place in the queue shown on {page.url}: {page.locator('main').inner_text()!r}")
        assert re.search(r"\d", places.first.inner_text()), places.first.inner_text()

    assert not revealed, (
        f"{service_id} in {chosen.municipality} was sent as {reference}, but a question was asked only "
        "after an error: " + "; ".join(map(str, revealed)))


def shown_amount(locator) -> Decimal:
    """The one amount in `locator`, as Latvian formats it ("1 234,50 €"), as a Decimal."""
    assert locator.count() == 1, f"{locator.count()} elements for {locator}"
    text = locator.inner_text()
    digits = re.sub(r"[^0-9,\-−]", "", text).replace("−", "-").replace(",", ".")
    assert re.fullmatch(r"-?\d+\.\d{2}", digits), f"not an amount: {text!r}"
    return Decimal(digits)
