"""Every resident page type (catalogue, start, question pages with and without errors,
saved, a repeat entry and the list with it, check your answers, confirmation, the case page,
unavailable, my applications) on a phone (390 px) and a desktop (1280 px): no word in a table cell is
broken where it would fit on a line of its own (the cell's width against the word's),
nothing is wider than the screen, and axe-core finds no WCAG 2.1 A/AA violation. Each page is photographed; with
E2E_SCREENSHOTS=<folder> the pictures are kept there (the README shows two of them)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from . import flow
from .axe import assert_accessible
from .scenarios import journey

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

# Words drawn on more than one line although the cell is wide enough for them
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("td, th")) {
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
        const lines = new Set(rects.map(r => Math.round(r.top)));
        const width = rects.reduce((sum, r) => sum + r.width, 0);
        if (lines.size > 1 && width <= room + 1) {
          broken.push(match[0] + " (" + Math.round(width) + " px in " + Math.round(room) + " px)");
        }
      }
    }
  }
  return broken;
}"""


def check_page(page, what: str, kind: str, shots: Path) -> None:
    broken = page.evaluate(BROKEN_WORDS)
    assert not broken, f"{what} at {kind} width breaks words in table cells: {broken}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} at {kind} width is {overflow} px wider than the screen (WCAG 1.4.10 reflow)"
    assert_accessible(page, f"{what} at {kind} width")
    name = what.replace(" ", "-")
    page.screenshot(path=str(shots / f"{name}-{WIDTHS[kind][0]}.png"), full_page=True)


@pytest.fixture
def shots(tmp_path) -> Path:
    kept = os.environ.get("E2E_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("kind", list(WIDTHS))
def test_every_resident_page_type_at_phone_and_desktop_width(new_context, live_server, kind, shots, monkeypatch):
    width, height = WIDTHS[kind]
    page = new_context(viewport={"width": width, "height": height}).new_page()
    chosen = journey("dog-fee", municipality="riga")
    live_server.set_today(chosen.today)
    seen: set[str] = set()

    def on_page(page, page_id):
        if page_id not in seen:
            seen.add(page_id)
            check_page(page, f"dog-fee {page_id} page", kind, shots)

    def fill_entry(page, repeat, entry, index, original=flow.fill_entry):
        if index == 0:
            seen.add("a repeat entry")
            check_page(page, "repeat entry page", kind, shots)
        original(page, repeat, entry, index)
        if index == 0:
            check_page(page, "repeat page with an entry", kind, shots)

    monkeypatch.setattr(flow, "fill_entry", fill_entry)
    try:
        page.goto("/riga/")
        check_page(page, "catalogue", kind, shots)
        if chosen.person:
            flow.sign_in(page, chosen.person, next_path=chosen.start_path)
        page.goto(chosen.start_path)
        check_page(page, "start page", kind, shots)
        flow.start(page, chosen)
        first_page = page.url
        flow.go(page.locator("main form .button-group button[type=submit]").first)   # nothing answered
        check_page(page, "question page with errors", kind, shots)
        flow.go(page.locator("main form .button-group a[href$='/saved']"))
        check_page(page, "saved (resume link)", kind, shots)
        page.goto(first_page)
        flow.answer_questions(page, chosen, on_page=on_page)
        check_page(page, "check your answers", kind, shots)
        reference = flow.send(page)
        check_page(page, "confirmation", kind, shots)
        page.goto(f"/riga/case/{reference}")
        assert page.locator("main table").count() >= 1, "the case page shows no fee table"
        check_page(page, "the applicant's case page", kind, shots)
        page.goto(first_page)
        check_page(page, "unavailable (already sent)", kind, shots)
        page.goto("/my/")
        assert page.locator("main table").count() >= 1, "my applications lists no case"
        check_page(page, "my applications", kind, shots)

    finally:
        live_server.set_today(None)
    assert "a repeat entry" in seen, "the walk added no repeat entry"
