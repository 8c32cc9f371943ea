"""The runtime's settings: defaults, then `<instance>/config.toml`, then `PKIP_*`
environment variables, then the mapping given to `create_app` (tests use it).

Every value is parsed and checked here, once, at start-up. A bad value raises
`ConfigError` with one line that names the setting and where it came from, so that an
operator sees at once what to fix; the app never starts half-configured.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from publishers.registry import REGISTRY as PUBLISHERS
from . import limits as limit_settings
from .limits import Limits

from .config_signin import signin_settings
from .config_values import (  # ConfigError and env_name are imported from here too
    ConfigError, env_name, parse_bool, parse_env, parse_int,
    parse_interval, parse_languages, parse_optional_text, parse_seconds, parse_text,
)
from .mail import MAIL_DEFAULTS, MailSettings, mail_parsers, mail_settings
from .oidc_clients import STAFF_DEFAULTS as STAFF_OIDC_DEFAULTS, OIDCClientSettings, OIDCSettingsError, staff_client
from .oidc_clients import staff_parsers as staff_oidc_parsers

DATABASE_SCHEMES = {
    "sqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}
SECRET_KEY_FILE = "secret_key"
CONFIG_FILE = "config.toml"
MAX_PROXIES = 5


@dataclass(frozen=True)
class Settings:
    env: str
    instance_path: Path
    database_url: str
    secret_key: str
    definitions_path: Path
    dev_signin: bool
    auto_upgrade: bool
    sync_on_start: bool
    max_upload_mb: int
    secure_cookies: bool
    oidc_issuer: str | None
    oidc_client_id: str | None
    oidc_client_secret: str | None
    oidc_discovery_url: str | None = None
    oidc_scopes: str = "openid profile"
    oidc_personal_code_claim: str = "serialNumber"
    oidc_timeout_seconds: float = 5.0   # per connect / read / write to the provider
    oidc_ca_file: str | None = None     # a CA bundle for the provider's TLS, else the system's
    latvija_endpoint: str | None = None         # WS-Federation passive endpoint of latvija.lv
    latvija_realm: str | None = None            # our wtrealm, the assertions' audience
    latvija_issuer: str | None = None           # the assertions' Issuer
    latvija_certificate: str | None = None      # PEM file: the pinned signing certificate
    latvija_decryption_key: str | None = None   # PEM file: our key for encrypted assertions
    latvija_accept_cbc: bool = True             # false: encrypted assertions must be AES-GCM
    eparaksts_base_url: str | None = None       # eParaksts (LVRTC) e-identity, https
    eparaksts_client_id: str | None = None
    eparaksts_client_secret: str | None = None
    signin_standins: bool = False               # development: latvija.lv and eParaksts stand-ins
    proxy_fix: int = 0      # how many proxies in front set X-Forwarded-*; 0 = trust none
    catalogue_refresh_seconds: float = 5.0   # how often a process looks for newly synced versions; 0 = never
    # each publisher's own settings (`publishers.contract.Setting`), by publisher id and name
    publishers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    register_standins: bool = False          # the registers' local stand-in (development, testing)
    register_timeout_seconds: float = 3.0    # a register that takes longer "does not answer"
    mail: MailSettings = field(default_factory=MailSettings)    # SMTP (`runtime.mail`)
    staff_oidc: OIDCClientSettings | None = None    # the staff's organisation sign-in (`staff_oidc_*`)
    limits: Limits = field(default_factory=Limits)   # rate limits, upload quotas, retention (`runtime.limits`)
    languages: tuple[str, ...] = ("lv", "en")     # the interface languages, Latvian first (`runtime.i18n`)
    translations_path: Path | None = None         # a folder of more catalogues: <lang>/LC_MESSAGES/messages.po

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def max_content_length(self) -> int:
        return self.max_upload_mb * 1024 * 1024


# Settings that may come from the instance file, the environment or create_app's mapping.
# `instance_path` is absent on purpose: the instance file lives inside it.
PARSERS: dict[str, Callable[[Any], Any]] = {
    "env": parse_env,
    "database_url": parse_optional_text,
    "secret_key": parse_optional_text,
    "definitions_path": parse_text,
    "dev_signin": parse_bool,
    "auto_upgrade": parse_bool,
    "sync_on_start": parse_bool,
    "max_upload_mb": parse_int,
    "secure_cookies": parse_bool,
    "oidc_issuer": parse_optional_text,
    "oidc_client_id": parse_optional_text,
    "oidc_client_secret": parse_optional_text,
    "oidc_discovery_url": parse_optional_text,
    "oidc_scopes": parse_text,
    "oidc_personal_code_claim": parse_text,
    "oidc_timeout_seconds": parse_seconds,
    "oidc_ca_file": parse_optional_text,
    "latvija_endpoint": parse_optional_text,
    "latvija_realm": parse_optional_text,
    "latvija_issuer": parse_optional_text,
    "latvija_certificate": parse_optional_text,
    "latvija_decryption_key": parse_optional_text,
    "latvija_accept_cbc": parse_bool,
    "eparaksts_base_url": parse_optional_text,
    "eparaksts_client_id": parse_optional_text,
    "eparaksts_client_secret": parse_optional_text,
    "signin_standins": parse_bool,
    "proxy_fix": parse_int,
    "catalogue_refresh_seconds": parse_interval,
    # `<publisher id>_<name>`: declared once by each publisher (publishers/registry.py)
    **{name: setting.parse for name, (_, setting) in PUBLISHERS.setting_names().items()},
    "register_standins": parse_bool,
    "register_timeout_seconds": parse_seconds,
    "languages": parse_languages,
    "translations_path": parse_optional_text,
    **mail_parsers(parse_text, parse_optional_text, parse_bool, parse_seconds),
    **staff_oidc_parsers(parse_text, parse_optional_text),
    **limit_settings.PARSERS,
}
DEFAULTS: dict[str, Any] = {
    "env": "production",
    "database_url": None,
    "secret_key": None,
    "definitions_path": "definitions",
    "dev_signin": False,
    "auto_upgrade": None,       # derived: on for SQLite in development
    "sync_on_start": True,
    "max_upload_mb": 20,
    "secure_cookies": None,     # derived: off only in development (plain http)
    "oidc_issuer": None,
    "oidc_client_id": None,
    "oidc_client_secret": None,
    "oidc_discovery_url": None,     # derived: <issuer>/.well-known/openid-configuration
    "oidc_scopes": "openid profile",
    "oidc_personal_code_claim": "serialNumber",
    "oidc_timeout_seconds": 5.0,
    "oidc_ca_file": None,
    "latvija_endpoint": None,
    "latvija_realm": None,
    "latvija_issuer": None,
    "latvija_certificate": None,
    "latvija_decryption_key": None,
    "latvija_accept_cbc": True,
    "eparaksts_base_url": None,
    "eparaksts_client_id": None,
    "eparaksts_client_secret": None,
    "signin_standins": False,
    "proxy_fix": 0,
    "catalogue_refresh_seconds": 5.0,
    **{name: setting.default for name, (_, setting) in PUBLISHERS.setting_names().items()},
    "register_standins": None,      # derived: on in development and testing, never in production
    "register_timeout_seconds": 3.0,
    "languages": ("lv", "en"),
    "translations_path": None,
    **MAIL_DEFAULTS,
    **STAFF_OIDC_DEFAULTS,
    **limit_settings.DEFAULTS,
}


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read, parse and check every setting; create the instance folder if missing."""
    overrides = dict(overrides or {})
    environ = os.environ if environ is None else environ
    instance = _instance_path(overrides, environ)
    values = dict(DEFAULTS)
    values.update(_parsed(_read_instance_file(instance), f"{instance / CONFIG_FILE}: "))
    from_env = {name: environ[env_name(name)] for name in PARSERS if env_name(name) in environ}
    values.update(_parsed(from_env, "", label=env_name))
    values.update(_parsed(overrides, "create_app config: "))
    return _finish(values, instance)


