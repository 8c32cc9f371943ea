"""PSPP, the national service provision and management platform: every status change of
a case becomes an event, mapped to the national statuses, sent in order per case.

PSPP has no public specification (state systems reach it through VRAA's VISS API manager
after registration), so this is the project's own documented contract
(docs/publishers.md, "PSPP"):

    POST {pspp_url}/cases/{caseId}/events
    Authorization: Bearer {pspp_token}          (when set)
    Idempotency-Key: {eventId}
    {"eventId", "serviceId", "caseId", "sequence", "channel", "status", "statusName",
     "localStatus", "occurredAt", "recipientType", "feePaid", "feeAmount",
     "submittedAt", "decidedAt", "closedAt"}

    201 {"eventId", "receiptId"}        applied
    200 {"eventId", "receiptId"}        this eventId was applied before (nothing changes)
    409 {"error": "out_of_order"}       a later event of the case was applied already
    422 {"error": ..., "field": ...}    not a valid event (unknown status, channel...)

`sequence` numbers a case's events from 1; the stand-in refuses one that goes backwards,
so a broken order shows.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from . import http, settings as parse
from .contract import Outgoing, PlainData, Publisher, Receipt, Setting

# the national statuses, as the recipient sees them
NATIONAL_STATUSES = {
    "submitted": "iesniegts",
    "in_processing": "apstrādē",
    "information_requested": "paprasīta papildu informācija",
    "refused": "atteikts",
    "answered": "sniegta atbilde",
    "withdrawn": "atsaukts",
}
# our channels -> PSPP's (DOMAIN.md: in person, e-service, e-address, e-mail, post, customer service centre)
CHANNELS = {"e-service": "e_service", "in-person": "in_person", "api": "customer_service_centre",
            "e-address": "e_address", "e-mail": "e_mail", "post": "post"}
RECIPIENT_TYPES = ("natural_person", "private_legal_person", "public_legal_person", "any_person")


def national_status(state: Mapping[str, Any]) -> str:
    """The state's declared `national_status`, else: initial submitted, final answered,
    anything else in processing."""
    if state.get("national_status"):
        return str(state["national_status"])
    if state.get("initial"):
        return "submitted"
    return "answered" if state.get("final") else "in_processing"


def recipient_type(subject_kind: str | None) -> str:
    return {"company": "private_legal_person", "institution": "public_legal_person"}.get(
        subject_kind or "", "natural_person")


class PsppPublisher(Publisher):
    id = "pspp"
    title = "PSPP (case statuses)"
    settings = (
        Setting("url", parse.optional_url, None, "base address of the PSPP case-status API; unset: off"),
        Setting("token", parse.optional_text, None, "bearer token given by the VISS API manager"),
        Setting("timeout_seconds", parse.seconds, 10.0, "per request"),
        Setting("max_attempts", parse.attempts, 12, "tries before an event becomes a dead letter"),
    )

    def build(self, data: PlainData, key: str) -> Outgoing:
        status = national_status(data["state"])
        event = {
            "eventId": key,
            "serviceId": data["service_id"],
            "caseId": data["case_id"],
            "sequence": int(data["sequence"]),
            "channel": CHANNELS.get(data["channel"], data["channel"]),
            "status": status,
            "statusName": NATIONAL_STATUSES[status],
            "localStatus": data["state"]["id"],
            "occurredAt": data["occurred_at"],
            "recipientType": recipient_type(data.get("subject_kind")),
            "feePaid": bool(data.get("fee_paid")),
            "feeAmount": str(data.get("fee_amount") or "0.00"),
            "submittedAt": data["submitted_at"],
            "decidedAt": data.get("decided_at"),
            "closedAt": data.get("closed_at"),
        }
        body = json.dumps(event, ensure_ascii=False, sort_keys=True).encode()
        summary = f"{data['case_id']} #{event['sequence']}: {status}"
        return Outgoing(self.id, key, body, "application/json", summary,
                        headers={"X-Case-Id": str(data["case_id"])})

    def send(self, message: Outgoing, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        case_id = json.loads(message.body)["caseId"]
        headers = {"Authorization": f"Bearer {settings['token']}"} if settings.get("token") else {}
        response = http.post(f"{settings['url']}/cases/{case_id}/events", message,
                             timeout=settings["timeout_seconds"], headers=headers, transport=transport)
        answer = response.json()
        return Receipt(self.id, message.key, answer.get("receiptId"), duplicate=response.status_code == 200)

    @classmethod
    def standin(cls, **options: Any) -> Any:
        from .pspp_standin import PsppStandIn
        return PsppStandIn(**options)


PUBLISHER = PsppPublisher()
