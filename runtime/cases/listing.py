"""What an actor's lists hold: a signed-in resident's cases and drafts ("my
applications"), newest first. Later the staff inbox per institution lives here too."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import Draft, Submission
from .access import Actor

LISTED = 200


def cases_of(session: Session, actor: Actor, limit: int = LISTED) -> list[Submission]:
    """The cases of the signed-in person (none without a sign-in)."""
    if actor.person_hash is None:
        return []
    return list(session.scalars(select(Submission).where(Submission.person_code_hash == actor.person_hash)
                                .order_by(Submission.submitted_at.desc()).limit(limit)))


def drafts_of(session: Session, actor: Actor, limit: int = LISTED) -> list[Draft]:
    if actor.person_hash is None:
        return []
    return list(session.scalars(select(Draft).where(Draft.person_code_hash == actor.person_hash)
                                .order_by(Draft.updated_at.desc()).limit(limit)))
