"""Which evaluation a repeat entry's page runs: its page's own (`evaluate_page`) when the
engine's `entries_on_page` says that gives every issue of the entry (every shipped repeat:
tests/builder/test_engine_entries.py compares the two), the full one when a rule on another
page names the entry's field; and on that full path the other page's rule is shown on the
entry and keeps a new entry from being stored. A post to a page an answer can hide finds
out whether it is shown by that page's evaluation too."""
from __future__ import annotations

import pytest

import builder.engine
from builder.catalogue import load_catalogue
from runtime.storage.models import Draft

from tests.builder.defs import RIGA, write_layout
from tests.builder.test_engine_entries import CROSS_ENTRY

from .resident_support import DOG, PET, Browser, make_app, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)
from .test_repeat_entries import at_pets

X = "/riga/x"


@pytest.fixture
def evaluations(monkeypatch) -> list[str]:
    """"full" or "page" for each engine evaluation from here on."""
    seen: list[str] = []
    full, page = builder.engine.evaluate, builder.engine.evaluate_page

    def counted_full(*arguments):
        seen.append("full")
        return full(*arguments)

    def counted_page(*arguments):
        seen.append("page")
        return page(*arguments)
    monkeypatch.setattr(builder.engine, "evaluate", counted_full)
    monkeypatch.setattr(builder.engine, "evaluate_page", counted_page)
    return seen


def test_a_shipped_entry_page_evaluates_its_page_alone(browser, evaluations):
    pets = at_pets(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    evaluations.clear()
    browser.get(entry)                                              # a new entry drawn
    failed = browser.post(entry, {**DOG, "pets-name": ""}, status=200).get_data(as_text=True)
    assert 'class="error-summary"' in failed
    browser.answer(entry, DOG)                                      # and saved
    browser.answer(f"{PET}/apply/pets/pets/0/remove", {})           # and removed
    assert evaluations and set(evaluations) == {"page"}, evaluations
    [draft] = rows(browser.app, Draft)
    assert not draft.answers.get("pets")


@pytest.fixture
def cross_app(tmp_path, app_config):
    catalogue = load_catalogue(write_layout(tmp_path / "definitions", services={"x": CROSS_ENTRY},
                                            municipalities={"riga": RIGA}))
    assert not catalogue.problems.errors, [p.format() for p in catalogue.problems.errors]
    application = make_app(app_config, catalogue)
    yield application
    application.extensions["pkip"].database.dispose()


def test_a_rule_on_another_page_naming_the_entry_is_shown_on_the_entry(cross_app, evaluations):
    browser = Browser(cross_app)
    second = browser.answer(browser.start(X), {"name": "Anna"})
    first_pet = browser.answer(second, {"add_entry": "pets"})
    browser.answer(first_pet, {"pets-chip": "1"})
    second_pet = browser.answer(second, {"add_entry": "pets"})
    assert second_pet.endswith("/apply/second/pets/1")
    evaluations.clear()
    failed = browser.post(second_pet, {"pets-chip": "1"}, status=200).get_data(as_text=True)
    assert "Atkārtojas" in failed                   # the first page's rule, about this chip
    assert "full" in evaluations and "page" not in evaluations
    [draft] = rows(cross_app, Draft)
    assert draft.answers["pets"] == [{"chip": "1"}]     # the failed new entry is not stored


def test_a_post_to_a_page_an_answer_can_hide_finds_it_visible_or_not_by_that_pages_evaluation(browser, evaluations):
    """The pets' company page shows only for a company: its post is a 404 for a person,
    accepted for a company, and neither evaluates in full (tests/builder/test_engine_pages.py:
    every page's evaluation gives the full one's visible pages)."""
    applicant = browser.start(PET)
    company = applicant.replace("/apply/applicant", "/apply/company")
    browser.answer(applicant, {"applicant_kind": "person"})
    token = browser.token(applicant)
    evaluations.clear()
    assert browser.client.post(company, data={"csrf_token": token}).status_code == 404
    assert evaluations == ["page"]
    browser.answer(applicant, {"applicant_kind": "company"})
    evaluations.clear()
    assert browser.post(company, {}).status_code in (200, 302)
    assert evaluations and set(evaluations) == {"page"}, evaluations
