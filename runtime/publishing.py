"""The runtime's side of publishing: outbox handlers that turn case events into messages
for the enabled publishers (`dispatch_case_event`) and send each message through its
publisher (`deliver`).

The runtime decides *when* (a case event, a published version) and builds the plain data
from the case and the compiled model; the publisher (`publishers.registry`) decides what
the message is and how it goes. Each message is its own outbox job with the publisher's
idempotency key, ordered per case and publisher (`<publisher>:<case reference>`), so a
dead letter at one target never holds back another, and `max_attempts` from the
publisher's settings. A disabled publisher (no endpoint set) gets no messages.
"""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publishers.contract import TemporaryFailure
from publishers.ids import catalogue_service_id
from publishers.registry import REGISTRY

from .cases.payments import NOTHING_DUE, OVERPAID, PAID, case_payment_state
from .outbox import enqueue_once
from .state import RuntimeState
from .storage.models import CaseHistoryEntry, Submission
from .versions import effective_for_case

PUBLISH = "publish"


def publish(session: Session, settings: Mapping[str, Mapping[str, Any]], publisher_id: str,
            data: Mapping[str, Any], *, key: str, ordering: str | None, municipality_id: str | None) -> int | None:
    """Write one message for `publisher_id` in the caller's transaction, unless that
    publisher is off or a message with `key` exists; the job id or None."""
    publisher, own = REGISTRY[publisher_id], settings[publisher_id]
    if not publisher.enabled(own):
        return None
    payload = {"publisher": publisher_id, "key": key, "data": dict(data)}
    return enqueue_once(session, PUBLISH, payload, idempotency_key=key, municipality_id=municipality_id,
                        ordering_key=f"{publisher_id}:{ordering}" if ordering else None,
                        max_attempts=own.get("max_attempts"))


def deliver(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler of `publish` jobs: build and send through the publisher (its
    TemporaryFailure retries, its PermanentRefusal makes a dead letter)."""
    publisher = REGISTRY[payload["publisher"]]
    own = state.settings.publishers[publisher.id]
    if not publisher.enabled(own):
        raise TemporaryFailure(f"{publisher.id} is not configured any more; the message waits")
    publisher.deliver(payload["data"], payload["key"], own)


def dispatch_case_event(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler of `case_event` jobs (`runtime.cases.events`)."""
    with state.database.transaction() as session:
        entry = session.get(CaseHistoryEntry, int(payload["history_id"]))
        if entry is None:
            raise LookupError(f"case history entry {payload['history_id']} does not exist (yet)")
        case = session.get(Submission, entry.submission_id)
        data = status_event_data(state, session, case, entry)
        publish(session, state.settings.publishers, "pspp", data, key=f"pspp:{case.reference}:{data['sequence']}",
                ordering=case.reference, municipality_id=case.municipality_id)


def status_event_data(state: RuntimeState, session: Session, case: Submission, entry: CaseHistoryEntry) -> dict[str, Any]:
    """The plain data of a status change, for PSPP."""
    effective = effective_for_case(state.catalogue, session, case.municipality_id, case.service_version_id)
    process = effective.service.process
    declared = process.states.get(entry.to_status) if process else None
    national = declared.national_status if declared else None
    asking = process.information_requests if process else None
    if national is None and asking is not None and entry.to_status == asking.waiting:
        national = "information_requested"
    sequence = session.scalar(select(func.count()).select_from(CaseHistoryEntry).where(
        CaseHistoryEntry.submission_id == case.id, CaseHistoryEntry.id <= entry.id))
    final = bool(declared and declared.final)
    at = entry.at.isoformat()
    return {
        "service_id": catalogue_service_id(case.municipality_id, effective.service.id),
        "case_id": case.reference,
        "sequence": sequence,
        "channel": case.channel,
        "state": {"id": entry.to_status, "initial": entry.from_status is None, "final": final,
                  "result": declared.result if declared else None,
                  "national_status": national},
        "occurred_at": at,
        "subject_kind": case.subject_kind,
        "fee_paid": case_payment_state(session, case) in (PAID, OVERPAID) and case.fee_total > 0,
        "fee_amount": str(case.fee_total),
        "submitted_at": case.submitted_at.isoformat(),
        "decided_at": at if final else None,
        "closed_at": at if final else None,
    }


def handlers() -> dict[str, Any]:
    from .cases.results import RESULT_READY
    from .e_address import deliver_result
    return {PUBLISH: deliver, "case_event": dispatch_case_event, RESULT_READY: deliver_result}
