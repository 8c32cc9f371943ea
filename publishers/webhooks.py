"""Back-office webhooks following the Standard Webhooks convention (standardwebhooks.com):
the receiver gets the event as JSON with three headers,

    webhook-id:        the message id (the same on every retry: the receiver applies it once)
    webhook-timestamp: seconds since the epoch, of this attempt
    webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">

keyed with the endpoint's secret, `whsec_` and base64 of random bytes. Plain data in, an
HTTP POST out; never imports `runtime`. A 2xx answer is delivered; a timeout, a dropped
connection, 408, 425, 429 or a 5xx is `WebhookFailed(temporary=True)` (retry later); any
other answer is `WebhookFailed(temporary=False)`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

import httpx

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24
TIMEOUT_SECONDS = 10.0
RETRYABLE = frozenset({408, 425, 429})


class WebhookFailed(Exception):
    def __init__(self, reason: str, *, temporary: bool):
        super().__init__(reason)
        self.temporary = temporary


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


def headers(message: WebhookMessage, timestamp: int) -> dict[str, str]:
    return {"webhook-id": message.message_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(message.secret, message.message_id, timestamp, message.body),
            "Content-Type": "application/json"}


def deliver(message: WebhookMessage, timestamp: int, *, transport: Any = None,
            timeout: float = TIMEOUT_SECONDS) -> int:
    """POST the signed message; its HTTP status when 2xx, else `WebhookFailed`."""
    try:
        with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as client:
            response = client.post(message.url, content=message.body.encode(), headers=headers(message, timestamp))
    except httpx.TimeoutException:
        raise WebhookFailed(f"no answer within {timeout:g} s", temporary=True) from None
    except httpx.TransportError as error:
        raise WebhookFailed(f"connection failed ({type(error).__name__})", temporary=True) from None
    status = response.status_code
    if 200 <= status < 300:
        return status
    raise WebhookFailed(f"HTTP {status}", temporary=status >= 500 or status in RETRYABLE)
