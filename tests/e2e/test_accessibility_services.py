"""axe-core on every page type of every shipped service, not only the example's: the
start page, each question page (and one with errors), each repeat entry, check your
answers, the confirmation and the applicant's case page, walked in Chromium with
JavaScript on, with the answers of a valid case from the definition's own `tests:`
(`scenarios.journey`). axe hangs in a context without JavaScript, so there the same walk
only has to reach the confirmation: every page works without a script.

One browser for the session, one context per service."""
from __future__ import annotations

import pytest

from . import flow
from .axe import describe, violations
from .scenarios import catalogue, journey

pytestmark = pytest.mark.e2e

SERVICES = sorted(catalogue().services)


def walk(page, service_id: str, live_server, monkeypatch, audit) -> str:
    """Through the service as a resident, `audit(page, what)` on each page type on the way;
    the case reference."""
    chosen = journey(service_id)
    if chosen.person:
        flow.sign_in(page, chosen.person, next_path=chosen.start_path)
    page.goto(chosen.start_path)
    audit(page, "start page")
    seen_errors: list[str] = []

    def on_page(page, page_id: str) -> None:
        audit(page, f"question page {page_id!r}")
        if not seen_errors:          # once per service: Continue with nothing more filled in
            here = page.url
            flow.go(page.locator("main form .button-group button[type=submit]").first)
            if flow.errors_on(page):
                seen_errors.append(page_id)
                audit(page, f"question page {page_id!r} with errors")
            if page.url != here:
                page.goto(here)

    def fill_entry(page, repeat, entry, index, original=flow.fill_entry):
        audit(page, f"entry {index + 1} of {repeat.path}")
        original(page, repeat, entry, index)

    monkeypatch.setattr(flow, "fill_entry", fill_entry)
    flow.start(page, chosen)
    flow.answer_questions(page, chosen, on_page=on_page, revealed=[])
    audit(page, "check your answers")
    reference = flow.send(page)
    audit(page, "confirmation")
    page.goto(f"/{chosen.municipality}/case/{reference}")
    audit(page, "the applicant's case page")
    return reference


@pytest.mark.parametrize("service_id", SERVICES)
def test_every_page_type_of_the_service_passes_axe(service_id, new_context, live_server, monkeypatch):
    chosen = journey(service_id)
    page = new_context().new_page()
    found: dict[str, tuple[str, list[dict]]] = {}
    live_server.set_today(chosen.today)
    try:
        walk(page, service_id, live_server, monkeypatch, lambda page, what: found.setdefault(
            what, (page.url, violations(page))))
    finally:
        live_server.set_today(None)
    assert {"start page", "check your answers", "confirmation", "the applicant's case page"} <= set(found)
    assert any(what.startswith("question page") for what in found), sorted(found)
    failing = {what: (url, v) for what, (url, v) in found.items() if v}
    assert not failing, "axe-core: WCAG 2.1 A/AA violations:\n" + "\n".join(
        f"{what} ({url}):\n{describe(v)}" for what, (url, v) in failing.items())


@pytest.mark.parametrize("service_id", SERVICES)
def test_every_service_works_without_javascript(service_id, new_context, live_server, monkeypatch):
    chosen = journey(service_id)
    page = new_context(java_script_enabled=False).new_page()
    reached: list[str] = []
    live_server.set_today(chosen.today)
    try:
        reference = walk(page, service_id, live_server, monkeypatch, lambda page, what: reached.append(what))
    finally:
        live_server.set_today(None)
    assert reference and reached[-1] == "the applicant's case page"
    assert page.get_by_text(reference).count() >= 1
