"""Where a resident goes next: pages in `Outcome.visible_pages` order, then the check
page. Hidden pages are skipped in both directions."""
from __future__ import annotations

from builder.engine import Outcome

CHECK = ":check"    # `current_page` of a draft that reached "check your answers" (not a page id)


def first_page(outcome: Outcome) -> str | None:
    return outcome.visible_pages[0] if outcome.visible_pages else None


def next_page(outcome: Outcome, page_id: str) -> str | None:
    """The visible page after `page_id`; None when the check page comes next."""
    pages = outcome.visible_pages
    if page_id not in pages:
        return first_page(outcome)
    position = pages.index(page_id)
    return pages[position + 1] if position + 1 < len(pages) else None


def previous_page(outcome: Outcome, page_id: str | None) -> str | None:
    """The visible page before `page_id` (None: the start page); before the check page
    (`page_id` None) the last visible page."""
    pages = outcome.visible_pages
    if page_id is None:
        return pages[-1] if pages else None
    if page_id not in pages:
        return None
    position = pages.index(page_id)
    return pages[position - 1] if position > 0 else None
