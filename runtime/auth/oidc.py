"""Sign-in with OpenID Connect (authorization code flow with PKCE), configured entirely
by settings: `oidc_issuer`, `oidc_discovery_url` (default: the issuer's
`/.well-known/openid-configuration`), `oidc_client_id`, `oidc_client_secret`,
`oidc_scopes`, `oidc_personal_code_claim` (the claim holding the personal code, e.g.
`serialNumber` as "PNOLV-DDMMYY-NNNNN" or plain digits in `personal_code`),
`oidc_timeout_seconds` and `oidc_ca_file` (`oidc_clients.resident_client`). The staff's
organisation sign-in is the same class with the `staff_oidc_*` settings
(`oidc_clients.staff_client`: its own pending key and callback, the e-mail claim).

Authlib's protocol helpers build the authorization request (state, nonce, S256 code
challenge); the code is exchanged with httpx (client secret by HTTP Basic, form-encoded
first as RFC 6749 2.3.1 asks, and the code verifier); joserfc verifies the id_token:
signature against the provider's JWKS with the asymmetric algorithms its discovery
document lists (never `none` or `HS*`), issuer, audience, expiry and the nonce sent.
Claims the id_token lacks (a certified provider releases profile claims only at the
userinfo endpoint by default) come from userinfo, whose `sub` must match.

The pending state, nonce and verifier live in the signed session cookie only between
the redirect and the callback. Sign-out ends the provider's session too when it offers
an `end_session_endpoint` (RP-initiated logout), and the first sign-in after a sign-out
in this browser asks the provider for a fresh login (`prompt=login`), so that on a shared
computer the next person never silently becomes the previous one.
"""
from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote_plus

import httpx
from flask import Request, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..config import Settings
from ..oidc_clients import OIDCClientSettings, resident_client
from ..identity import Person, SignInFailed, SignInUnavailable, normalise_personal_code
from .oauth import authorization_url, callback_code
from .remote import RemoteProvider

PENDING_KEY = "oidc_pending"
CLOCK_LEEWAY_SECONDS = 60
# Signatures a provider's public keys can make; symmetric ones (HS*) would need the
# client secret as the key, and `none` is no signature at all.
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                         "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "Ed448")
NAME_CLAIMS = ("given_name", "family_name")


def basic_credentials(client_id: str, secret: str) -> tuple[str, str]:
    """HTTP Basic user and password for a client: each form-encoded first (RFC 6749
    2.3.1), so that a secret with `+`, `%` or `:` reaches the provider intact."""
    return quote_plus(client_id), quote_plus(secret)


