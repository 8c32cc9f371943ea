"""axe-core finds no WCAG 2.1 A/AA violation on any page type a resident meets."""
from __future__ import annotations

import datetime

import pytest

from . import flow
from .axe import assert_accessible, describe, violations
from .scenarios import journey

pytestmark = pytest.mark.e2e

MUNICIPALITY = "riga"
SERVICE = "example-pet-registration"


def test_home_municipality_list(page, live_server):
    page.goto("/")
    assert_accessible(page, "the list of municipalities")


def test_catalogue(page, live_server):
    page.goto(f"/{MUNICIPALITY}/")
    assert_accessible(page, "the catalogue of Riga")


def test_catalogue_in_english(page, live_server):
    page.goto(f"/{MUNICIPALITY}/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, "the English catalogue")


def test_merged_municipality_page(page, live_server):
    page.goto("/varaklanu-novads/")
    assert page.get_by_role("link", name="E-pakalpojumi: Madonas novads").is_visible()
    assert_accessible(page, "the page of a merged municipality")


def test_start_page(page, live_server):
    page.goto(f"/{MUNICIPALITY}/{SERVICE}/")
    assert_accessible(page, "the start page")


def test_resume_code_page(page, live_server):
    """Where a resume link leads; without a code in the fragment it waits for one."""
    page.goto(f"/{MUNICIPALITY}/{SERVICE}/resume")
    assert page.locator("#resume-form").is_visible()
    assert_accessible(page, "the resume code page")


@pytest.mark.parametrize("path", ["/no-such-municipality/", f"/{MUNICIPALITY}/no-such-service/"])
def test_not_found_page(page, live_server, path):
    response = page.goto(path)
    assert response.status == 404
    assert_accessible(page, "the 404 page")


def test_harness_axe_reports_violations_under_the_apps_csp(page, live_server):
    """The checks above prove something only if axe runs in the app's pages (strict CSP)
    and reports what it finds: break a page on purpose and expect the rule id."""
    page.goto(f"/{MUNICIPALITY}/")
    page.evaluate("""() => { const img = document.createElement('img');
        img.src = '/static/coats/riga.svg'; document.querySelector('main').appendChild(img); }""")
    with pytest.raises(AssertionError, match=r"image-alt \(critical\): #main > img"):
        assert_accessible(page, "a page broken on purpose")


# --- the resident flow: one walk through the example service, axe on every page type ----

FLOW_PAGES = [
    "dev sign-in", "dev sign-in with errors", "my applications (empty)",
    "question page", "question page in English", "question page with errors",
    "saved (resume link)", "repeat page (nothing added)", "repeat entry page",
    "repeat entry page with errors", "repeat page (add another)", "remove entry page",
    "check your answers (fees)", "check your answers with errors (declaration)",
    "confirmation (payment with QR code)", "PDF not ready yet", "queue position",
    "unavailable (already sent)",
    "my applications (with the application)",
]


class Walk:
    def __init__(self):
        self.found: dict[str, tuple[str, list[dict]]] = {}
        self.broken: str | None = None

    def audit(self, page, name: str) -> None:
        assert name in FLOW_PAGES, name
        self.found[name] = (page.url, violations(page))


@pytest.fixture(scope="module")
def walk(browser, live_server):
    """Walk the example service signed in, as a resident would, and run axe on each page
    type on the way; a broken step is recorded and fails the page types after it."""
    chosen = journey(SERVICE, municipality=MUNICIPALITY, name_contains="one reduction, not two")
    live_server.set_today(chosen.today)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    result = Walk()
    try:
        _walk(page, chosen, live_server, result)
    except Exception as error:   # a broken step fails the page types not reached, not the run
        result.broken = f"{type(error).__name__}: {error} (last page: {page.url})"
    finally:
        context.close()
        live_server.set_today(None)
    return result


def _walk(page, chosen, live_server, result: Walk) -> None:
    audit = result.audit
    page.goto("/signin/dev?next=/my/")
    audit(page, "dev sign-in")
    flow.go(page.locator("main form button[type=submit]"))
    assert flow.errors_on(page), "the empty dev sign-in form showed no errors"
    audit(page, "dev sign-in with errors")
    flow.sign_in(page, chosen.person)
    assert page.url.endswith("/my/"), page.url
    audit(page, "my applications (empty)")

    flow.start(page, chosen)
    audit(page, "question page")
    here = page.url.split("?")[0]
    page.goto(here + "?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    audit(page, "question page in English")
    page.goto(here + "?lang=lv")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    assert flow.errors_on(page), f"submitting {here} empty showed no errors"
    audit(page, "question page with errors")
    flow.fill_question_page(page, chosen, "applicant")
    flow.submit_page(page, "Continue on applicant")
    flow.fill_question_page(page, chosen, "owner")
    flow.submit_page(page, "Continue on owner")

    assert flow.PAGE_URL.search(page.url).group("page") == "pets", page.url
    pets_url = page.url.split("#")[0]
    flow.go(page.locator("main form .button-group a[href$='/saved']"))
    audit(page, "saved (resume link)")
    page.goto(pets_url)
    audit(page, "repeat page (nothing added)")
    flow.go(page.locator('button[name="add_entry"][value="pets"]'))
    assert flow.ENTRY_URL.search(page.url), page.url
    audit(page, "repeat entry page")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    assert flow.errors_on(page), "saving an empty entry showed no errors"
    audit(page, "repeat entry page with errors")
    flow.fill_entry(page, chosen.service.field_index["pets"], chosen.answers["pets"][0], 0)
    flow.add_entries(page, chosen, "pets")
    audit(page, "repeat page (add another)")
    page.goto(pets_url.rstrip("/") + "/pets/0/remove")
    audit(page, "remove entry page")
    page.goto(pets_url)
    flow.submit_page(page, "Continue on pets")
    flow.answer_questions(page, chosen)

    audit(page, "check your answers (fees)")
    flow.go(page.locator("main form button[type=submit]").last)
    assert flow.CHECK_URL.search(page.url) and page.locator("#declaration-error").count(), (
        "sending without the declaration showed no error")
    audit(page, "check your answers with errors (declaration)")
    flow.send(page)
    assert page.locator(".payment-qr svg, .payment-qr img").count() == 1, "no QR code on the confirmation page"
    audit(page, "confirmation (payment with QR code)")
    confirmation = page.url

    pdf = page.locator('a[href$="/application.pdf"]').get_attribute("href")
    response = page.goto(pdf)
    if response.status == 202:
        audit(page, "PDF not ready yet")
    live_server.run_outbox()
    response = page.goto(confirmation.split("#")[0].rstrip("/") + "/queue")
    assert response.status == 200, f"the queue page answered {response.status}"
    audit(page, "queue position")
    page.goto(pets_url)
    audit(page, "unavailable (already sent)")
    reference = confirmation.split("/case/")[1].split("/")[0].split("#")[0]
    page.goto("/my/")
    assert page.get_by_text(reference).count() >= 1, "my applications lists no sent application"
    audit(page, "my applications (with the application)")
    page.goto(confirmation)


@pytest.mark.parametrize("name", FLOW_PAGES)
def test_resident_flow_page(walk, name):
    if name not in walk.found:
        if name == "PDF not ready yet" and walk.broken is None:
            pytest.skip("the PDF was ready at once, so the waiting page was not shown")
        pytest.fail(f"the walk did not reach {name!r}: {walk.broken or 'not visited'}", pytrace=False)
    url, found = walk.found[name]
    assert not found, f"axe-core: WCAG 2.1 A/AA violations on {name} ({url}):\n{describe(found)}"


def test_stop_page(page, live_server):
    """A stop rule fires (the example's registration opens on 1 January 2026)."""
    live_server.set_today(datetime.date(2025, 12, 1))
    try:
        page.goto(f"/{MUNICIPALITY}/{SERVICE}/")
        flow.go(page.locator("main form button[type=submit]").first)
    finally:
        live_server.set_today(None)
    assert page.url.split("?")[0].endswith("/stop"), f"no stop page: {page.url}"
    assert_accessible(page, "the stop page")


def test_session_expired_page(page, live_server):
    """A form sent without its CSRF token gets the 400 page."""
    page.goto(f"/{MUNICIPALITY}/{SERVICE}/")
    with page.expect_navigation(wait_until="load"):
        page.evaluate("""() => { const form = document.querySelector('main form');
            form.querySelector('[name=csrf_token]').remove(); form.submit(); }""")
    assert page.locator("p.error-code").inner_text().strip().endswith("400")
    assert_accessible(page, "the session expired (CSRF) page")
