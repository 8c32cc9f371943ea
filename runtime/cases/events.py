"""Case events: the one hand-off from a change of a case to the outside world.

Whoever records a status change (`CaseHistoryEntry`) calls `announce_status` in the same
transaction, and gets one outbox job `case_event`, ordered per case and keyed by the
history entry, so it exists exactly when the change does. The job's handler
(`runtime.publishing.dispatch_case_event`) then writes one message per enabled publisher
that wants it (PSPP for every status; later the e-address for result documents): the
runtime decides when, the publisher what and how.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..outbox import enqueue_once
from ..storage.models import CaseHistoryEntry, Submission

CASE_EVENT = "case_event"


def case_ordering_key(reference: str) -> str:
    return f"case:{reference}"


def announce_status(session: Session, case: Submission, entry: CaseHistoryEntry) -> None:
    """Write the case event of `entry` (flushed here if it has no id yet)."""
    if entry.id is None:
        session.flush()
    enqueue_once(session, CASE_EVENT, {"history_id": entry.id}, idempotency_key=f"{CASE_EVENT}:{entry.id}",
                 ordering_key=case_ordering_key(case.reference), municipality_id=case.municipality_id)
