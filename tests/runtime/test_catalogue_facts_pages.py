"""The catalogue shows each municipality's own processing time and price, from its
parameters (issue 10, item 7), on the list of services, the start page and the
confirmation; the shipped dog fee states its price from `param.annual_fee`."""
from __future__ import annotations

import re

from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def facts_html(html: str) -> str:
    found = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S)
    assert found, "no catalogue facts on the page"
    return " ".join(found.group(1).split())


def test_each_municipality_shows_its_own_dog_fee_price(browser):
    riga = facts_html(browser.get("/riga/dog-fee/"))
    jelgava = facts_html(browser.get("/jelgava/dog-fee/"))
    assert "Cena" in riga and "10,00" in riga and "par suni gadā" in riga
    assert "8,00" in jelgava and "10,00" not in jelgava
    english = facts_html(browser.get("/riga/dog-fee/?lang=en"))
    assert "Price" in english and "10.00" in english and "per dog a year" in english


def test_the_processing_time_comes_from_the_parameter_the_process_uses(browser):
    facts = facts_html(browser.get("/riga/street-trading-permit/"))
    assert "21 darba diena" in facts          # Riga's decision_days
    assert "Cena" not in facts                # no price declared: none claimed


def test_the_list_of_services_shows_the_price_too(browser):
    html = browser.get("/riga/")
    assert "10,00" in html and "par suni gadā" in html
