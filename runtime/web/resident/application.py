"""The application a request works on: the browser's draft for this service, the
service version it is pinned to, and the engine's evaluation of its answers.

The browser session maps "<municipality>/<service>" to its draft id and resume token, or,
once sent, to the case reference. Anything that does not add up (no draft, a draft of
another service or municipality, a service no longer offered) is an `Unavailable` page
with a 404 or 410, never a 500.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from builder.engine import Context, Outcome, PageOutcome, entries_on_page, evaluate_asking
from builder.model import Field, Page
from builder.overlay import EffectiveService, municipality_variables
from flask import abort, session
from werkzeug.exceptions import HTTPException

from ... import identity, remembered
from ...i18n import current_language
from ...registers import ask
from ...state import runtime_state
from ...cases.access import filled_for_acting_party
from ...cases.drafts import load_draft, parse_draft_id
from ...cases.submitting import DraftToSubmit
from ..actor import current_actor, current_clock
from .assisted import assisted_filing, has_assisted_mark
from ...versions import effective_for_version, source_text_needed

SESSION_ENTRIES = 60                         # services a browser session keeps an entry for
SESSION_KEY = remembered.DRAFT_ENTRIES_KEY   # kept by identity.sign_in


class Unavailable(HTTPException):
    """The draft cannot be continued; `reason` picks the explanation shown."""

    def __init__(self, reason: str, code: int = 404):
        super().__init__(reason)
        self.code, self.reason = code, reason


def today() -> date:
    return current_clock().today()


def session_key(municipality_id: str, service_id: str) -> str:
    return f"{municipality_id}/{service_id}"


def session_entry(municipality_id: str, service_id: str) -> dict[str, Any]:
    found = session.get(SESSION_KEY, {}).get(session_key(municipality_id, service_id))
    return found if isinstance(found, dict) else {}


def set_session_entry(municipality_id: str, service_id: str, entry: dict[str, Any]) -> None:
    """Remember the entry, most recent last; only the latest `SESSION_ENTRIES` are kept,
    so the session (on the server: the cookie holds only its token, issue 16 finding 7)
    stays bounded. A draft whose entry is dropped stays in the database: "my
    applications" or its resume link leads back to it."""
    entries = dict(session.get(SESSION_KEY, {}))
    key = session_key(municipality_id, service_id)
    entries.pop(key, None)
    entries[key] = entry
    session[SESSION_KEY] = dict(list(entries.items())[-SESSION_ENTRIES:])


def current_effective_or_404(municipality_id: str, service_id: str) -> EffectiveService:
    effective = runtime_state().catalogue.effective(municipality_id, service_id)
    if effective is None:
        abort(404)
    return effective


@dataclass
class Application:
    draft_id: uuid.UUID
    version_id: int
    effective: EffectiveService
    answers: dict[str, Any]
    current_page: str | None
    person: dict[str, str] | None = field(default=None)

    @property
    def service(self):
        return self.effective.service

    @property
    def municipality(self):
        return self.effective.municipality

    def context(self) -> Context:
        return Context(today=today(), person=self.person, language=current_language())

    def evaluate(self, answers: dict[str, Any] | None = None, page: str | None = None) -> Outcome | PageOutcome:
        """The engine's outcome, with the registers the answers' look-ups name asked; for
        `page`, only what that question page reads (`evaluate_page`: its own errors and
        warnings, no fees or route)."""
        registry = runtime_state().registers
        return evaluate_asking(self.effective, self.answers if answers is None else answers, self.context(),
                               lambda asked: ask(registry, asked) if registry is not None else {}, page=page)

    def evaluate_entry(self, answers: dict[str, Any] | None, page: Page, repeat: Field) -> Outcome | PageOutcome:
        """`evaluate` for an entry of `repeat` on `page`: the page's own evaluation when it
        gives every error and warning of the repeat's entries (engine `entries_on_page`,
        worked out once per compiled service), else the full one; the values saved, the
        hidden paths and the stop are the same either way."""
        scoped = entries_on_page(self.effective, page.id, repeat.path)
        return self.evaluate(answers, page=page.id if scoped else None)

    def to_submit(self) -> DraftToSubmit:
        return DraftToSubmit(self.draft_id, self.version_id, self.effective)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.service.pages if p.id == page_id), None)

    def prefill_sources(self) -> dict[str, dict[str, Any]]:
        return {"person": self.person or {},
                "municipality": municipality_variables(self.municipality, current_language())}


def load_application(municipality_id: str, service_id: str) -> Application:
    current_effective_or_404(municipality_id, service_id)
    entry = session_entry(municipality_id, service_id)
    if "draft" not in entry:
        raise Unavailable("sent" if "sent" in entry else "missing", 410 if "sent" in entry else 404)
    draft_id = parse_draft_id(entry["draft"])
    catalogue = runtime_state().catalogue
    loaded = load_draft(runtime_state().database, draft_id,
                        lambda version: source_text_needed(catalogue, version)) if draft_id else None
    if loaded is None:
        raise Unavailable("missing")
    draft, version = loaded
    if draft.municipality_id != municipality_id or version.service_id != service_id:
        raise Unavailable("missing")
    actor = current_actor()
    if draft.person_code_hash is not None and draft.person_code_hash == actor.person_hash \
            and not filled_for_acting_party(actor, draft):
        raise Unavailable("missing")       # filled for another party than the one acted for now
    effective = effective_for_version(catalogue, municipality_id, version)
    if effective is None:
        raise Unavailable("stale", 410)
    filing = assisted_filing(entry)
    if filing is None and has_assisted_mark(entry):
        raise Unavailable("assisted", 403)          # the filing's seal expired: the clerk starts again
    person = filing.person.as_prefill() if filing is not None else identity.current_person()
    return Application(draft.id, version.id, effective, dict(draft.answers or {}), draft.current_page, person)
