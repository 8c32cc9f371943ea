"""What an actor's lists hold: a signed-in resident's cases and drafts ("my
applications"), newest first. Later the staff inbox per institution lives here too."""
from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..storage.models import Draft, Submission
from .access import Actor

LISTED = 200


def cases_of(session: Session, actor: Actor, limit: int = LISTED) -> list[Submission]:
    """The cases of whom the signed-in person acts for (none without a sign-in): acting
    for a party, every case filed for it, by whichever representative; for themselves,
    what they applied for themselves and what others filed for them. A case filed for a
    company is not in its representative's private list."""
    if actor.person_hash is None:
        return []
    if actor.acting_for is not None:
        chosen = and_(Submission.subject_kind == actor.acting_for.kind, Submission.subject_hash == actor.acting_for.hash)
    else:
        chosen = or_(and_(Submission.person_code_hash == actor.person_hash, Submission.subject_hash.is_(None)),
                     and_(Submission.subject_kind == "person", Submission.subject_hash == actor.person_hash))
    return list(session.scalars(select(Submission).where(chosen)
                                .order_by(Submission.submitted_at.desc()).limit(limit)))


def drafts_of(session: Session, actor: Actor, limit: int = LISTED) -> list[Draft]:
    """The signed-in person's own drafts for whom they now act for: a draft is never
    shared with a company's other representative (its answers are not sent yet), and a
    draft for the company or a child is not in the person's private list."""
    if actor.person_hash is None:
        return []
    if actor.acting_for is not None:
        party = and_(Draft.subject_kind == actor.acting_for.kind, Draft.subject_hash == actor.acting_for.hash)
    else:
        party = Draft.subject_hash.is_(None)
    return list(session.scalars(select(Draft).where(Draft.person_code_hash == actor.person_hash, party)
                                .order_by(Draft.updated_at.desc()).limit(limit)))
