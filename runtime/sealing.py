"""Fernet keys derived from the app's secret key, one per purpose (no Flask here, so the
use cases in `runtime.cases` may seal too)."""
from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet
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