def _instance_path(overrides: dict[str, Any], environ: Mapping[str, str]) -> Path:
    raw = overrides.pop("instance_path", None) or environ.get("PKIP_INSTANCE_PATH") or "instance"
    path = Path(raw).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"PKIP_INSTANCE_PATH: cannot create {path}: {error.strerror}") from None
    return path


def _read_instance_file(instance: Path) -> dict[str, Any]:
    path = instance / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _parsed(
    raw: Mapping[str, Any], where: str, label: Callable[[str], str] = str
) -> dict[str, Any]:
    parsed = {}
    for name, value in raw.items():
        if name not in PARSERS:
            known = ", ".join(sorted(PARSERS))
            raise ConfigError(f"{where}unknown setting {name!r} (known: {known})")
        try:
            parsed[name] = PARSERS[name](value)
        except ValueError as error:
            raise ConfigError(f"{where}{label(name)} {error}, got {value!r}") from None
    return parsed


def _finish(values: dict[str, Any], instance: Path) -> Settings:
    from .i18n import language_settings     # imported here: it needs Flask and Babel

    env = values["env"]
    database_url = _database_url(values["database_url"], instance)
    _env_defaults(values, env, database_url)
    if not 1 <= values["max_upload_mb"] <= 1024:
        raise ConfigError(f"PKIP_MAX_UPLOAD_MB must be between 1 and 1024, got {values['max_upload_mb']}")
    if not 0 <= values["proxy_fix"] <= MAX_PROXIES:
        raise ConfigError(f"PKIP_PROXY_FIX must be between 0 and {MAX_PROXIES} (proxies in front), got {values['proxy_fix']}")
    signin = signin_settings(values, env)
    languages = language_settings(values)
    if values["secret_key"] and env == "production" and len(values["secret_key"]) < 32:
        raise ConfigError("PKIP_SECRET_KEY must be at least 32 characters in production")
    return Settings(
        env=env,
        instance_path=instance,
        database_url=database_url,
        secret_key=values["secret_key"] or _instance_secret_key(instance),
        definitions_path=Path(values["definitions_path"]).expanduser().resolve(),
        **{name: values[name] for name in ("auto_upgrade", "sync_on_start", "max_upload_mb", "secure_cookies",
                                           "proxy_fix", "catalogue_refresh_seconds", "register_standins",
                                           "register_timeout_seconds")},
        **signin,
        **languages,
        publishers=_publisher_settings(values),
        mail=mail_settings(values),
        staff_oidc=_staff_oidc(values),
        limits=limit_settings.limits_from(values),
    )


