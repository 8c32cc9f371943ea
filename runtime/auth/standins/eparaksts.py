"""The eParaksts stand-in's state: its client credentials, and the codes and access
tokens it has issued (in memory: it serves one development process). Its pages, with the
real endpoints' paths, are in `runtime.web.standins`."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from ...identity import Person
from ..eparaksts import EParakstsSettings

PREFIX = "/_standin/eparaksts"     # where runtime.web.standin_eparaksts serves it
CODE_SECONDS = 60
TOKEN_SECONDS = 300


@dataclass
class EParakstsStandIn:
    client_id: str = "pkip-development"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24) + "+/=")  # reserved characters
    _codes: dict[str, tuple[float, Person, str, str]] = field(default_factory=dict)
    _tokens: dict[str, tuple[float, Person]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def settings(self, base_url: str, server_base_url: str, timeout_seconds: float) -> EParakstsSettings:
        return EParakstsSettings(base_url, self.client_id, self.client_secret, timeout_seconds, server_base_url)

    def issue_code(self, person: Person, redirect_uri: str, challenge: str) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = (time.monotonic() + CODE_SECONDS, person, redirect_uri, challenge)
        return code

    def client_authenticated(self, user: str, password: str) -> bool:
        return hmac.compare_digest(unquote_plus(user), self.client_id) and \
            hmac.compare_digest(unquote_plus(password), self.client_secret)

    def redeem(self, code: str, redirect_uri: str, verifier: str) -> str | None:
        """An access token for a code used once, in time, with its redirect URI and verifier."""
        with self._lock:
            expires, person, expected_uri, challenge = self._codes.pop(code, (0.0, None, "", ""))
        computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if person is None or expires < time.monotonic() or redirect_uri != expected_uri or computed != challenge:
            return None
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (time.monotonic() + TOKEN_SECONDS, person)
        return token

    def userinfo(self, token: str) -> dict | None:
        expires, person = self._tokens.get(token, (0.0, None))
        if person is None or expires < time.monotonic():
            return None
        # the members eParaksts documents for scope urn:lvrtc:fpeil:aa (docs/signin.md)
        return {"sub": hashlib.sha256(person.personal_code.encode()).hexdigest()[:32], "domain": "citizen",
                "acr": "urn:safelayer:tws:policies:authentication:level:high",
                "amr": ["urn:eparaksts:tws:policies:authentication:adaptive:methods:pkip-standin"],
                "serial_number": f"PNOLV-{person.personal_code}", "given_name": person.given_name,
                "family_name": person.surname, "name": f"{person.given_name} {person.surname}",
                "eips": "eParaksts stand-in (development)"}
