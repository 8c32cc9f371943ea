"""The settings of an OpenID Connect client, one shape for both the platform's clients:
the residents' (`oidc_*`, the personal code from a claim) and the staff's
(`staff_oidc_*`: the organisation's own provider, whose e-mail claim names an existing
staff account). One client code (`runtime.auth.oidc.OIDCProvider`) serves both; the
staff client shares the residents' timeout and CA bundle settings.

No Flask here: `runtime.config` reads these while it builds the settings.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping


class OIDCSettingsError(ValueError):
    """A setting of an OpenID Connect client is missing or wrong; the message names it."""


@dataclass(frozen=True)
class OIDCClientSettings:
    issuer: str
    client_id: str
    client_secret: str | None
    discovery_url: str
    scopes: str
    claim: str                           # the personal code's claim (residents) or the e-mail's (staff)
    timeout_seconds: float = 5.0
    ca_file: str | None = None
    callback_endpoint: str = "auth.oidc_callback"
    pending_key: str = "oidc_pending"
    wants_names: bool = True             # complete given_name and family_name from userinfo


STAFF_PREFIX = "staff_oidc_"
STAFF_DEFAULTS: dict[str, Any] = {
    "staff_oidc_issuer": None, "staff_oidc_client_id": None, "staff_oidc_client_secret": None,
    "staff_oidc_discovery_url": None,      # derived: <issuer>/.well-known/openid-configuration
    "staff_oidc_scopes": "openid email", "staff_oidc_email_claim": "email",
}


def staff_parsers(text: Callable[[Any], Any], optional_text: Callable[[Any], Any]) -> dict[str, Callable]:
    return {name: text if name in ("staff_oidc_scopes", "staff_oidc_email_claim") else optional_text
            for name in STAFF_DEFAULTS}


def check_client(values: Mapping[str, Any], prefix: str, claim_setting: str) -> None:
    """The client's settings go together: an issuer with a client id, https URLs, openid."""
    def name(setting: str) -> str:
        return f"PKIP_{(prefix + setting).upper()}"
    issuer, client_id = values[prefix + "issuer"], values[prefix + "client_id"]
    if (issuer or values[prefix + "client_secret"]) and not client_id:
        raise OIDCSettingsError(f"{name('client_id')} is required when OpenID Connect is configured")
    if client_id and not issuer:
        raise OIDCSettingsError(f"{name('issuer')} is required when {name('client_id')} is set")
    for setting in ("issuer", "discovery_url"):
        url = values[prefix + setting]
        if url and not url.startswith("https://"):
            raise OIDCSettingsError(f"{name(setting)} must be an https:// URL, got {url!r}")
    if client_id and "openid" not in values[prefix + "scopes"].split():
        raise OIDCSettingsError(f"{name('scopes')} must include openid")
    if client_id and not values[claim_setting]:
        raise OIDCSettingsError(f"PKIP_{claim_setting.upper()} must name a claim")


def discovery_url(values: Mapping[str, Any], prefix: str) -> str | None:
    issuer = values[prefix + "issuer"]
    return values[prefix + "discovery_url"] or (issuer and issuer.rstrip("/") + "/.well-known/openid-configuration")


def staff_client(values: Mapping[str, Any]) -> OIDCClientSettings | None:
    """The staff's client, or None when `staff_oidc_client_id` is not set."""
    check_client(values, STAFF_PREFIX, "staff_oidc_email_claim")
    ca_file = values.get("oidc_ca_file")
    if ca_file and not Path(ca_file).is_file():
        raise OIDCSettingsError(f"PKIP_OIDC_CA_FILE: no such file {ca_file!r}")
    if not values["staff_oidc_client_id"]:
        return None
    return OIDCClientSettings(
        issuer=values["staff_oidc_issuer"], client_id=values["staff_oidc_client_id"],
        client_secret=values["staff_oidc_client_secret"], discovery_url=discovery_url(values, STAFF_PREFIX) or "",
        scopes=values["staff_oidc_scopes"], claim=values["staff_oidc_email_claim"],
        timeout_seconds=values.get("oidc_timeout_seconds", 5.0), ca_file=ca_file,
        callback_endpoint="staff.oidc_callback", pending_key="staff_oidc_pending", wants_names=False)


def resident_client(settings: Any) -> OIDCClientSettings:
    """The residents' client from the built settings (`oidc_*`)."""
    return OIDCClientSettings(
        issuer=settings.oidc_issuer, client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
        discovery_url=settings.oidc_discovery_url, scopes=settings.oidc_scopes,
        claim=settings.oidc_personal_code_claim, timeout_seconds=settings.oidc_timeout_seconds,
        ca_file=settings.oidc_ca_file)
