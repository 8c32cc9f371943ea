"""Fernet keys derived from the app's secret key, one per purpose, a token's age read
without decrypting it, and a token opened once per process (no Flask here, so the use
cases in `runtime.cases` may seal too)."""
from __future__ import annotations

import base64
import functools
import time
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@functools.lru_cache(maxsize=8)
def fernet_for(secret_key: str, purpose: str) -> Fernet:
    """A Fernet key for `purpose`, derived once per secret key (HKDF on every request was
    a measurable part of a page); each purpose has its own, so a token made for one
    cannot be passed off as another."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=f"pkip {purpose}".encode()).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


FERNET_VERSION = 0x80
MAX_CLOCK_SKEW = 60         # seconds, as cryptography's Fernet allows


def sealed_within(token: Any, ttl_seconds: int) -> bool:
    """Whether the Fernet `token` was sealed at most `ttl_seconds` ago and not in the
    future (Fernet's `decrypt(ttl=...)` test on its clear timestamp, without the HMAC
    and AES work: that comes when the sealed data itself is read)."""
    if not isinstance(token, str):
        return False
    try:
        data = base64.urlsafe_b64decode(token[:16])     # 12 bytes: version, 8-byte time, ...
    except (ValueError, TypeError):
        return False
    if len(data) < 9 or data[0] != FERNET_VERSION:
        return False
    sealed_at, now = int.from_bytes(data[1:9], "big"), int(time.time())
    return sealed_at + ttl_seconds >= now and sealed_at <= now + MAX_CLOCK_SKEW


def unsealed(secret_key: str, purpose: str, token: Any, ttl_seconds: int) -> bytes:
    """What the Fernet `token` sealed for `purpose`, if it was sealed at most `ttl_seconds`
    ago (else InvalidToken, as `decrypt(ttl=...)`): the age is checked on every call, the
    HMAC and AES work done once per token and process (`_opened`)."""
    if not sealed_within(token, ttl_seconds):
        raise InvalidToken
    return _opened(secret_key, purpose, token, ttl_seconds)


# A signed-in person's code is read on every question page and post, and Fernet's
# decrypt cost about 0.35 ms of a 2.5 ms owner page in a request (OpenSSL's cipher and
# HMAC set-up, cold after the page's other work; 15 µs in a loop). A token that opened
# once opens the same under one key, so its content is kept: an altered or foreign
# token raises out of the cache and is tried in full every time. Keeping the clear
# content in the worker's memory tells nothing to whoever can read that memory: the
# secret key that opens every stored token is there already.
@functools.lru_cache(maxsize=4096)
def _opened(secret_key: str, purpose: str, token: str, ttl_seconds: int) -> bytes:
    return fernet_for(secret_key, purpose).decrypt(token.encode(), ttl=ttl_seconds)