class OIDCProvider:
    id = "oidc"

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None,
                 client: OIDCClientSettings | None = None):
        """The residents' client (`oidc_*`), or the one `client` describes (the staff's)."""
        self.settings = settings
        self.client = client or resident_client(settings)
        self.remote = RemoteProvider(self.client.timeout_seconds, self.client.ca_file, transport)
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    @property
    def transport(self) -> httpx.BaseTransport | None:
        return self.remote.transport

    @transport.setter
    def transport(self, transport: httpx.BaseTransport | None) -> None:
        self.remote.transport = transport      # tests put a stand-in provider here

    def _redirect_uri(self) -> str:
        return url_for(self.client.callback_endpoint, _external=True)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, fetched once per process. No lock: two
        residents arriving together may both fetch it, neither waits for the other."""
        if self._metadata is None:
            found = self.remote.get_json(self.client.discovery_url, "discovery document")
            if found.get("issuer") != self.client.issuer:
                raise SignInUnavailable("the discovery document names another issuer")
            for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(found.get(needed), str):
                    raise SignInUnavailable(f"the discovery document has no {needed}")
            self._metadata = found
        return self._metadata

    def _key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            found = self.remote.get_json(self.metadata()["jwks_uri"], "key set (JWKS)")
            try:
                self._keys = KeySet.import_key_set(found)
            except (ValueError, JoseError, TypeError, KeyError) as error:
                raise SignInUnavailable(f"the key set (JWKS) is not usable: {type(error).__name__}") from None
        return self._keys

    def signature_algorithms(self) -> list[str]:
        """The asymmetric id_token algorithms the provider lists (RS256 when it lists none,
        as OpenID Connect Discovery 1.0 defines)."""
        listed = self.metadata().get("id_token_signing_alg_values_supported") or ["RS256"]
        accepted = [name for name in listed if name in ASYMMETRIC_ALGORITHMS]
        if not accepted:
            raise SignInUnavailable(f"the provider offers no asymmetric id_token algorithm ({listed!r})")
        return accepted

    def login_url(self, next_url: str) -> str:
        return authorization_url(self.client.pending_key, self.metadata()["authorization_endpoint"],
                                 self.client.client_id, self._redirect_uri(), self.client.scopes,
                                 nonce=secrets.token_urlsafe(32))

    def complete(self, request: Request) -> Person:
        claims, id_token = self.completed_claims(request)
        return self._person(claims, logout_hint=id_token)

    def completed_claims(self, request: Request) -> tuple[dict[str, Any], str]:
        """The verified claims of the callback's sign-in (completed from userinfo) and the
        id_token: what `complete` makes a resident of, and the staff sign-in an account."""
        code, pending = callback_code(request, self.client.pending_key)
        token = self._exchange(code, pending["verifier"])
        if not isinstance(token.get("id_token"), str):
            raise SignInUnavailable("the token response has no id_token")
        claims = self._verified_claims(token["id_token"], pending)
        return self._with_userinfo(claims, token.get("access_token")), token["id_token"]

    def _exchange(self, code: str, verifier: str) -> dict[str, Any]:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self._redirect_uri(),
                "code_verifier": verifier}
        auth = basic_credentials(self.client.client_id, self.client.client_secret or "")
        return self.remote.post_form(self.metadata()["token_endpoint"], "token endpoint", form, auth=auth)

    def _decoded(self, id_token: str) -> jwt.Token:
        algorithms = self.signature_algorithms()
        try:
            return jwt.decode(id_token, self._key_set(), algorithms=algorithms)
        except (ValueError, JoseError):   # perhaps a new signing key: fetch the set once more
            pass
        try:
            return jwt.decode(id_token, self._key_set(refresh=True), algorithms=algorithms)
        except (ValueError, JoseError) as error:
            raise SignInFailed(f"the id_token signature was refused: {type(error).__name__}") from None

    def _verified_claims(self, id_token: str, pending: dict[str, Any]) -> dict[str, Any]:
        decoded = self._decoded(id_token)
        try:
            jwt.JWTClaimsRegistry(
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "value": self.client.issuer},
                aud={"essential": True, "value": self.client.client_id},
                exp={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": pending["nonce"]},
            ).validate(decoded.claims)
        except (ValueError, JoseError) as error:
            raise SignInFailed(f"the id_token was refused: {type(error).__name__}") from None
        auth_time = decoded.claims.get("auth_time")
        if pending.get("fresh") and isinstance(auth_time, (int, float)) \
                and auth_time < pending.get("started", 0) - CLOCK_LEEWAY_SECONDS:
            raise SignInFailed("a fresh login was asked for, but the provider reused an older one")
        return decoded.claims

    def _with_userinfo(self, claims: dict[str, Any], access_token: Any) -> dict[str, Any]:
        """`claims` completed from the userinfo endpoint when the id_token lacks the
        personal code or a name; userinfo's `sub` must be the id_token's (OIDC Core 5.3.2)."""
        needed = (self.client.claim, *(NAME_CLAIMS if self.client.wants_names else ()))
        endpoint = self.metadata().get("userinfo_endpoint")
        if all(claims.get(name) for name in needed) or not endpoint or not isinstance(access_token, str):
            return claims
        userinfo = self.remote.get_json(endpoint, "userinfo endpoint",
                                        headers={"Authorization": f"Bearer {access_token}"})
        if userinfo.get("sub") != claims["sub"]:
            raise SignInFailed("the userinfo endpoint describes another subject")
        return {**userinfo, **{name: value for name, value in claims.items() if value not in (None, "")}}

    def _person(self, claims: dict[str, Any], logout_hint: str = "") -> Person:
        digits = normalise_personal_code(str(claims.get(self.client.claim, "")))
        if digits is None:
            raise SignInFailed(f"claim {self.client.claim!r} holds no valid personal code")
        return Person(digits, str(claims.get("given_name", ""))[:100], str(claims.get("family_name", ""))[:100],
                      logout_hint=logout_hint)

    def logout_url(self, logout_hint: str, return_to: str) -> str | None:
        """Where to send the browser to end the provider's session (OpenID Connect
        RP-Initiated Logout 1.0), or None when the provider offers no such endpoint or
        cannot be reached: the local sign-out has happened either way."""
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except SignInFailed:
            return None
        if not isinstance(endpoint, str):
            return None
        query = {"client_id": self.client.client_id, "post_logout_redirect_uri": return_to}
        if logout_hint:
            query["id_token_hint"] = logout_hint
        return str(httpx.URL(endpoint).copy_merge_params(query))
