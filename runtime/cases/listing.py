"""What an actor's lists hold: a signed-in resident's cases and drafts ("my
applications"), newest first. Later the staff inbox per institution lives here too."""
from __future__ import annotations

from sqlalchemy import Integer, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from ..storage.models import Draft, Submission
from .access import Actor

LISTED = 200

# Built once: "my applications" runs them on every view, and building a select (and its
# cache key) costs about as much as running it on a short list.
_NEWEST_CASES = (Submission.submitted_at.desc(),)
_OWN_CASES = select(Submission).where(or_(
    and_(Submission.person_code_hash == bindparam("person"), Submission.subject_hash.is_(None)),
    and_(Submission.subject_kind == "person", Submission.subject_hash == bindparam("person")))) \
    .order_by(*_NEWEST_CASES).limit(bindparam("limit", type_=Integer))
_PARTY_CASES = select(Submission).where(Submission.subject_kind == bindparam("kind"),
                                        Submission.subject_hash == bindparam("party")) \
    .order_by(*_NEWEST_CASES).limit(bindparam("limit", type_=Integer))
_OWN_DRAFTS = select(Draft).where(Draft.person_code_hash == bindparam("person"), Draft.subject_hash.is_(None)) \
    .order_by(Draft.updated_at.desc()).limit(bindparam("limit", type_=Integer))
_PARTY_DRAFTS = select(Draft).where(Draft.person_code_hash == bindparam("person"),
                                    Draft.subject_kind == bindparam("kind"), Draft.subject_hash == bindparam("party")) \
    .order_by(Draft.updated_at.desc()).limit(bindparam("limit", type_=Integer))


def cases_of(session: Session, actor: Actor, limit: int = LISTED) -> list[Submission]:
    """The cases of whom the signed-in person acts for (none without a sign-in): acting
    for a party, every case filed for it, by whichever representative; for themselves,
    what they applied for themselves and what others filed for them. A case filed for a
    company is not in its representative's private list."""
    if actor.person_hash is None:
        return []
    if actor.acting_for is not None:
        return list(session.scalars(_PARTY_CASES, {"kind": actor.acting_for.kind, "party": actor.acting_for.hash,
                                                   "limit": limit}))
    return list(session.scalars(_OWN_CASES, {"person": actor.person_hash, "limit": limit}))


def drafts_of(session: Session, actor: Actor, limit: int = LISTED) -> list[Draft]:
    """The signed-in person's own drafts for whom they now act for: a draft is never
    shared with a company's other representative (its answers are not sent yet), and a
    draft for the company or a child is not in the person's private list."""
    if actor.person_hash is None:
        return []
    if actor.acting_for is not None:
        return list(session.scalars(_PARTY_DRAFTS, {"person": actor.person_hash, "kind": actor.acting_for.kind,
                                                    "party": actor.acting_for.hash, "limit": limit}))
    return list(session.scalars(_OWN_DRAFTS, {"person": actor.person_hash, "limit": limit}))
