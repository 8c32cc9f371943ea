"""Resident sign-in: the configured identity providers and the routes that use them.

`init_auth(app, settings)` builds the providers the settings ask for; `providers()` gives
them to a request. The sign-in routes are the `auth` blueprint in `runtime.web.signin`,
the stand-ins' pages in `runtime.web.standins`. Which providers are offered is
configuration:

- OpenID Connect when `oidc_client_id` is set;
- latvija.lv (WS-Federation) when `latvija_endpoint` is set;
- eParaksts (OAuth, LVRTC) when `eparaksts_base_url` is set;
- in development with `signin_standins`: the latvija.lv and eParaksts stand-ins (and
  providers using them, for each that is not configured for real), served by this app;
- the development sign-in when `dev_signin` is on.

Staff sign in apart from residents (`runtime.web.staff`); their organisation's OpenID
Connect provider, when `staff_oidc_client_id` is set, is one more `OIDCProvider` on the
same code (`staff_provider()`), with its own settings, pending key and callback.

Stand-ins and the development sign-in exist only in development (the configuration
refuses them elsewhere) and then every page carries the "not a real identity" banner.
"""
from __future__ import annotations

from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from flask import Flask, current_app

from ..config import ConfigError, Settings
from ..identity import IdentityProvider, signed_in_names
from ..state import runtime_state
from .dev import DevProvider
from .eparaksts import EParakstsProvider, EParakstsSettings
from .latvija import LatvijaProvider, LatvijaSettings
from .oidc import OIDCProvider
from .saml import Expectations
from .standins.eparaksts import PREFIX, EParakstsStandIn
from .standins.latvija import make_standin

__all__ = ["init_auth", "build_providers", "providers", "staff_provider", "standins", "EXTENSION"]
EXTENSION = "pkip_identity"
STAFF_EXTENSION = "pkip_staff_oidc"
STANDINS = "pkip_standins"
DEVELOPMENT_REALM = "urn:pkip:development"
STANDIN_HOST = "http://standin.invalid"    # the stand-ins' server-side calls never leave the process


def providers() -> dict[str, IdentityProvider]:
    return current_app.extensions.get(EXTENSION, {})


def dev_signin_enabled() -> bool:
    """Whether pages carry the development banner: with the development sign-in or with
    the national sign-ins' stand-ins, neither of which is a real identity. The one answer
    for the templates' context and every planned header."""
    return "dev" in providers() or bool(standins())


def standins() -> dict:
    """The stand-ins this app serves (development only), by provider id."""
    return current_app.extensions.get(STANDINS, {})


def _latvija_settings(settings: Settings) -> LatvijaSettings:
    try:
        certificate = x509.load_pem_x509_certificate(Path(settings.latvija_certificate).read_bytes())
        key = None
        if settings.latvija_decryption_key:
            key = load_pem_private_key(Path(settings.latvija_decryption_key).read_bytes(), password=None)
            if not isinstance(key, rsa.RSAPrivateKey):
                raise ValueError("the decryption key is not an RSA key")
    except ValueError as error:
        raise ConfigError(f"PKIP_LATVIJA_CERTIFICATE / PKIP_LATVIJA_DECRYPTION_KEY: {error}") from None
    return LatvijaSettings(settings.latvija_endpoint,
                           Expectations(settings.latvija_issuer, settings.latvija_realm, certificate, key,
                                        accept_cbc=settings.latvija_accept_cbc))


def build_providers(settings: Settings, standins: dict | None = None) -> dict[str, IdentityProvider]:
    """The providers on offer, in the order the sign-in page lists them."""
    providers: dict[str, IdentityProvider] = {}
    database = lambda: runtime_state().database  # noqa: E731 (the state exists once the app does)
    if settings.latvija_endpoint and settings.latvija_certificate:
        providers["latvija"] = LatvijaProvider(_latvija_settings(settings), database)
    elif standins and "latvija" in standins:
        endpoint = settings.latvija_endpoint or "/_standin/latvija/"
        providers["latvija"] = LatvijaProvider(
            standins["latvija"].settings(endpoint, settings.latvija_realm or DEVELOPMENT_REALM), database)
    if settings.eparaksts_base_url:
        providers["eparaksts"] = EParakstsProvider(EParakstsSettings(
            settings.eparaksts_base_url, settings.eparaksts_client_id, settings.eparaksts_client_secret,
            settings.oidc_timeout_seconds))
    elif standins and "eparaksts" in standins:
        providers["eparaksts"] = EParakstsProvider(standins["eparaksts"].settings(
            PREFIX, STANDIN_HOST + PREFIX, settings.oidc_timeout_seconds))
    if settings.oidc_client_id:
        providers["oidc"] = OIDCProvider(settings)
    if settings.dev_signin and settings.env == "development":
        providers["dev"] = DevProvider()
    return providers


def staff_provider() -> OIDCProvider | None:
    """The staff's organisation sign-in (`staff_oidc_*`), or None when not configured."""
    return current_app.extensions.get(STAFF_EXTENSION)


def init_auth(app: Flask, settings: Settings) -> None:
    app.extensions[STAFF_EXTENSION] = OIDCProvider(settings, client=settings.staff_oidc) if settings.staff_oidc \
        else None
    made = {}
    if settings.signin_standins and settings.env == "development":
        made["latvija"], made["eparaksts"] = make_standin(), EParakstsStandIn()
    app.extensions[STANDINS] = made
    app.extensions[EXTENSION] = build_providers(settings, made)
    eparaksts = app.extensions[EXTENSION].get("eparaksts")
    if eparaksts is not None and not settings.eparaksts_base_url:
        eparaksts.remote.transport = httpx.WSGITransport(app=app)     # the stand-in, in process

    @app.context_processor
    def identity_helpers():
        return {
            "signed_in_person": signed_in_names(),
            "dev_signin_enabled": dev_signin_enabled(),
            "signin_available": bool(app.extensions[EXTENSION]),
        }
