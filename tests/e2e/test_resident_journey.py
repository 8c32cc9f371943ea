"""A resident completes the example service in Riga, with and without JavaScript; errors,
resuming a draft and switching language on a question page."""
from __future__ import annotations

import re

import pytest

from . import flow
from .scenarios import journey

pytestmark = pytest.mark.e2e

SERVICE = "example-pet-registration"


@pytest.fixture
def example(live_server):
    chosen = journey(SERVICE, municipality="riga")
    live_server.set_today(chosen.today)
    yield chosen
    live_server.set_today(None)


def download_pdf(page, live_server, reference: str) -> bytes:
    """The confirmation page's PDF link, after the outbox worker has rendered it."""
    link = page.locator('a[href$="/application.pdf"]')
    assert link.count() == 1, f"no PDF link on the confirmation page {page.url}"
    href = link.get_attribute("href")
    assert reference in href
    live_server.run_outbox()
    response = page.request.get(href)
    assert response.status == 200, f"GET {href} -> {response.status}: {response.text()[:300]}"
    assert response.headers["content-type"].startswith("application/pdf"), response.headers
    body = response.body()
    assert body.startswith(b"%PDF"), body[:40]
    return body


def test_resident_completes_the_example_and_downloads_the_pdf(page, live_server, example):
    reference = flow.complete(page, example)
    assert re.fullmatch(r"[A-Z]{2,4}-PET-\d{4}-\d+", reference), reference
    assert page.locator("h1").inner_text().strip() == "Pieteikums nosūtīts"
    download_pdf(page, live_server, reference)


def test_the_same_journey_without_javascript(no_js_page, live_server, example):
    reference = flow.complete(no_js_page, example)
    download_pdf(no_js_page, live_server, reference)
