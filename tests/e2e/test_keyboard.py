"""A keyboard-only walk through one whole service (the example pet registration), from its
start page to the confirmation, in Chromium with JavaScript: every control is reached with
Tab, answered by typing, Space and the arrow keys, and pressed with Enter. On the way:
focus goes to the error summary after a failed save, its link moves focus to the field
without leaving a fragment in the address, Cancel after a failed new entry leaves no row,
and adding or removing an entry says so (the focused banner)."""
from __future__ import annotations

import datetime

import pytest

pytestmark = pytest.mark.e2e

PETS = "/riga/example-pet-registration"
MAX_TABS = 80


def active(page, script: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def tab_to(page, selector: str) -> None:
    """Press Tab until the focus is on the element `selector` names (reachable by keyboard)."""
    for _ in range(MAX_TABS):
        if active(page, f"el && el.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reached with Tab on {page.url}")


def press_enter(page) -> None:
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")


def type_into(page, name: str, text: str) -> None:
    tab_to(page, f"[name='{name}']")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into the group, then the arrow keys (which also check) or Space for the first."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(12):
        if active(page, "el.value") == value:
            if not active(page, "el.checked"):
                page.keyboard.press("Space")
            break
        page.keyboard.press("ArrowDown")
    assert page.locator(f"input[name='{name}'][value='{value}']").is_checked(), name
    settle(page)


def choose_option(page, name: str, value: str) -> None:
    tab_to(page, f"select[name='{name}']")
    for _ in range(40):
        if active(page, "el.value") == value:
            break
        page.keyboard.press("ArrowDown")
    assert page.locator(f"select[name='{name}']").input_value() == value, name


def settle(page) -> None:
    page.locator("form[data-revealing]").wait_for(state="detached")


def type_date(page, name: str, day: str, month: str, year: str) -> None:
    for part, text in (("day", day), ("month", month), ("year", year)):
        type_into(page, f"{name}-{part}", text)


def continue_page(page) -> None:
    tab_to(page, "main form .button-group button[type=submit]")
    press_enter(page)


def fill_pet(page, name: str) -> None:
    type_into(page, "pets-name", name)
    choose_radio(page, "pets-species", "dog")
    choose_option(page, "pets-breed", "labrador")
    type_into(page, "pets-chip", "123456789012345")
    type_date(page, "pets-birth_date", "1", "1", "2020")
    type_into(page, "pets-weight", "30,5")
    choose_radio(page, "pets-sterilised", "yes")


@pytest.fixture
def today(live_server):
    live_server.set_today(datetime.date(2026, 2, 1))
    yield
    live_server.set_today(None)


def test_a_whole_service_with_the_keyboard_alone(page, live_server, today):
    page.goto(f"{PETS}/")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)                                                   # Start now
    choose_radio(page, "applicant_kind", "person")
    continue_page(page)
    for name, text in (("owner-personal_code", "010190-15267"), ("owner-given_name", "Jānis"),
                       ("owner-surname", "Bērziņš"), ("owner-email", "janis@example.lv"),
                       ("owner-address", "Brīvības iela 1, Rīga")):
        type_into(page, name, text)
    choose_radio(page, "owner-pensioner", "yes")
    choose_radio(page, "owner-district", "centre")
    continue_page(page)
    assert page.url.endswith("/apply/pets"), page.url

    tab_to(page, "button[name=add_entry][value=pets]")
    press_enter(page)
    type_into(page, "pets-name", "Reksis")
    continue_page(page)                                                 # a failed new entry
    assert active(page, "el.classList.contains('error-summary')")      # focus on the summary
    page.keyboard.press("Tab")
    target = active(page, "el.closest('.error-summary') && el.getAttribute('href')")
    assert target and target.startswith("#")
    page.keyboard.press("Enter")                                        # the error link
    assert active(page, f"!!document.getElementById({target[1:]!r}) && "
                        f"document.getElementById({target[1:]!r}).contains(el)")
    assert "#" not in page.url                                          # no fragment left behind
    tab_to(page, "main form .button-group a")                           # Atcelt
    assert active(page, "el.textContent.trim()") == "Atcelt"
    press_enter(page)
    assert page.url.endswith("/apply/pets") and page.locator(".summary-list--entries .summary-list__row").count() == 0

    for index, name in ((0, "Reksis"), (1, "Muris")):
        tab_to(page, "button[name=add_entry][value=pets]")
        press_enter(page)
        fill_pet(page, name)
        continue_page(page)                                             # Save and continue
        assert "#" not in page.url and page.url.endswith(f"/apply/pets?done=added.{index}.pets"), page.url
        assert active(page, "el.hasAttribute('data-notice')")           # the banner says it, focused
        assert f"Dzīvnieks {index + 1}" in page.locator("[data-notice]").inner_text()
    tab_to(page, "a[href$='/pets/1/remove']")
    press_enter(page)
    tab_to(page, "main form button[type=submit]")
    press_enter(page)                                                   # Yes, remove
    assert active(page, "el.hasAttribute('data-notice')") and "noņemts" in page.locator("[data-notice]").inner_text()
    assert page.locator(".summary-list--entries .summary-list__row").count() == 1

    continue_page(page)
    assert page.url.endswith("/apply/details"), page.url
    type_date(page, "start_date", "10", "2", "2026")
    continue_page(page)
    assert page.url.endswith("/check"), page.url
    tab_to(page, "#declaration")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]:last-of-type")
    press_enter(page)                                                   # Accept and send
    assert "/case/" in page.url and page.locator(".panel__reference").inner_text().strip()