def _env_defaults(values: dict[str, Any], env: str, database_url: str) -> None:
    """The settings left unset take their environment's value: upgrading the schema on
    start only for a development SQLite file, cookies over plain HTTP only in development,
    the register stand-ins everywhere but in production (refused there outright)."""
    if values["auto_upgrade"] is None:
        values["auto_upgrade"] = env == "development" and database_url.startswith("sqlite")
    if values["secure_cookies"] is None:
        values["secure_cookies"] = env != "development"
    if values["register_standins"] is None:
        values["register_standins"] = env != "production"
    if values["register_standins"] and env == "production":
        raise ConfigError("PKIP_REGISTER_STANDINS is not allowed when PKIP_ENV=production: "
                          "the stand-in answers from made-up records")


def _publisher_settings(values: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    by_publisher: dict[str, dict[str, Any]] = {publisher_id: {} for publisher_id in PUBLISHERS}
    for name, (publisher, setting) in PUBLISHERS.setting_names().items():
        by_publisher[publisher.id][setting.name] = values[name]
    return MappingProxyType({key: MappingProxyType(value) for key, value in by_publisher.items()})


def _database_url(url: str | None, instance: Path) -> str:
    """The SQLAlchemy URL with psycopg named as the PostgreSQL driver."""
    if not url:
        return f"sqlite:///{instance / 'pkip.sqlite3'}"
    scheme, separator, rest = url.partition("://")
    if not separator or scheme not in DATABASE_SCHEMES:
        known = ", ".join(sorted(DATABASE_SCHEMES))
        # Only the scheme is echoed: the rest of a URL may hold a password.
        raise ConfigError(f"PKIP_DATABASE_URL has unknown scheme {scheme!r} (use one of: {known})")
    return f"{DATABASE_SCHEMES[scheme]}://{rest}"


def _staff_oidc(values: Mapping[str, Any]) -> OIDCClientSettings | None:
    try:
        return staff_client(values)
    except OIDCSettingsError as error:
        raise ConfigError(str(error)) from None


def _instance_secret_key(instance: Path) -> str:
    """The key in `<instance>/secret_key`, generated once (mode 0600) when missing, so
    sessions survive restarts without anyone having to invent a key."""
    path = instance / SECRET_KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ConfigError(f"{path}: the secret key is shorter than 32 characters") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key
