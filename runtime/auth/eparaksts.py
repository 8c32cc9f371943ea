"""Sign-in with the eParaksts e-identity of LVRTC (Latvijas Valsts radio un televīzijas
centrs): an OAuth 2.0 authorization code flow with scope `urn:lvrtc:fpeil:aa` whose token
response has no id_token. The person comes from the userinfo resource: `serial_number`
("PNOLV-010180-15097", the ETSI semantics identifier of a Latvian personal code),
`given_name`, `family_name`.

Settings: `eparaksts_base_url` (https; the endpoints below are relative to it),
`eparaksts_client_id`, `eparaksts_client_secret`; the timeout is `oidc_timeout_seconds`.
The client authenticates with HTTP Basic (form-encoded, RFC 6749
2.3.1) and sends PKCE S256. eParaksts offers no RP-initiated logout, so the first sign-in
after a sign-out asks for a fresh login (`prompt=login`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from flask import Request, url_for

from ..identity import Person, SignInFailed, SignInUnavailable, normalise_personal_code
from .oauth import authorization_url, callback_code
from .oidc import basic_credentials
from .remote import RemoteProvider

PENDING_KEY = "eparaksts_pending"
SCOPE = "urn:lvrtc:fpeil:aa"
AUTHORIZE_PATH = "/trustedx-authserver/oauth/lvrtc-eipsign-as"
TOKEN_PATH = "/trustedx-authserver/oauth/lvrtc-eipsign-as/token"
USERINFO_PATH = "/trustedx-resources/openid/v1/users/me"


@dataclass(frozen=True)
class EParakstsSettings:
    base_url: str
    client_id: str
    client_secret: str
    timeout_seconds: float = 5.0
    server_base_url: str | None = None    # for the token and userinfo calls, if not base_url


class EParakstsProvider:
    id = "eparaksts"

    def __init__(self, configured: EParakstsSettings, transport: httpx.BaseTransport | None = None):
        self.configured = configured
        self.remote = RemoteProvider(configured.timeout_seconds, transport=transport)

    def _endpoint(self, path: str, server: bool = False) -> str:
        base = (self.configured.server_base_url if server else None) or self.configured.base_url
        return base.rstrip("/") + path

    def _redirect_uri(self) -> str:
        return url_for("auth.eparaksts_callback", _external=True)

    def login_url(self, next_url: str) -> str:
        return authorization_url(PENDING_KEY, self._endpoint(AUTHORIZE_PATH), self.configured.client_id,
                                 self._redirect_uri(), SCOPE)

    def complete(self, request: Request) -> Person:
        code, pending = callback_code(request, PENDING_KEY)
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self._redirect_uri(),
                "code_verifier": pending["verifier"]}
        auth = basic_credentials(self.configured.client_id, self.configured.client_secret)
        token = self.remote.post_form(self._endpoint(TOKEN_PATH, server=True), "eParaksts token endpoint", form, auth=auth)
        access_token = token.get("access_token")
        if not isinstance(access_token, str) or str(token.get("token_type", "")).lower() != "bearer":
            raise SignInUnavailable("the eParaksts token response has no bearer access token")
        userinfo = self.remote.get_json(self._endpoint(USERINFO_PATH, server=True), "eParaksts userinfo",
                                        headers={"Authorization": f"Bearer {access_token}"})
        return person_from_userinfo(userinfo)


def person_from_userinfo(userinfo: dict[str, Any]) -> Person:
    """The person eParaksts describes; `serial_number` must be a Latvian personal code."""
    serial = str(userinfo.get("serial_number", ""))
    if not serial.upper().startswith("PNOLV"):
        raise SignInFailed("eParaksts serial_number is not a Latvian personal code (PNOLV-)")
    digits = normalise_personal_code(serial)
    if digits is None:
        raise SignInFailed("eParaksts serial_number holds no valid personal code")
    return Person(digits, str(userinfo.get("given_name", ""))[:100], str(userinfo.get("family_name", ""))[:100])
