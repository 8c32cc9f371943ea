"""The result hand-off (`result_document_ready`, from `runtime.documents.results`) to the
DIV e-address publisher: when the service delivers the document `e_address` and the
publisher is on, one message with the document, the municipality as sender and the
applicant's official e-address as recipient (`_PRIVATE@<personal code>` for a person,
`_DEFAULT@<registration number>` for a company or institution, from the case's answers).
A case without one gets no message; the applicant still downloads the document."""
from __future__ import annotations

import base64
import logging
from typing import Any

from sqlalchemy.orm import Session

from .cases.results import find_document
from .documents.jobs import document_path
from .publishing import publish
from .state import RuntimeState
from .storage.models import StoredDocument, Submission
from .versions import effective_for_case

log = logging.getLogger(__name__)
E_ADDRESS_DELIVERY = "e_address"


def answer_at(answers: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(answers, dict):
            return None
        answers = answers.get(part)
    return answers


def recipient_e_address(service: Any, case: Submission) -> str | None:
    wanted = ("registration_number",) if case.subject_kind in ("company", "institution") else ("personal_code",)
    for field in service.field_index.values():
        if field.type in wanted and "[" not in field.path:
            value = "".join(ch for ch in str(answer_at(case.answers, field.path) or "") if ch.isdigit())
            if len(value) == 11:
                return f"_{'DEFAULT' if wanted[0] == 'registration_number' else 'PRIVATE'}@{value}"
    return None


def deliver_result(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler of `result_document_ready`."""
    if E_ADDRESS_DELIVERY not in payload.get("deliver", ()) or not state.settings.publishers["div"]["url"]:
        return
    with state.database.transaction() as session:
        case = session.get(Submission, int(payload["submission_id"]))
        data = _message_data(state, session, case, payload)
        if data is None:
            log.info("case %s has no official e-address in its answers: the result is not sent there",
                     payload.get("reference"))
            return
        publish(session, state.settings.publishers, "div", data, key=f"div:{case.reference}:{payload['document']}",
                ordering=case.reference, municipality_id=case.municipality_id)


def _message_data(state: RuntimeState, session: Session, case: Submission, payload: dict[str, Any]) -> dict | None:
    effective = effective_for_case(state.catalogue, session, case.municipality_id, case.service_version_id)
    recipient = recipient_e_address(effective.service, case)
    document = session.get(StoredDocument, int(payload["stored_document_id"])) or find_document(
        session, case.id, payload["document"])
    if recipient is None or document is None:
        return None
    municipality = effective.municipality
    institution = (case.institution or {})
    sender = institution.get("e_address") or municipality.e_address
    title = payload["title"].get(case.locale) or payload["title"].get("lv")
    content = document_path(state.settings, document).read_bytes()
    return {"reference": case.reference, "title": title, "date": document.created_at.date().isoformat(),
            "sender_name": (institution.get("name") or {}).get("lv") or municipality.name.get("lv"),
            "sender_e_address": sender, "recipient_e_address": recipient,
            "files": [{"name": f"{payload['document']}-{case.reference}.pdf", "media_type": document.media_type,
                       "content": base64.b64encode(content).decode()}]}
