"""The sign-in providers' settings checked together (OpenID Connect, latvija.lv,
eParaksts): what one of them needs is all given, and its addresses are https."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .config_values import ConfigError, env_name


def check_oidc(values: Mapping[str, Any]) -> None:
    issuer, client_id = values["oidc_issuer"], values["oidc_client_id"]
    if (issuer or values["oidc_client_secret"]) and not client_id:
        raise ConfigError("PKIP_OIDC_CLIENT_ID is required when OpenID Connect is configured")
    if client_id and not issuer:
        raise ConfigError("PKIP_OIDC_ISSUER is required when PKIP_OIDC_CLIENT_ID is set")
    if issuer and not issuer.startswith("https://"):
        raise ConfigError(f"PKIP_OIDC_ISSUER must be an https:// URL, got {issuer!r}")
    discovery = values["oidc_discovery_url"]
    if discovery and not discovery.startswith("https://"):
        raise ConfigError(f"PKIP_OIDC_DISCOVERY_URL must be an https:// URL, got {discovery!r}")
    if client_id and "openid" not in values["oidc_scopes"].split():
        raise ConfigError("PKIP_OIDC_SCOPES must include openid")
    ca_file = values["oidc_ca_file"]
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"PKIP_OIDC_CA_FILE: no such file {ca_file!r}")


LATVIJA_SETTINGS = ("latvija_endpoint", "latvija_realm", "latvija_issuer", "latvija_certificate",
                    "latvija_decryption_key")


def check_latvija(values: Mapping[str, Any]) -> None:
    """latvija.lv needs its endpoint, our realm, its issuer and its certificate together
    (the stand-in supplies issuer and certificate in development)."""
    endpoint = values["latvija_endpoint"]
    if not endpoint:
        return
    standin = values["signin_standins"]
    if not standin and not endpoint.startswith("https://"):
        raise ConfigError(f"PKIP_LATVIJA_ENDPOINT must be an https:// URL, got {endpoint!r}")
    needed = () if standin else ("latvija_realm", "latvija_issuer", "latvija_certificate")
    for name in needed:
        if not values[name]:
            raise ConfigError(f"{env_name(name)} is required when PKIP_LATVIJA_ENDPOINT is set")
    for name in ("latvija_certificate", "latvija_decryption_key"):
        if values[name] and not Path(values[name]).is_file():
            raise ConfigError(f"{env_name(name)}: no such file {values[name]!r}")


EPARAKSTS_SETTINGS = ("eparaksts_base_url", "eparaksts_client_id", "eparaksts_client_secret")


def check_eparaksts(values: Mapping[str, Any]) -> None:
    """eParaksts needs its base URL (https), our client id and secret, all or none."""
    given = [name for name in EPARAKSTS_SETTINGS if values[name]]
    if given and len(given) != len(EPARAKSTS_SETTINGS):
        missing = ", ".join(env_name(name) for name in EPARAKSTS_SETTINGS if name not in given)
        raise ConfigError(f"eParaksts is partly configured: also set {missing}")
    if given and not values["eparaksts_base_url"].startswith("https://"):
        raise ConfigError(f"PKIP_EPARAKSTS_BASE_URL must be an https:// URL, got {values['eparaksts_base_url']!r}")


OIDC_SETTINGS = ("oidc_issuer", "oidc_client_id", "oidc_client_secret", "oidc_scopes", "oidc_personal_code_claim",
                 "oidc_timeout_seconds", "oidc_ca_file")
LOCAL_SIGNIN = ("dev_signin", "signin_standins")        # made-up people: only when developing


def signin_settings(values: Mapping[str, Any], env: str) -> dict[str, Any]:
    """The sign-in settings for `Settings`, checked: the development sign-ins only in
    development, and each provider complete (OpenID Connect, latvija.lv, eParaksts)."""
    for name in LOCAL_SIGNIN:
        if values[name] and env != "development":
            raise ConfigError(f"{env_name(name)} is only allowed when PKIP_ENV=development (PKIP_ENV is {env!r})")
    check_oidc(values)
    check_latvija(values)
    check_eparaksts(values)
    found = {name: values[name] for name in (*LOCAL_SIGNIN, *OIDC_SETTINGS, *LATVIJA_SETTINGS, *EPARAKSTS_SETTINGS)}
    issuer = values["oidc_issuer"]
    found["oidc_discovery_url"] = values["oidc_discovery_url"] or (
        issuer and issuer.rstrip("/") + "/.well-known/openid-configuration")
    return found
