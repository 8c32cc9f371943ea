"""itsdangerous signers with their HMAC key derived once, not for every signature.

itsdangerous derives the key from the secret and the salt each time it signs or checks
(a hash and a few calls) and builds a new signer each time, and the web layer signs or checks on every request: the
session cookie's token (`runtime.sessionstore`) and the CSRF token (`runtime.csrf_tokens`).
The key, and so every signature, is the same as itsdangerous' own."""
from __future__ import annotations

from itsdangerous import Signer, TimestampSigner, URLSafeSerializer


class KeptKeySigner(Signer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._key = super().derive_key()

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        return self._key if secret_key is None else super().derive_key(secret_key)


class KeptKeyTimestampSigner(KeptKeySigner, TimestampSigner):
    """The same, with the signing time (as URLSafeTimedSerializer's tokens carry it)."""


class KeptSignerSerializer(URLSafeSerializer):
    """A URL-safe serializer that keeps one signer with its key for its own salt
    (itsdangerous builds a new signer, and derives its key, on every `dumps` and `loads`)."""

    def __init__(self, secret_key: str | bytes, salt: str | bytes) -> None:
        super().__init__(secret_key, salt=salt, signer=KeptKeySigner)
        self._kept = super().make_signer(salt)

    def make_signer(self, salt: str | bytes | None = None) -> Signer:
        return self._kept if salt is None or salt == self.salt else super().make_signer(salt)
