"""The assisted channel (issue 14 part 8): a client-service-centre clerk (VPVKAC) files an
application in person for a resident, through the same resident forms and engine.

Starting makes an ordinary draft held by the clerk's browser (owned by no signed-in
person: its answers are the resident's, but nobody's "my applications" shows a draft);
the web layer remembers, sealed in that browser's session, for whom and by whom. On
submit the case is stored by `submitting.submit` with the person as its applicant
(`person_code_hash`, so they find it under "my applications" when they sign in), channel
"in-person" and the clerk's staff id (`filed_by_id`), after checking that the clerk's
staff session is still open and still a client-service-centre clerk's of that municipality.

Nothing here sees a personal code: the caller hashes it (`identity.person_code_hash`)
and the audit log records the service, never the person.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from builder.engine import Context, evaluate

from ..storage.database import Database
from ..sync import current_version_id
from .access import Actor, may_apply, may_file_for_person
from .audit import AuditContext, record
from .clock import Clock
from .drafts import create_draft
from .lookup import CaseNotFound
from .staff_accounts import member_for_digest

MAX_NAME = 50      # as the shipped forms' given name and surname fields


class AssistRefused(ValueError):
    """The filing cannot start: `errors` maps a form field to a code the page words."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class AssistedPerson:
    """Whom the clerk files for, as the forms' `person.*` prefill reads it."""
    personal_code: str          # "DDMMYY-NNNNN", for the prefill only; never stored in clear
    person_hash: str
    given_name: str
    surname: str

    def as_prefill(self) -> dict[str, str]:
        return {"personal_code": self.personal_code, "given_name": self.given_name, "surname": self.surname}


@dataclass(frozen=True)
class AssistedDraft:
    draft_id: uuid.UUID
    token: str
    first_page: str | None
    stopped: bool                  # a stop rule fires before any answer


def check_person(person: AssistedPerson | None, given_name: str, surname: str) -> dict[str, str]:
    errors = {}
    if person is None:
        errors["personal_code"] = "bad_code"
    for name, value in (("given_name", given_name), ("surname", surname)):
        if not value.strip():
            errors[name] = "missing"
        elif len(value.strip()) > MAX_NAME:
            errors[name] = "too_long"
    return errors


def start_assisted(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                   municipality_id: str, service_id: str, person: AssistedPerson, language: str) -> AssistedDraft:
    """A draft of `service_id` for `person`, held by the clerk's browser; `CaseNotFound`
    for anyone but a client-service-centre clerk of the municipality."""
    if not may_file_for_person(actor, municipality_id):
        raise CaseNotFound(municipality_id)
    effective = catalogue.effective(municipality_id, service_id) if service_id else None
    if effective is None:
        raise AssistRefused({"service": "no_service"})
    if not may_apply(Actor(person_hash=person.person_hash), effective.service.audience):
        raise AssistRefused({"service": "not_for_persons"})
    with database.transaction() as session:
        version_id = current_version_id(session, effective.service)
    if version_id is None:
        raise AssistRefused({"service": "no_service"})
    outcome = evaluate(effective, {}, Context(today=clock.today(), person=person.as_prefill(), language=language))
    first = next(iter(outcome.visible_pages), None)
    draft, token = create_draft(database, municipality_id=municipality_id, version_id=version_id,
                                first_page=first, person_code_hash=None)
    with database.transaction() as session:
        record(session, context, "assisted.start", municipality_id=municipality_id, object_type="service",
               object_id=service_id)
    return AssistedDraft(draft.id, token, first, outcome.stop is not None)


def assisting_clerk(database: Database, session_digest: str, municipality_id: str, clock: Clock) -> int | None:
    """The staff id of the clerk whose staff session this is, while it is open and the
    member is still a client-service-centre clerk of the municipality; else None."""
    member = member_for_digest(database, session_digest, clock)
    if member is None or not may_file_for_person(member.actor(), municipality_id):
        return None
    return member.id
