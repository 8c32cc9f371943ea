"""What a browser session remembers of the resident's work: the drafts it holds
(`remember_draft`) and the submissions it sent (`remember_submission`), so that a resident
who did not sign in can still resume a draft and get the PDF of what they sent from this
browser; kept across a sign-in by `identity.sign_in` (`draft_references`).
"""
from __future__ import annotations

from typing import Any

from flask import session

SUBMITTED_KEY = "submitted"
DRAFTS_KEY = "drafts"
DRAFT_ENTRIES_KEY = "resident"   # "<municipality>/<service>" -> {"draft", "token"} (runtime.web.resident)
REMEMBERED = 20            # at most this many references / drafts per browser session


def draft_references() -> dict[str, Any]:
    """The session's drafts in progress: the per-service draft entries (without any
    "sent" reference) and the list of drafts this browser holds."""
    entries = session.get(DRAFT_ENTRIES_KEY)
    drafts = {key: {name: entry[name] for name in ("draft", "token") if name in entry}
              for key, entry in (entries.items() if isinstance(entries, dict) else ())
              if isinstance(entry, dict) and "draft" in entry}
    return {DRAFT_ENTRIES_KEY: drafts, DRAFTS_KEY: held_drafts()}


def _remember(key: str, value: str) -> None:
    known = [item for item in session.get(key, []) if item != value]
    session[key] = [*known, value][-REMEMBERED:]


def remember_submission(reference: str) -> None:
    """This browser sent the submission `reference` (call after submitting)."""
    _remember(SUBMITTED_KEY, reference)


def submitted_references() -> list[str]:
    """The references this browser sent (at most `REMEMBERED`)."""
    sent = session.get(SUBMITTED_KEY)
    return list(sent) if isinstance(sent, list) else []


def remember_draft(draft_id: Any) -> None:
    """This browser holds the draft `draft_id` (call when creating or resuming one)."""
    _remember(DRAFTS_KEY, str(draft_id))


def held_drafts() -> list[str]:
    """The ids of the drafts this browser holds."""
    held = session.get(DRAFTS_KEY)
    return list(held) if isinstance(held, list) else []

