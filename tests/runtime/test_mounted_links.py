"""An app mounted under a prefix (SCRIPT_NAME, as behind a reverse proxy at /pkip):
every address a resident's case pages give stays under it. The confirmation's and the
case page's PDF link were written from the path alone and left the mount point."""
from __future__ import annotations

import re

from .resident_support import DETAILS, DOG, OWNER, Browser
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

MOUNT = "/pkip"
ADDRESS = re.compile(r'\b(?:href|action|src)="(/[^"]*)"')


def submitted(browser: Browser) -> str:
    first = browser.start()
    owner = browser.answer(first, {"applicant_kind": "person"})
    pets = browser.answer(owner, OWNER)
    browser.answer(browser.answer(pets, {"add_entry": "pets"}), DOG)
    details = browser.answer(pets, {})
    check = browser.answer(details, DETAILS)
    return browser.answer(check, {"declaration": "confirmed"})


def mounted(browser: Browser, path: str) -> str:
    response = browser.client.get(path, environ_overrides={"SCRIPT_NAME": MOUNT})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def outside(html: str) -> list[str]:
    return [address for address in ADDRESS.findall(html)
            if not (address == MOUNT or address.startswith(f"{MOUNT}/"))]


def test_the_pages_of_an_application_link_within_the_mount_point(app, browser):
    first = browser.start()
    owner = browser.answer(first, {"applicant_kind": "person"})
    for page in (first.rsplit("/start", 1)[0], first, owner):
        assert outside(mounted(browser, page)) == [], page


def test_the_confirmation_and_the_case_page_link_within_the_mount_point(app, browser):
    confirmation = submitted(browser)
    html = mounted(browser, confirmation)
    assert "/application.pdf" in html
    assert outside(html) == []
    case_page = re.search(r'href="/pkip(/[^"]*/case/[^"/]+)"', html).group(1)
    assert "/application.pdf" in mounted(browser, case_page)
    assert outside(mounted(browser, case_page)) == []
