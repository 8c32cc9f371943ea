"""Issue 12, "who do you act for", in Chromium: a parent (the population register
stand-in knows two children of Jānis Bērziņš) signs in and is asked whom he acts for; the
page passes axe-core with and without its error, works without JavaScript, and "my
applications" then says it lists the child's applications."""
from __future__ import annotations

import pytest

from . import flow
from .axe import assert_accessible

pytestmark = pytest.mark.e2e
JANIS = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}


def sign_in_as_parent(page) -> None:
    page.goto("/signin/dev?next=/my/")
    page.fill("#given_name", JANIS["given_name"])
    page.fill("#surname", JANIS["surname"])
    page.fill("#personal_code", JANIS["personal_code"])
    flow.go(page.locator("main form button[type=submit]"))


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_parent_chooses_to_act_for_the_child(new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    # axe-core runs in the page, so only where scripts run; the no-script pass walks the same pages
    audit = assert_accessible if javascript else (lambda page, what: None)
    sign_in_as_parent(page)
    assert "/my/acting-for" in page.url
    assert page.locator("h1").inner_text() == "Kā vārdā jūs rīkojaties?"
    assert page.locator("#party-self").is_checked()
    audit(page, "who do you act for")
    page.get_by_label("Sava bērna Anna Bērziņa vārdā").check()
    flow.go(page.get_by_role("button", name="Turpināt"))
    assert page.url.endswith("/my/")
    assert "Anna Bērziņa" in page.locator("#acting-for").inner_text()
    audit(page, "my applications for the child")

    flow.go(page.locator("#change-acting-for"))
    assert page.locator("#party-0").is_checked()
    if javascript:      # sent with nothing chosen (a browser unchecks radios only by script)
        page.evaluate("document.querySelectorAll('input[name=party]').forEach(i => { i.checked = false; })")
        flow.go(page.get_by_role("button", name="Turpināt"))
        assert flow.errors_on(page) == ["Izvēlieties, kā vārdā rīkojaties"]
        assert_accessible(page, "who do you act for, with its error")
    page.get_by_label("Savā vārdā, Jānis Bērziņš").check()
    flow.go(page.get_by_role("button", name="Turpināt"))
    assert page.locator("#acting-for").count() == 0
