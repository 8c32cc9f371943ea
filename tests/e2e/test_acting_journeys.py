"""Issue 12 end to end in Chromium: acting for a company and for a child, signed in through
the latvija.lv stand-in (on another site, as the real one is). Jānis Bērziņš signs in as
the representative of a company and files the example application: it is listed for the
company, not in his private list, and the company's other representative sees it. Then he
signs in for himself, chooses his child Pēteris (the population register stand-in lists
him), registers him in the preschool queue: listed while acting for the child only, and
another adult's browser gets nothing."""
from __future__ import annotations

import pytest

from tests.certified_oidc import free_port

from . import flow
from .axe import assert_accessible
from .conftest import DEFAULT_TIMEOUT_MS, serving
from .scenarios import journey

pytestmark = pytest.mark.e2e
COMPANY = "40003245752"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    port = free_port()
    settings = {"signin_standins": True, "latvija_endpoint": f"http://localhost:{port}/_standin/latvija/"}
    with serving(tmp_path_factory.mktemp("e2e-acting"), settings, port=port) as server:
        yield server


@pytest.fixture
def browser_of(browser, site):
    made = []

    def new_page():
        context = browser.new_context(base_url=site.url, locale="lv-LV")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        made.append(context)
        return context.new_page()

    yield new_page
    for context in made:
        context.close()


def latvija_sign_in(page, given_name: str, surname: str, code: str, company: str | None = None) -> None:
    page.goto("/signin/?next=/my/")
    flow.go(page.get_by_role("link", name="Pierakstīties ar latvija.lv"))
    page.fill("#given_name", given_name)
    page.fill("#surname", surname)
    page.fill("#personal_code", code)
    if company:
        page.check("#acting_as-company")
        page.fill("#party", company)
    flow.go(page.get_by_role("button", name="Pierakstīties"))
    flow.go(page.get_by_role("button", name="Turpināt"))         # the stand-in's POST back, cross-site


def choose(page, label: str) -> None:
    if "/my/acting-for" not in page.url:
        page.goto("/my/acting-for?next=/my/")
    page.get_by_label(label).check()
    flow.go(page.get_by_role("button", name="Turpināt"))
    assert page.url.endswith("/my/"), page.url


def listed(page) -> str:
    page.goto("/my/")
    return page.locator("main").inner_text()


def test_acting_for_a_company(browser_of, site):
    example = journey("example-pet-registration", municipality="riga", name_contains="one reduction, not two")
    site.set_today(example.today)
    try:
        janis = browser_of()
        latvija_sign_in(janis, "Jānis", "Bērziņš", "010190-15267", company=COMPANY)
        assert COMPANY in janis.locator("#acting-for").inner_text()
        reference = flow.complete(janis, example)
        assert reference in listed(janis)
        choose(janis, "Savā vārdā, Jānis Bērziņš")
        assert reference not in listed(janis)                     # not his private list

        colleague = browser_of()
        latvija_sign_in(colleague, "Anna", "Bērziņa", "161175-19997", company=COMPANY)
        assert reference in listed(colleague)                     # the company's other representative
        choose(colleague, "Savā vārdā, Anna Bērziņa")
        assert reference not in listed(colleague)
    finally:
        site.set_today(None)


def test_acting_for_a_child(browser_of, site):
    preschool = journey("preschool-queue", municipality="riga")
    assert preschool.answers["child"]["personal_code"] == "321234-00001"      # Pēteris in the register stand-in
    site.set_today(preschool.today)
    try:
        janis = browser_of()
        latvija_sign_in(janis, "Jānis", "Bērziņš", "010190-15267")
        assert "/my/acting-for" in janis.url                      # he has children: asked first
        choose(janis, "Sava bērna Pēteris Bērziņš vārdā")
        reference = flow.complete(janis, preschool)
        shown = listed(janis)
        assert reference in shown and "Pēteris Bērziņš" in shown
        janis.goto(f"/riga/case/{reference}")
        assert janis.locator("#filed-for").inner_text() == "Sava bērna Pēteris Bērziņš vārdā"
        assert_accessible(janis, "the case page of a case filed for a child")
        choose(janis, "Savā vārdā, Jānis Bērziņš")
        assert reference not in listed(janis)

        stranger = browser_of()
        latvija_sign_in(stranger, "Anna", "Bērziņa", "161175-19997")
        assert reference not in listed(stranger)
        stranger.goto(f"/riga/case/{reference}")
        assert stranger.locator("h1").inner_text() == "Lapa nav atrasta"
    finally:
        site.set_today(None)
