"""Sign-in with OpenID Connect (authorization code flow with PKCE), configured entirely
by settings: `oidc_issuer`, `oidc_discovery_url` (default: the issuer's
`/.well-known/openid-configuration`), `oidc_client_id`, `oidc_client_secret`,
`oidc_scopes` and `oidc_personal_code_claim` (the claim holding the personal code, e.g.
`serialNumber` as "PNOLV-DDMMYY-NNNNN" or plain digits in `personal_code`).

Authlib's protocol helpers build the authorization request (state, nonce, S256 code
challenge); the code is exchanged with httpx (client secret by HTTP Basic, the code
verifier) — Authlib's own httpx client is deprecated in favour of httpx2, which the
project does not use; joserfc verifies the
id_token: signature against the provider's JWKS, issuer, audience, expiry and the nonce
sent. The pending state, nonce and verifier live in the signed session cookie only
between the redirect and the callback.
"""
from __future__ import annotations

import hmac
import secrets
import threading
from typing import Any

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Request, session, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..config import Settings
from ..identity import Person, SignInFailed, normalise_personal_code

PENDING_KEY = "oidc_pending"
HTTP_TIMEOUT = 10.0
CLOCK_LEEWAY_SECONDS = 60


class OIDCProvider:
    id = "oidc"

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self.transport = transport          # tests put a stand-in provider here
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._lock = threading.Lock()

    def _redirect_uri(self) -> str:
        return url_for("auth.oidc_callback", _external=True)

    def _get_json(self, url: str) -> dict[str, Any]:
        with httpx.Client(transport=self.transport, timeout=HTTP_TIMEOUT) as client:
            response = client.get(url)
        response.raise_for_status()
        return response.json()

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, fetched once per process."""
        with self._lock:
            if self._metadata is None:
                found = self._get_json(self.settings.oidc_discovery_url)
                if found.get("issuer") != self.settings.oidc_issuer:
                    raise SignInFailed("the discovery document names another issuer")
                self._metadata = found
            return self._metadata

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if self._keys is None or refresh:
                self._keys = KeySet.import_key_set(self._get_json(self._metadata["jwks_uri"]))
            return self._keys

    def login_url(self, next_url: str) -> str:
        metadata = self.metadata()
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        session[PENDING_KEY] = {"state": state, "nonce": nonce, "verifier": verifier}
        return prepare_grant_uri(
            metadata["authorization_endpoint"], client_id=self.settings.oidc_client_id, response_type="code",
            redirect_uri=self._redirect_uri(), scope=self.settings.oidc_scopes, state=state, nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256",
        )

    def complete(self, request: Request) -> Person:
        pending = session.pop(PENDING_KEY, None)
        if not isinstance(pending, dict):
            raise SignInFailed("no sign-in was in progress in this browser")
        if request.args.get("error"):
            raise SignInFailed(f"the provider answered {request.args['error']!r}")
        if not hmac.compare_digest(str(request.args.get("state", "")), pending["state"]):
            raise SignInFailed("the state does not match this browser's sign-in")
        code = request.args.get("code")
        if not code:
            raise SignInFailed("the provider sent no code")
        token = self._exchange(code, pending["verifier"])
        if not token.get("id_token"):
            raise SignInFailed("the token response has no id_token")
        return self._person(self._verified_claims(token["id_token"], pending["nonce"]))

    def _exchange(self, code: str, verifier: str) -> dict[str, Any]:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self._redirect_uri(),
                "code_verifier": verifier}
        auth = (self.settings.oidc_client_id, self.settings.oidc_client_secret or "")
        try:
            with httpx.Client(transport=self.transport, timeout=HTTP_TIMEOUT) as client:
                response = client.post(self.metadata()["token_endpoint"], data=form, auth=auth,
                                       headers={"Accept": "application/json"})
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SignInFailed(f"the token request failed: {type(error).__name__}") from None

    def _verified_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            try:
                decoded = jwt.decode(id_token, self._key_set())
            except (ValueError, JoseError):   # perhaps a new signing key: fetch the set once more
                decoded = jwt.decode(id_token, self._key_set(refresh=True))
            jwt.JWTClaimsRegistry(
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "value": self.settings.oidc_issuer},
                aud={"essential": True, "value": self.settings.oidc_client_id},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(decoded.claims)
        except (ValueError, JoseError) as error:
            raise SignInFailed(f"the id_token was refused: {type(error).__name__}") from None
        return decoded.claims

    def _person(self, claims: dict[str, Any]) -> Person:
        digits = normalise_personal_code(str(claims.get(self.settings.oidc_personal_code_claim, "")))
        if digits is None:
            raise SignInFailed(f"claim {self.settings.oidc_personal_code_claim!r} holds no valid personal code")
        return Person(digits, str(claims.get("given_name", "")), str(claims.get("family_name", "")))
