"""E-invoices to the buyer institution's finance system: a case with an `en16931` file
field (the e-invoice service) is routed to the buyer institution; its endpoints that
listen for `invoice.received` get the original UBL (base64, byte for byte as uploaded,
with its SHA-256) and the summary the reader extracted (supplier, buyer, number, dates,
totals) and its problems, as one signed webhook (`webhooks.py`).

The job is written with the case; the body is built by the worker from the stored case
and upload, the same on every attempt, so the large file is not copied into the outbox.
"""
from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any, Iterator

from sqlalchemy.orm import Session

from builder.overlay import EffectiveService

from ..storage.models import Submission, Upload
from ..uploads import upload_path
from .webhooks import INVOICE_RECEIVED, case_event_data, enqueue_message, event_body, listening_endpoints

READER = "en16931"


def invoice_fields(fields: Any, prefix: str = "") -> Iterator[str]:
    """Paths of the file fields read as e-invoices (in groups too, not in repeats)."""
    for field in fields:
        path = f"{prefix}{field.name}"
        if field.type == "file" and field.document == READER:
            yield path
        elif field.type == "group":
            yield from invoice_fields(field.children, path + ".")


def announce_invoices(session: Session, case: Submission, effective: EffectiveService) -> None:
    """In the submitting transaction: one job per listening endpoint, when the case has an invoice."""
    answered = [path for path in invoice_fields(effective.service.fields) if _answer_at(case.answers, path)]
    if not answered:
        return
    for endpoint_id in listening_endpoints(session, case, INVOICE_RECEIVED):
        enqueue_message(session, endpoint_id, case,
                        invoice={"submission_id": case.id, "service": effective.service.id, "fields": answered})


def invoice_body(state: Any, job: dict[str, Any]) -> str:
    """The message: the case's facts, and per invoice field the UBL and its summary."""
    with state.database.transaction() as session:
        case = session.get(Submission, int(job["submission_id"]))
        if case is None:
            raise LookupError(f"submission {job['submission_id']} is gone")
        invoices = [_invoice(session, state.settings, case, path) for path in job["fields"]]
        data = {**case_event_data(case, job["service"]), "invoices": invoices}
        return event_body(INVOICE_RECEIVED, case.submitted_at, data)


def _invoice(session: Session, settings: Any, case: Submission, path: str) -> dict[str, Any]:
    answer = _answer_at(case.answers, path)
    upload = session.get(Upload, _uuid(answer.get("id")))
    if upload is None or upload.submission_id != case.id:
        raise LookupError(f"the invoice file of {case.reference} ({path}) is not stored")
    data = upload_path(settings, upload).read_bytes()
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise ValueError(f"the invoice file of {case.reference} does not match its digest")
    return {"field": path, "filename": upload.filename, "media_type": upload.media_type, "sha256": upload.sha256,
            "ubl_base64": base64.b64encode(data).decode(), "summary": answer.get("document"),
            "problems": answer.get("document_problems", [])}


def _answer_at(answers: Any, path: str) -> dict | None:
    value = answers
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, dict) and value.get("id") else None


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
