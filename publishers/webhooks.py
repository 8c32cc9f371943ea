"""Back-office webhooks following the Standard Webhooks convention (standardwebhooks.com):
the receiver gets the event as JSON with three headers,

    webhook-id:        the message id (the same on every retry: the receiver applies it once)
    webhook-timestamp: seconds since the epoch, of this attempt
    webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">

keyed with the endpoint's secret, `whsec_` and base64 of random bytes. Plain data in, an
HTTP POST out (`publishers.http`); never imports `runtime`. A 2xx answer is delivered; a
timeout, a dropped connection, a redirect, 408, 425, 429 or a 5xx is a `TemporaryFailure`
(retry later); any other 4xx a `PermanentRefusal` (a dead letter for an admin).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from .contract import Outgoing, TemporaryFailure
from .http import post

PUBLISHER = "webhooks"
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24
TIMEOUT_SECONDS = 10.0
MAX_ATTEMPTS = 12          # with the outbox's doubling backoff: about a day and a half of tries


@dataclass(frozen=True)
class WebhookMessage:
    url: str
    secret: str            # whsec_...
    message_id: str        # msg_...
    body: str              # the JSON text, signed byte for byte


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """`v1,<base64>`: HMAC-SHA256 keyed with the secret's bytes over `id.timestamp.body`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def deliver(message: WebhookMessage, timestamp: int, *, transport: Any = None,
            timeout: float = TIMEOUT_SECONDS) -> int:
    """POST the message signed for this attempt; its HTTP status when 2xx."""
    outgoing = Outgoing(publisher=PUBLISHER, key=message.message_id, body=message.body.encode(),
                        content_type="application/json", summary=f"webhook {message.message_id}",
                        headers={"webhook-id": message.message_id, "webhook-timestamp": str(timestamp),
                                 "webhook-signature": signature(message.secret, message.message_id, timestamp,
                                                                message.body)})
    status = post(message.url, outgoing, timeout=timeout, transport=transport).status_code
    if not 200 <= status < 300:          # a redirect is not a delivery
        raise TemporaryFailure(f"{PUBLISHER}: HTTP {status}")
    return status
