"""Sending over HTTP with httpx, and what an answer means for the outbox: a timeout, a
dropped connection, 408, 425, 429 or a 5xx may pass later (`TemporaryFailure`); any other
4xx is the receiver refusing this message (`PermanentRefusal`)."""
from __future__ import annotations

import ssl
from typing import Any, Mapping

import httpx

from .contract import Outgoing, PermanentRefusal, TemporaryFailure

RETRYABLE_STATUSES = frozenset({408, 425, 429})
MAX_REASON_CHARS = 300


def post(url: str, message: Outgoing, **options: Any) -> httpx.Response:
    """POST the message's body with its idempotency key; the answer if it is 2xx."""
    return send("POST", url, message, **options)


def send(method: str, url: str, message: Outgoing, *, timeout: float, headers: Mapping[str, str] | None = None,
         transport: Any = None, verify: Any = True, cert: Any = None) -> httpx.Response:
    sent_headers = {"Content-Type": message.content_type, "Idempotency-Key": message.key,
                    **message.headers, **(headers or {})}
    try:
        with httpx.Client(timeout=timeout, transport=transport, verify=tls_context(verify, cert)) as client:
            response = client.request(method, url, content=message.body, headers=sent_headers)
    except httpx.TimeoutException as error:
        raise TemporaryFailure(f"{message.publisher}: no answer within {timeout:g} s ({type(error).__name__})") from None
    except httpx.TransportError as error:
        raise TemporaryFailure(f"{message.publisher}: connection failed ({type(error).__name__})") from None
    raise_for_answer(message.publisher, response)
    return response


def tls_context(verify: Any, cert: Any) -> Any:
    """httpx's `verify`: True (the system's CAs), or a context with our CA file and our
    client certificate (mutual TLS) when given."""
    if cert is None and not isinstance(verify, str):
        return verify
    context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
    if cert is not None:
        context.load_cert_chain(*cert)
    return context


def raise_for_answer(publisher: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    reason = f"{publisher}: HTTP {status}: {response.text[:MAX_REASON_CHARS]}"
    if status >= 500 or status in RETRYABLE_STATUSES:
        raise TemporaryFailure(reason)
    raise PermanentRefusal(reason)
