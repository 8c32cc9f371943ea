"""Resident sign-in: the configured identity providers and the routes that use them.

`init_auth(app, settings)` builds the providers the settings ask for (OpenID Connect when
`oidc_client_id` is set; the development sign-in when `dev_signin` is on, which the
configuration allows only in development); `providers()` gives them to a request. The
sign-in routes are the `auth` blueprint in `runtime.web.signin`.
"""
from __future__ import annotations

from flask import Flask, current_app

from ..config import Settings
from ..identity import IdentityProvider, current_person
from .dev import DevProvider
from .oidc import OIDCProvider

__all__ = ["init_auth", "build_providers", "providers", "EXTENSION"]
EXTENSION = "pkip_identity"


def providers() -> dict[str, IdentityProvider]:
    return current_app.extensions.get(EXTENSION, {})


def build_providers(settings: Settings) -> dict[str, IdentityProvider]:
    providers: dict[str, IdentityProvider] = {}
    if settings.oidc_client_id:
        providers["oidc"] = OIDCProvider(settings)
    if settings.dev_signin and settings.env == "development":
        providers["dev"] = DevProvider()
    return providers


def init_auth(app: Flask, settings: Settings) -> None:
    app.extensions[EXTENSION] = build_providers(settings)

    @app.context_processor
    def identity_helpers():
        return {
            "signed_in_person": current_person(),
            "dev_signin_enabled": "dev" in app.extensions[EXTENSION],
            "signin_available": bool(app.extensions[EXTENSION]),
        }
