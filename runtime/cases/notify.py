"""Notifications: the outbox jobs for e-mail, written in the transaction of the change they
tell about. The message is rendered and sent later by the worker (`runtime.notifications`),
in the applicant's language, from templates; a job carries ids and references only, never
an address, a name or a personal code.

    submitted            the application was received (cases.submitting)
    information_request  the municipality asks for more (cases.requests)
    decision             the case reached a final state (cases.caseflow)
    staff_digest         new and overdue cases of a member of staff's institutions (`pkip digest`)
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..outbox import enqueue, enqueue_now
from ..storage.database import Database
from ..storage.models import Submission
from .access import CLERK, COMMISSION_MEMBER
from .clock import Clock
from .inbox import overdue_by_institution
from .staff_accounts import list_users

SEND_EMAIL = "send_email"
SUBMITTED, INFORMATION_REQUEST, DECISION, STAFF_DIGEST = "submitted", "information_request", "decision", "staff_digest"
DIGEST_LISTED = 50          # references per list in one digest


def notify_applicant(session: Session, case: Submission, kind: str, **details: Any) -> None:
    """An e-mail to the case's applicant about `kind`, in the change's transaction."""
    enqueue_now(session, *applicant_email(case, kind, **details))


def applicant_email(case: Submission, kind: str, **details: Any) -> tuple[str, dict[str, Any]]:
    """The (kind, payload) of `notify_applicant`'s job, for a caller writing it with others."""
    return SEND_EMAIL, {"kind": kind, "submission_id": case.id, **details}


def enqueue_digests(database: Database, catalogue: Any, clock: Clock, municipality_id: str | None = None) -> int:
    """One digest per enabled clerk or commission member with new (sent since this time
    yesterday) or overdue cases in their institutions; how many were written."""
    overdue = overdue_by_institution(database, catalogue, clock, municipality_id)
    since = clock.now() - timedelta(days=1)
    with database.transaction() as session:
        new = _new_cases(session, since, municipality_id)
        written = 0
        for member in list_users(database, municipality_id):
            if member.disabled:
                continue
            places = {(g.municipality_id, g.institution_id) for g in member.grants
                      if g.role in (CLERK, COMMISSION_MEMBER) and g.municipality_id}
            fresh = _of_places(new, places)
            late = _of_places({key: [row.reference for row in rows] for key, rows in overdue.items()}, places)
            if fresh or late:
                enqueue(session, SEND_EMAIL, {"kind": STAFF_DIGEST, "staff_user_id": member.id,
                                              "day": clock.today().isoformat(), "new": fresh[:DIGEST_LISTED],
                                              "overdue": late[:DIGEST_LISTED], "new_count": len(fresh),
                                              "overdue_count": len(late)})
                written += 1
    return written


def _new_cases(session: Session, since: datetime, municipality_id: str | None) -> dict[tuple, list[str]]:
    query = select(Submission.municipality_id, Submission.institution_id, Submission.reference).where(
        Submission.submitted_at >= since.astimezone(timezone.utc)).order_by(Submission.submitted_at)
    if municipality_id is not None:
        query = query.where(Submission.municipality_id == municipality_id)
    found: dict[tuple, list[str]] = {}
    for municipality, institution, reference in session.execute(query):
        found.setdefault((municipality, institution), []).append(reference)
    return found


def _of_places(by_place: dict[tuple, list[str]], places: set[tuple]) -> list[str]:
    """The references of the places a member works: (municipality, None) is all its institutions."""
    return [reference for (municipality, institution), references in sorted(by_place.items(), key=str)
            for reference in references
            if (municipality, institution) in places or (municipality, None) in places]

