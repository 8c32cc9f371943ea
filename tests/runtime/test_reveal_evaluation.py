"""The reveal address (reveal.py, what form.js asks) evaluates by the page alone: what it
answers for the shipped pages and entries that react (the dog fee's owner, the pets'
species and breed, the trees' reason) is what it answers with the full evaluation in its
place (the engine's side: tests/builder/test_engine_pages.py, the scope and hidden paths)."""
from __future__ import annotations

import pytest

import builder.engine

from .resident_support import OWNER, PET, Browser
from .resident_support import app, browser  # noqa: F401  (shared fixtures)
from .test_entry_evaluation import evaluations  # noqa: F401  (fixture)
from .test_reveal import DOGS, TREES, reveal


def reacting_forms(browser: Browser) -> list[tuple[str, list[dict]]]:
    """(a reacting form's address, the answers so far to reveal for), over the shipped services."""
    owner = browser.start(DOGS)
    pets_owner = browser.answer(browser.start(PET), {"applicant_kind": "person"})
    pet = browser.answer(browser.answer(pets_owner, OWNER), {"add_entry": "pets"})
    browser.start(TREES)
    return [
        (owner, [{"owner_kind": kind} for kind in ("person", "service_body", "")]),
        (pet, [{"pets-species": species} for species in ("dog", "cat", "")]),
        (f"{TREES}/apply/trees/trees/0", [{}, {"trees-reason": "dead"}, {"trees-reason": "other"}]),
    ]


def test_a_reveal_answers_by_its_page_what_the_full_evaluation_answers(browser, evaluations, monkeypatch):
    forms = reacting_forms(browser)
    evaluations.clear()
    by_page = [reveal(browser, url, data) for url, answers in forms for data in answers]
    assert evaluations and set(evaluations) == {"page"}, evaluations

    full = builder.engine.evaluate
    monkeypatch.setattr(builder.engine, "evaluate_page", lambda effective, answers, context, page: full(
        effective, answers, context))
    in_full = [reveal(browser, url, data) for url, answers in forms for data in answers]
    assert by_page == in_full
    assert any(state["hidden"] for state in by_page) and any(state["options"] for state in by_page)
    assert any(state["optional"] for state in by_page) and len({str(state) for state in by_page}) > 4
