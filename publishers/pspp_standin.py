"""A local PSPP stand-in implementing the case-status contract of `publishers.pspp`:
it validates each event, applies each eventId once, refuses an event older than one
already applied for its case, and keeps each case's status history (for its page and
for tests)."""
from __future__ import annotations

import json
import re
import uuid
from typing import Any

from werkzeug.wrappers import Request, Response

from .pspp import CHANNELS, NATIONAL_STATUSES, RECIPIENT_TYPES
from .standin import StandIn, json_response as _json, refuses_token

PATH = re.compile(r"^/cases/(?P<case>[^/]+)/events$")
REQUIRED = ("eventId", "serviceId", "caseId", "sequence", "channel", "status", "occurredAt",
            "recipientType", "submittedAt")


class PsppStandIn(StandIn):
    title = "PSPP stand-in"

    def __init__(self, *, token: str | None = None, **options: Any):
        super().__init__(**options)
        self.token = token
        self.cases: dict[str, list[dict[str, Any]]] = {}   # case id -> events in the order applied
        self.receipts: dict[str, str] = {}
        self.out_of_order = 0

    def handle(self, request: Request) -> Response:
        match = PATH.match(request.path)
        if request.method != "POST" or match is None:
            return _json(404, {"error": "not_found"})
        if refuses_token(request, self.token):
            self.record(None, "refused: unauthorised", request.path)
            return _json(401, {"error": "unauthorised"})
        event, problem = self._valid_event(request, match["case"])
        if problem:
            self.record(request.headers.get("Idempotency-Key"), f"refused: {problem[0]}", request.path)
            return _json(422, {"error": problem[0], "field": problem[1]})
        return self._take(event)

    def _valid_event(self, request: Request, case_id: str) -> tuple[dict[str, Any], tuple[str, str] | None]:
        try:
            event = json.loads(request.get_data())
        except ValueError:
            return {}, ("not_json", "")
        missing = [name for name in REQUIRED if event.get(name) in (None, "")]
        if missing:
            return event, ("missing", missing[0])
        checks = (("caseId", event["caseId"] == case_id), ("status", event["status"] in NATIONAL_STATUSES),
                  ("channel", event["channel"] in CHANNELS.values()),
                  ("recipientType", event["recipientType"] in RECIPIENT_TYPES),
                  ("sequence", isinstance(event["sequence"], int) and event["sequence"] >= 1),
                  ("eventId", request.headers.get("Idempotency-Key") == event["eventId"]))
        bad = next((name for name, ok in checks if not ok), None)
        return event, (("invalid", bad) if bad else None)

    def _take(self, event: dict[str, Any]) -> Response:
        key, case_id = event["eventId"], event["caseId"]
        summary = f"{case_id} #{event['sequence']}: {event['status']}"
        with self.lock:
            if key in self.receipts:
                self.record(key, "duplicate", summary)
                return _json(200, {"eventId": key, "receiptId": self.receipts[key]})
            history = self.cases.get(case_id, [])
            if history and history[-1]["sequence"] >= event["sequence"]:
                self.out_of_order += 1
                self.record(key, "refused: out_of_order", summary)
                return _json(409, {"error": "out_of_order", "last": history[-1]["sequence"]})
            receipt = uuid.uuid4().hex

            def effect() -> None:
                self.cases.setdefault(case_id, []).append(event)
                self.receipts[key] = receipt
            self.apply(key, summary, event, effect)
        return _json(201, {"eventId": key, "receiptId": receipt})
