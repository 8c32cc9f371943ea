"""Register look-ups on the resident side: the stand-in answers, a summary page shows what
the register says; when the register does not answer the resident is told so on the page
and goes on by giving the details by hand, never an error page."""
from __future__ import annotations

import dataclasses

import pytest

from builder.catalogue import load_catalogue
from runtime.config import ConfigError, load_settings
from runtime.registers import Registry
from runtime.registers.standin import StandinRegister

from tests.builder.defs import RIGA, service, write_layout

from .resident_support import Browser, make_app

FIELDS = """
  company_number: {type: registration_number, label: {lv: Reģistrācijas numurs, en: Registration number}}
  company_name: {type: text, when: "lookup.company == null || !lookup.company.found", label: {lv: Nosaukums, en: Name}}"""
COMPUTED = '\n  company_shown: {type: text, label: {lv: Uzņēmums, en: Company}, expr: "lookup.company.found ? lookup.company.name : company_name"}'
LOOKUPS = '\n  company: {register: enterprise_register, key: "company_number"}'
PAGES = ("\n  - {id: number, title: {lv: Uzņēmums, en: Company}, fields: [company_number]}"
         "\n  - {id: name, title: {lv: Nosaukums, en: Name}, fields: [company_name]}"
         "\n  - {id: overview, title: {lv: Pārskats, en: Overview}, show: [company_shown]}")
RULES = """
  - id: company_active
    when: "lookup.company.found"
    check: "lookup.company.active"
    fields: [company_number]
    message: {lv: "{lookup.company.name} ir izslēgts no reģistra", en: "{lookup.company.name} has been struck off"}"""


@pytest.fixture
def lookup_app(tmp_path, app_config):
    text = service(fields=FIELDS, computed=COMPUTED, lookups=LOOKUPS, pages=PAGES, rules=RULES, tests=None)
    catalogue = load_catalogue(write_layout(tmp_path / "definitions", services={"x": text}, municipalities={"riga": RIGA}))
    assert not catalogue.problems.errors, [p.format() for p in catalogue.problems.errors]
    application = make_app(app_config, catalogue)
    yield application
    application.extensions["pkip"].database.dispose()


def test_the_stand_in_answers_and_the_summary_shows_the_register_s_name(lookup_app):
    browser = Browser(lookup_app)
    first = browser.start("/riga/x")
    overview = browser.answer(first, {"company_number": "40003032949"})
    assert overview.endswith("/apply/overview")           # found: the name page is skipped
    assert "SIA &#34;Piemērs&#34;" in browser.get(overview)


def test_a_struck_off_company_is_refused_on_its_page(lookup_app):
    browser = Browser(lookup_app)
    first = browser.start("/riga/x")
    response = browser.post(first, {"company_number": "40003002003"}, status=200)
    assert "SIA &#34;Vecais veikals&#34; ir izslēgts no reģistra" in response.get_data(as_text=True)


def test_a_register_that_does_not_answer_lets_the_resident_type_the_name(lookup_app):
    state = lookup_app.extensions["pkip"]
    lookup_app.extensions["pkip"] = dataclasses.replace(
        state, registers=Registry([StandinRegister("enterprise_register", {}, down=True)]))
    browser = Browser(lookup_app)
    first = browser.start("/riga/x")
    name = browser.answer(first, {"company_number": "40003032949"})
    assert name.endswith("/apply/name")                    # not checked: asked by hand
    overview = browser.answer(name, {"company_name": "SIA Mans"})
    assert overview.endswith("/apply/overview")
    assert "SIA Mans" in browser.get(overview)
    html = browser.get(first)
    assert "Uzņēmumu reģistrs šobrīd neatbild" in html      # the page of the key says why


def test_the_stand_in_is_never_on_in_production(tmp_path):
    with pytest.raises(ConfigError, match="PKIP_REGISTER_STANDINS is not allowed"):
        load_settings({"instance_path": str(tmp_path), "env": "production", "register_standins": True,
                       "secret_key": "x" * 40})
    assert not load_settings({"instance_path": str(tmp_path), "env": "production", "secret_key": "x" * 40}).register_standins
    assert load_settings({"instance_path": str(tmp_path), "env": "development"}).register_standins
