"""Questions that react on the same page, in Chromium with and without JavaScript: the
dog-fee owner page (a private person or an institution), the tree-felling applicant page,
a repeat entry with a field the municipality turned off, a list filtered by an answer on
the same entry; and a keyboard walk: focus to the error summary after a failed submit, an
error link that leaves no fragment behind, a message after adding and removing an entry,
Cancel after a failed new entry leaving no row."""
from __future__ import annotations

import pytest

from . import flow
from .pet_entry import at_new_pet

pytestmark = pytest.mark.e2e

DOG_FEE = "/riga/dog-fee"
TREES = "/riga/tree-felling-permit"
PETS = "/riga/example-pet-registration"


def start(page, base: str) -> None:
    page.goto(f"{base}/")
    flow.go(page.locator("main form button[type=submit]").first)


def shown(page, label: str) -> bool:
    found = page.get_by_text(label, exact=True)
    return found.count() > 0 and found.first.is_visible()


def test_the_owner_page_asks_only_the_chosen_owners_questions_with_javascript(page, live_server):
    start(page, DOG_FEE)
    assert not shown(page, "Iestādes nosaukums") and not shown(page, "Vārds")
    page.check("input[name=owner_kind][value=person]")
    flow.settle(page)
    assert shown(page, "Vārds") and not shown(page, "Iestādes nosaukums")
    page.check("input[name=owner_kind][value=service_body]")
    flow.settle(page)
    assert shown(page, "Iestādes nosaukums") and not shown(page, "Vārds")
    assert "/apply/owner" in page.url                        # nothing was sent to show them


def test_the_owner_page_without_javascript_asks_the_new_questions_after_continue(no_js_page, live_server):
    page = no_js_page
    start(page, DOG_FEE)
    assert not shown(page, "Iestādes nosaukums") and not shown(page, "Vārds")
    page.check("input[name=owner_kind][value=service_body]")
    page.fill("input[name=owner-email]", "iestade@example.lv")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    assert page.url.endswith("/apply/owner")
    assert page.locator(".error-summary").count() == 0     # asked as new questions, not as errors
    assert shown(page, "Iestādes nosaukums") and not shown(page, "Vārds")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_tree_felling_applicant_page_shows_one_applicant_group(new_context, live_server, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    start(page, TREES)
    person, company = page.locator("legend", has_text="Privātpersona"), page.locator("legend", has_text="Juridiska persona vai iestāde")
    assert not person.is_visible() and not company.is_visible()
    page.check("input[name=applicant_kind][value=company]")
    if javascript:
        flow.settle(page)
    else:
        flow.go(page.locator("main form .button-group button[type=submit]"))
    assert company.is_visible() and not person.is_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_new_dog_in_riga_has_no_field_riga_turned_off(new_context, live_server, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    start(page, DOG_FEE)
    page.check("input[name=owner_kind][value=person]")
    if javascript:
        flow.settle(page)
    else:                     # the person's questions are asked once the choice is sent
        flow.go(page.locator("main form .button-group button[type=submit]"))
    for name, value in (("owner-given_name", "Jānis"), ("owner-surname", "Bērziņš"),
                        ("owner-personal_code", "010190-15267"), ("owner-email", "j@example.lv")):
        page.fill(f"input[name={name}]", value)
    page.check("input[name=owner-pensioner][value=no]")
    page.select_option("select[name=owner-disability_group]", value="none")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    flow.go(page.locator('button[name=add_entry][value=dogs]'))
    assert page.url.endswith("/apply/dogs/dogs/0")
    assert shown(page, "Suņa vārds")
    assert page.get_by_text("Iegādes datums").count() == 0 and page.get_by_text("Turēšanas vieta").count() == 0


def test_a_breed_list_follows_the_species_chosen_on_the_same_entry(page, live_server):
    at_new_pet(page)
    breed = page.locator("select[name=pets-breed]")
    assert breed.locator("option[value=labrador]").is_disabled()   # no species yet: only mixed breeds
    page.check("input[name=pets-species][value=cat]")
    flow.settle(page)
    assert breed.locator("option[value=siamese]").is_enabled() and breed.locator("option[value=labrador]").is_disabled()
    page.check("input[name=pets-species][value=dog]")
    flow.settle(page)
    assert breed.locator("option[value=labrador]").is_enabled() and breed.locator("option[value=siamese]").is_disabled()


def test_a_keyboard_walk_through_errors_entries_and_cancel(page, live_server):
    at_new_pet(page)
    page.fill("input[name=pets-name]", "Reksis")
    page.keyboard.press("Tab")
    flow.go(page.locator("main form .button-group button[type=submit]"))     # a failed new entry
    assert page.evaluate("document.activeElement.className") == "error-summary"
    page.keyboard.press("Tab")                                                 # the first error link
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == target.lstrip("#") or \
        page.evaluate(f"document.getElementById('{target.lstrip('#')}').contains(document.activeElement)")
    assert "#" not in page.url                                                 # no fragment left behind
    flow.go(page.get_by_role("link", name="Atcelt"))
    assert page.url.endswith("/apply/pets")
    assert page.locator(".summary-list--entries .summary-list__row").count() == 0   # Cancel left no row
    flow.go(page.locator('button[name=add_entry][value=pets]'))
    for name, value in (("pets-name", "Reksis"), ("pets-chip", "123456789012345"), ("pets-birth_date-day", "1"),
                        ("pets-birth_date-month", "1"), ("pets-birth_date-year", "2020"), ("pets-weight", "30")):
        page.fill(f"input[name={name}]", value)
    page.check("input[name=pets-species][value=dog]")
    flow.settle(page)
    page.select_option("select[name=pets-breed]", value="labrador")
    page.check("input[name=pets-sterilised][value=yes]")
    page.locator("main form .button-group button[type=submit]").focus()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert "#" not in page.url and page.url.endswith("/apply/pets?done=added.0.pets")
    banner = page.locator("[data-notice]")
    assert "pievienots" in banner.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-notice')")
    flow.go(page.get_by_role("link", name="Noņemt Dzīvnieks 1"))
    flow.go(page.locator("main form button[type=submit]").first)
    assert "noņemts" in page.locator("[data-notice]").inner_text()


def test_optional_follows_a_required_expression_on_the_same_entry(page, live_server):
    start(page, TREES)
    page.goto(f"{TREES}/apply/trees/trees/0")
    mark = page.locator("[data-optional='trees-reason_details']")
    assert mark.is_visible()                                  # no reason yet: "(nav obligāti)"
    page.check("input[name=trees-reason][value=other]")
    flow.settle(page)
    assert not mark.is_visible()                              # "Cits iemesls" must be explained
    page.check("input[name=trees-reason][value=dead]")
    flow.settle(page)
    assert mark.is_visible()
