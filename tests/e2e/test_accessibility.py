"""axe-core finds no WCAG 2.1 A/AA violation on any page type a resident meets."""
from __future__ import annotations

import pytest

from .axe import assert_accessible

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


def test_start_page(page, live_server):
    page.goto(f"/{MUNICIPALITY}/{SERVICE}/")
    assert_accessible(page, "the start page")


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
