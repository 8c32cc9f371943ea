"""A local webhook receiver stand-in: a back office's endpoint that verifies each message
as the Standard Webhooks convention says a receiver must, and lists what it received.

It knows the endpoint secrets it is given (`pkip stand-ins` makes one and prints the
`pkip webhooks add ... --secret` line that registers it). A message is accepted when its
`webhook-id`, `webhook-timestamp` and `webhook-signature` headers are there, the timestamp
is within `TOLERANCE_SECONDS` of now (a replayed old message is refused), and one of the
space-separated `v1,` signatures is the HMAC-SHA256 of `<id>.<timestamp>.<body>` under a
known secret (compared in constant time). Each webhook-id is applied once: a retry of a
message already applied is answered 200 and changes nothing.

    POST /hooks    204 applied · 200 applied before · 400 missing headers or not JSON
                   401 bad signature or a timestamp too old or too new
"""
from __future__ import annotations

import hmac
import json
import time
from typing import Any, Callable, Iterable

from werkzeug.wrappers import Request, Response

from .standin import StandIn, json_response
from .webhooks import signature

TOLERANCE_SECONDS = 5 * 60
HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


class WebhookReceiverStandIn(StandIn):
    title = "webhook receiver stand-in"

    def __init__(self, *, secrets: Iterable[str] = (), clock: Callable[[], float] = time.time, **options: Any):
        super().__init__(**options)
        self.secrets = list(secrets)
        self.clock = clock
        self.events: list[dict[str, Any]] = []

    def handle(self, request: Request) -> Response:
        if request.path != "/hooks" or request.method != "POST":
            return json_response(404, {"error": "not_found"})
        message_id, stamp, signatures = (request.headers.get(name, "") for name in HEADERS)
        body = request.get_data(as_text=True)
        problem = self.refusal(message_id, stamp, signatures, body)
        if problem:
            self.record(message_id or None, f"refused: {problem[1]}", request.path)
            return json_response(problem[0], {"error": problem[1]})
        event = json.loads(body)
        summary = f"{event.get('type')} {event.get('data', {}).get('reference', '')}".strip()
        applied = self.apply(message_id, summary, event, lambda: self.events.append(event))
        return Response(status=204) if applied else json_response(200, {"id": message_id, "duplicate": True})

    def refusal(self, message_id: str, stamp: str, signatures: str, body: str) -> tuple[int, str] | None:
        """Why the message is refused (status, reason), or None when it verifies."""
        if not (message_id and stamp and signatures):
            return 400, "missing_headers"
        if not stamp.isdigit() or abs(self.clock() - int(stamp)) > TOLERANCE_SECONDS:
            return 401, "timestamp_out_of_tolerance"
        given = [part for part in signatures.split(" ") if part.startswith("v1,")]
        expected = [signature(secret, message_id, int(stamp), body) for secret in self.secrets]
        if not any(hmac.compare_digest(mine, theirs) for mine in expected for theirs in given):
            return 401, "bad_signature"
        try:
            json.loads(body)
        except ValueError:
            return 400, "not_json"
        return None
