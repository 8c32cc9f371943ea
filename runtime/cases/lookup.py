"""Finding the case an actor asks for (a member of staff, or the applicant): the one place
that says "no such case" for a case that does not exist and for one the actor may not see
alike."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import ServiceVersion, Submission
from .access import SEE, Actor, may_act, may_see


class CaseNotFound(LookupError):
    """No such case, or not one this actor may see."""


def find_case(session: Session, actor: Actor, municipality_id: str, reference: str) -> tuple[Submission, str]:
    """The case and its service id, or `CaseNotFound` (also for one the actor may not see)."""
    found = session.execute(select(Submission, ServiceVersion.service_id).join(ServiceVersion)
                            .where(Submission.reference == reference,
                                   Submission.municipality_id == municipality_id)).first()
    if found is None or not may_see(actor, found[0]) or not actor.works_cases:
        raise CaseNotFound(reference)
    return found[0], found[1]


def find_own_case(session: Session, catalogue: Any, actor: Actor, municipality_id: str,
                  reference: str) -> tuple[Submission, str]:
    """The case and its service id for a resident actor, or `CaseNotFound`."""
    found = session.execute(select(Submission, ServiceVersion.service_id).join(ServiceVersion)
                            .where(Submission.reference == reference)).first()
    if found is None or not catalogue.answers_for(municipality_id, found[0].municipality_id) \
            or not may_act(actor, found[0], SEE):
        raise CaseNotFound(reference)
    return found[0], found[1]
