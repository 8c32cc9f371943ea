"""What an actor's lists hold: a signed-in resident's cases and drafts ("my
applications"), newest first. Later the staff inbox per institution lives here too.

Each list is one prebuilt Core `SELECT` of the columns the list shows, with its service
version's id and hash joined (`versions.services_for_rows` finds the compiled service
from them) and, for a case, whether the municipality waits for an answer to a request:
two statements for the whole page, no ORM objects."""
from __future__ import annotations

from sqlalchemy import Connection, Integer, and_, bindparam, exists, or_, select

from ..storage.models import Draft, InformationRequest, ServiceVersion, Submission
from .access import Actor

LISTED = 200

_CASES, _DRAFTS, _VERSIONS = Submission.__table__.c, Draft.__table__.c, ServiceVersion.__table__.c
_REQUESTS = InformationRequest.__table__.c
_VERSION_COLUMNS = (_VERSIONS.service_id, _VERSIONS.source_hash)
_AWAITING = exists().where(_REQUESTS.submission_id == _CASES.id, _REQUESTS.answered_at.is_(None)) \
    .label("awaiting_answer")
_CASE_COLUMNS = select(_CASES.id, _CASES.reference, _CASES.municipality_id, _CASES.service_version_id,
                       _CASES.status, _CASES.submitted_at, _CASES.institution, _CASES.due_on,
                       *_VERSION_COLUMNS, _AWAITING) \
    .join_from(Submission.__table__, ServiceVersion.__table__, _VERSIONS.id == _CASES.service_version_id)
_DRAFT_COLUMNS = select(_DRAFTS.id, _DRAFTS.municipality_id, _DRAFTS.service_version_id, _DRAFTS.updated_at,
                        *_VERSION_COLUMNS) \
    .join_from(Draft.__table__, ServiceVersion.__table__, _VERSIONS.id == _DRAFTS.service_version_id)

# Built once: "my applications" runs them on every view, and building a select (and its
# cache key) costs about as much as running it on a short list.
_LIMIT = bindparam("limit", type_=Integer)
_OWN_CASES = _CASE_COLUMNS.where(or_(
    and_(_CASES.person_code_hash == bindparam("person"), _CASES.subject_hash.is_(None)),
    and_(_CASES.subject_kind == "person", _CASES.subject_hash == bindparam("person")))) \
    .order_by(_CASES.submitted_at.desc()).limit(_LIMIT)
_PARTY_CASES = _CASE_COLUMNS.where(_CASES.subject_kind == bindparam("kind"), _CASES.subject_hash == bindparam("party")) \
    .order_by(_CASES.submitted_at.desc()).limit(_LIMIT)
_OWN_DRAFTS = _DRAFT_COLUMNS.where(_DRAFTS.person_code_hash == bindparam("person"), _DRAFTS.subject_hash.is_(None)) \
    .order_by(_DRAFTS.updated_at.desc()).limit(_LIMIT)
_PARTY_DRAFTS = _DRAFT_COLUMNS.where(_DRAFTS.person_code_hash == bindparam("person"),
                                     _DRAFTS.subject_kind == bindparam("kind"), _DRAFTS.subject_hash == bindparam("party")) \
    .order_by(_DRAFTS.updated_at.desc()).limit(_LIMIT)


def cases_of(connection: Connection, actor: Actor, limit: int = LISTED) -> list:
    """The cases of whom the signed-in person acts for (none without a sign-in): acting
    for a party, every case filed for it, by whichever representative; for themselves,
    what they applied for themselves and what others filed for them. A case filed for a
    company is not in its representative's private list. Rows of the listed columns."""
    if actor.person_hash is None:
        return []
    if actor.acting_for is not None:
        return connection.execute(_PARTY_CASES, {"kind": actor.acting_for.kind, "party": actor.acting_for.hash,
                                                 "limit": limit}).all()
    return connection.execute(_OWN_CASES, {"person": actor.person_hash, "limit": limit}).all()


def drafts_of(connection: Connection, actor: Actor, limit: int = LISTED) -> list:
    """The signed-in person's own drafts for whom they now act for: a draft is never
    shared with a company's other representative (its answers are not sent yet), and a
    draft for the company or a child is not in the person's private list."""
    if actor.person_hash is None:
        return []
    if actor.acting_for is not None:
        return connection.execute(_PARTY_DRAFTS, {"person": actor.person_hash, "kind": actor.acting_for.kind,
                                                  "party": actor.acting_for.hash, "limit": limit}).all()
    return connection.execute(_OWN_DRAFTS, {"person": actor.person_hash, "limit": limit}).all()
