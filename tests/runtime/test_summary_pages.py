"""A summary page on the resident side (issue 10, item 6): it shows computed values, one
row per entry for a per-entry value, asks nothing and moves on; the check-answers page
asks the definition's own declaration, or none when the definition turns it off."""
from __future__ import annotations

import re

import pytest

from builder.catalogue import load_catalogue

from tests.builder.defs import BASE_SECTIONS, RIGA, service, write_layout

from .resident_support import Browser, make_app

PETS_LABEL = "    label: {lv: Dzīvnieki, en: Pets}\n"
FIELDS = BASE_SECTIONS["fields"].replace(PETS_LABEL, PETS_LABEL + "    item_label: {lv: Dzīvnieks, en: Pet}\n")
COMPUTED = ('\n  pet_count: {type: integer, label: {lv: Dzīvnieku skaits, en: Number of pets}, expr: "size(pets)"}'
            '\n  chip_length: {type: integer, for_each: pets, label: {lv: Čipa garums, en: Chip length}, expr: "size(item.chip)"}')
PAGES = ("\n  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, pets]}"
         "\n  - {id: overview, title: {lv: Pārskats, en: Overview}, show: [pet_count, chip_length]}")
X = "/riga/x"


def app_with(tmp_path, app_config, **sections):
    text = service(fields=FIELDS, computed=COMPUTED, pages=PAGES, **sections)
    catalogue = load_catalogue(write_layout(tmp_path / "definitions", services={"x": text}, municipalities={"riga": RIGA}))
    assert not catalogue.problems.errors, [p.format() for p in catalogue.problems.errors]
    return make_app(app_config, catalogue)


def to_overview(browser: Browser) -> str:
    main = browser.start(X)
    pets = [{"chip": "123"}, {"chip": "12345"}]
    for index, pet in enumerate(pets):
        entry = browser.answer(main, {"name": "Anna", "add_entry": "pets"})
        assert entry.endswith(f"/apply/main/pets/{index}")
        browser.answer(entry, {"pets-chip": pet["chip"]})
    overview = browser.answer(main, {"name": "Anna"})
    assert overview.endswith("/apply/overview")
    return overview


@pytest.fixture
def summary_app(tmp_path, app_config):
    application = app_with(tmp_path, app_config)
    yield application
    application.extensions["pkip"].database.dispose()


def test_the_summary_page_shows_values_per_entry_and_asks_nothing(summary_app):
    browser = Browser(summary_app)
    overview = to_overview(browser)
    html = " ".join(browser.get(overview).split())
    assert "Dzīvnieku skaits</dt><dd class=\"summary-list__value\"><span class=\"summary-list__line\">2</span>" in html
    assert "Dzīvnieks 1</dt>" in html and "Čipa garums: 3" in html
    assert "Dzīvnieks 2</dt>" in html and "Čipa garums: 5" in html
    form = html.split("<form", 1)[1].split("</form>", 1)[0]
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form)
    assert inputs and all('name="csrf_token"' in tag for tag in inputs)   # nothing to answer
    check = browser.answer(overview, {})
    assert check.endswith(f"{X}/check")
    check_html = browser.get(check)
    assert "Pārskats" not in check_html               # nothing to change on a summary page
    assert "Apliecinu, ka sniegtā informācija ir patiesa un pilnīga." in check_html


def test_a_definition_words_its_own_declaration(tmp_path, app_config):
    app = app_with(tmp_path, app_config, declaration=' {lv: "Apliecinu, ka dzīvnieki ir mani", en: I confirm the pets are mine}')
    browser = Browser(app)
    check = browser.answer(to_overview(browser), {})
    assert "Apliecinu, ka dzīvnieki ir mani" in browser.get(check)
    assert "I confirm the pets are mine" in browser.get(check + "?lang=en")
    response = browser.post(check, {}, status=200)            # not ticked: not sent
    assert "declaration-error" in response.get_data(as_text=True)
    assert "/case/" in browser.answer(check, {"declaration": "confirmed"})
    app.extensions["pkip"].database.dispose()


def test_without_a_declaration_the_application_is_sent_as_it_is(tmp_path, app_config):
    app = app_with(tmp_path, app_config, declaration=" false")
    browser = Browser(app)
    check = browser.answer(to_overview(browser), {})
    html = browser.get(check)
    assert 'name="declaration"' not in html and "Apliecinu" not in html
    assert "/case/" in browser.answer(check, {})
    app.extensions["pkip"].database.dispose()
