"""A resident completes the example service in Riga, with and without JavaScript; errors,
resuming a draft and switching language on a question page."""
from __future__ import annotations

import dataclasses
import re

import pytest

from . import flow
from .scenarios import journey

pytestmark = pytest.mark.e2e

SERVICE = "example-pet-registration"


def _example_on(server):
    chosen = journey(SERVICE, municipality="riga", name_contains="one reduction, not two")
    server.set_today(chosen.today)
    yield chosen
    server.set_today(None)


@pytest.fixture
def example(live_server):
    yield from _example_on(live_server)


@pytest.fixture
def example_anywhere(any_live_server):
    yield from _example_on(any_live_server)


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


def test_resident_completes_the_example_and_downloads_the_pdf(any_page, any_live_server, example_anywhere):
    page = any_page
    csp = flow.watch_csp(page)
    reference = flow.complete(page, example_anywhere)
    assert re.fullmatch(r"[A-Z]{2,4}-PET-\d{4}-\d+", reference), reference
    assert page.locator("h1").inner_text().strip() == "Pieteikums nosūtīts"
    download_pdf(page, any_live_server, reference)
    assert not csp, f"the browser refused content under the CSP: {csp}"


def test_the_same_journey_without_javascript(no_js_page, live_server, example):
    reference = flow.complete(no_js_page, example)
    download_pdf(no_js_page, live_server, reference)


def test_errors_appear_in_the_summary_and_next_to_each_field(page, live_server, example):
    flow.start(page, example)
    flow.fill_question_page(page, example, "applicant")
    flow.submit_page(page, "Continue on the first page")
    assert flow.PAGE_URL.search(page.url).group("page") == "owner"
    flow.go(page.locator("main form .button-group button[type=submit]"))   # nothing filled in

    summary = page.locator(".error-summary")
    assert summary.is_visible(), f"no error summary on {page.url}"
    assert page.title().startswith("Kļūda: "), page.title()
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("li a")
    assert links.count() >= 4, flow.errors_on(page)   # personal code, given name, surname, address, ...
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        assert target.startswith("#") and len(target) > 1, f"summary link {index} goes nowhere: {target!r}"
        field = page.locator(target)
        assert field.count() == 1, f"summary link {target} has no element"
        group = field.locator("xpath=ancestor::div[contains(@class, 'form-group')][1]")
        message = group.locator(".error-message")
        assert message.count() == 1, f"no error message next to {target}"
        assert link.inner_text().strip() in message.inner_text(), (link.inner_text(), message.inner_text())
        described = field.get_attribute("aria-describedby") or group.locator("fieldset").first.get_attribute(
            "aria-describedby") or ""
        assert message.get_attribute("id") in described.split(), f"{target} is not described by its error"

    first = links.first
    target = first.get_attribute("href")[1:]
    first.click()
    assert page.evaluate("document.activeElement && document.activeElement.id") == target, (
        f"clicking the summary link to #{target} did not move the focus to the field")

    # The values typed are kept, and correcting them clears the errors.
    page.fill("#owner-surname", "B")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    assert page.locator("#owner-surname").input_value() == "B"
    assert page.locator("#owner-surname-error").is_visible()
    flow.fill_question_page(page, example, "owner")
    flow.submit_page(page, "Continue after correcting the errors")
    assert flow.PAGE_URL.search(page.url), page.url
    assert flow.PAGE_URL.search(page.url).group("page") == "pets"


def test_a_draft_is_resumed_from_its_resume_link_in_a_new_browser(page, new_context, live_server, example):
    flow.start(page, example)
    for page_id in ("applicant", "owner"):
        flow.fill_question_page(page, example, page_id)
        flow.submit_page(page, f"Continue on {page_id}")
    assert flow.PAGE_URL.search(page.url).group("page") == "pets"
    flow.go(page.locator("main form .button-group a[href$='/saved']"))
    link = page.locator(".resume-link a").get_attribute("href")
    path, _, code = link.partition("#")
    assert path.endswith("/resume") and code, link     # the token only in the fragment: never sent
    page.context.close()

    later = new_context().new_page()
    later.goto(link)        # the page's script sends the code in its form, then the draft opens
    later.wait_for_url(flow.PAGE_URL)
    found = flow.PAGE_URL.search(later.url)
    assert found and found.group("page") == "pets", f"the resume link led to {later.url}"
    later.goto(later.url.replace("/apply/pets", "/apply/owner"))
    assert later.locator("#owner-surname").input_value() == example.answers["owner"]["surname"]
    flow.answer_questions(later, example)
    reference = flow.send(later)
    assert "PET" in reference


def test_switching_to_english_on_a_question_page_keeps_the_page(page, live_server, example):
    flow.start(page, example)
    flow.fill_question_page(page, example, "applicant")
    flow.submit_page(page, "Continue on the first page")
    path = page.url.split("?")[0]
    assert page.locator("h1").inner_text().strip() == "Īpašnieks"
    # On a page of answers the switch is one of the form's buttons (it keeps what was typed).
    flow.go(page.locator("nav.language-switch").get_by_role("button", name="English"))
    assert page.url.split("?")[0] == path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Owner"
    assert page.locator("label[for=owner-surname]").inner_text().strip().startswith("Surname")
    flow.go(page.locator("nav.language-switch").get_by_role("button", name="Latviešu"))
    assert page.url.split("?")[0] == path
    assert page.locator("h1").inner_text().strip() == "Īpašnieks"


def test_four_pets_open_the_consent_page_and_its_upload_is_listed(page, live_server):
    """"Add another" four times, a page that only appears for more than three pets, and
    a PDF upload that "check your answers" lists. The definition's case leaves the
    consent out on purpose (it expects that error); the resident here uploads it."""
    base = journey(SERVICE, municipality="riga", name_contains="more than three pets",
                   valid_only=False)
    consent = {"name": "piekrisana.pdf", "media_type": "application/pdf"}
    four = dataclasses.replace(base, answers={**base.answers, "consent_document": consent})
    live_server.set_today(four.today)
    try:
        flow.start(page, four)
        visited = flow.answer_questions(page, four)
        assert visited == ["applicant", "owner", "pets", "details", "consent"], visited
        assert "piekrisana.pdf" in page.locator("main").inner_text(), "the upload is not on the check page"
        reference = flow.send(page)
    finally:
        live_server.set_today(None)
    assert "PET" in reference
