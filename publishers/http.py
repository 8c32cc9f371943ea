"""Sending over HTTP with httpx, and what an answer means for the outbox: a timeout, a
dropped connection, 408, 425, 429 or a 5xx may pass later (`TemporaryFailure`); any other
4xx is the receiver refusing this message (`PermanentRefusal`)."""
from __future__ import annotations

import functools
import os
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
    """httpx's `verify`: what httpx itself builds for True (certifi's CAs), or a context with
    our CA file and our client certificate (mutual TLS) when given. Each is built once per
    set of files (loading CA certificates costs ~0.05 s, on every message otherwise); a
    changed file (a renewed certificate) makes a new one."""
    if verify is True and cert is None:
        return _default_context()
    if cert is None and not isinstance(verify, str):
        return verify
    files = ([verify] if isinstance(verify, str) else []) + (list(cert) if cert is not None else [])
    return _file_context(verify if isinstance(verify, str) else None, tuple(cert) if cert is not None else None,
                         tuple(_stamp(path) for path in files))


@functools.lru_cache(maxsize=1)
def _default_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


@functools.lru_cache(maxsize=8)
def _file_context(ca_file: str | None, cert: tuple[str, ...] | None, stamps: tuple) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file)
    if cert is not None:
        context.load_cert_chain(*cert)
    return context


def _stamp(path: Any) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, TypeError):
        return None
    return status.st_mtime_ns, status.st_size


def raise_for_answer(publisher: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    reason = f"{publisher}: HTTP {status}: {response.text[:MAX_REASON_CHARS]}"
    if status >= 500 or status in RETRYABLE_STATUSES:
        raise TemporaryFailure(reason)
    raise PermanentRefusal(reason)
