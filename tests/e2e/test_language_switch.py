"""Switching language on a page of answers keeps what was typed, with JavaScript and
without: the switch is buttons of the page's form; Enter in a field still means Continue."""
from __future__ import annotations

import pytest

from . import flow
from .pet_entry import at_new_pet

pytestmark = pytest.mark.e2e

@pytest.mark.parametrize("javascript", [True, False])
def test_switching_language_on_an_entry_page_keeps_what_was_typed(new_context, live_server, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    at_new_pet(page, "?lang=lv")
    page.fill("input[name=pets-name]", "Reksis")
    page.fill("input[name=pets-chip]", "123")               # not valid yet: kept all the same
    flow.go(page.get_by_role("button", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.input_value("input[name=pets-name]") == "Reksis"
    assert page.input_value("input[name=pets-chip]") == "123"
    assert page.locator(".error-summary").count() == 0
    flow.go(page.get_by_role("button", name="Latviešu"))
    assert page.locator("html").get_attribute("lang") == "lv" and page.input_value("input[name=pets-name]") == "Reksis"


def test_enter_in_a_field_still_continues_rather_than_switching(no_js_page, live_server):
    page = no_js_page
    at_new_pet(page, "?lang=lv")
    page.fill("input[name=pets-name]", "Reksis")
    with page.expect_navigation(wait_until="load"):
        page.press("input[name=pets-name]", "Enter")
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.locator(".error-summary").count() == 1        # a save that failed, not a language switch
