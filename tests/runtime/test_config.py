"""Settings: precedence (defaults < instance file < environment < create_app mapping)
and a clear one-line ConfigError for each kind of bad value."""
from __future__ import annotations

import stat

import pytest

from runtime.config import ConfigError, load_settings


def write_instance_file(instance, text: str) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "config.toml").write_text(text, encoding="utf-8")


def test_defaults(tmp_path):
    settings = load_settings({"instance_path": str(tmp_path / "inst")}, environ={})
    assert settings.env == "production"
    assert settings.database_url == f"sqlite:///{tmp_path / 'inst' / 'pkip.sqlite3'}"
    assert settings.max_upload_mb == 20
    assert settings.sync_on_start is True
    assert settings.secure_cookies is True
    assert settings.auto_upgrade is False       # production: never change a schema unasked
    assert settings.dev_signin is False


def test_instance_folder_defaults_to_dot_instance_and_is_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.instance_path == tmp_path / "instance"
    assert settings.instance_path.is_dir()


def test_instance_path_from_environment(tmp_path):
    settings = load_settings(environ={"PKIP_INSTANCE_PATH": str(tmp_path / "elsewhere")})
    assert settings.instance_path == tmp_path / "elsewhere"


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path):
    instance = tmp_path / "inst"
    write_instance_file(instance, 'max_upload_mb = 5\nsync_on_start = false\nenv = "development"\n')
    settings = load_settings(
        {"instance_path": str(instance)}, environ={"PKIP_MAX_UPLOAD_MB": "7"}
    )
    assert settings.max_upload_mb == 7            # environment beats the file
    assert settings.sync_on_start is False         # the file beats the default
    assert settings.env == "development"


def test_create_app_mapping_overrides_environment(tmp_path):
    settings = load_settings(
        {"instance_path": str(tmp_path), "max_upload_mb": 3}, environ={"PKIP_MAX_UPLOAD_MB": "7"}
    )
    assert settings.max_upload_mb == 3


def test_development_sqlite_upgrades_automatically_and_allows_plain_http(tmp_path):
    settings = load_settings({"instance_path": str(tmp_path)}, environ={"PKIP_ENV": "development"})
    assert settings.auto_upgrade is True
    assert settings.secure_cookies is False


def test_postgresql_url_uses_psycopg(tmp_path):
    settings = load_settings(
        {"instance_path": str(tmp_path)},
        environ={"PKIP_DATABASE_URL": "postgresql://app:secret@db.example/pkip"},
    )
    assert settings.database_url == "postgresql+psycopg://app:secret@db.example/pkip"
    assert settings.auto_upgrade is False


def test_secret_key_is_generated_once_with_private_permissions(tmp_path):
    first = load_settings({"instance_path": str(tmp_path)}, environ={})
    second = load_settings({"instance_path": str(tmp_path)}, environ={})
    key_file = tmp_path / "secret_key"
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_configured_secret_key_is_used_and_no_file_written(tmp_path):
    settings = load_settings({"instance_path": str(tmp_path)}, environ={"PKIP_SECRET_KEY": "k" * 40})
    assert settings.secret_key == "k" * 40
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("file_text", "environ", "expected"),
    [
        ("colour = 'red'\n", {}, "unknown setting 'colour'"),
        ("max_upload_mb = \n", {}, "not valid TOML"),
        ("", {"PKIP_MAX_UPLOAD_MB": "ten"}, "PKIP_MAX_UPLOAD_MB must be a whole number, got 'ten'"),
        ("max_upload_mb = 'ten'\n", {}, "max_upload_mb must be a whole number"),
        ("", {"PKIP_MAX_UPLOAD_MB": "0"}, "PKIP_MAX_UPLOAD_MB must be between 1 and 1024"),
        ("", {"PKIP_DATABASE_URL": "mysql://db/pkip"}, "PKIP_DATABASE_URL has unknown scheme 'mysql'"),
        ("", {"PKIP_DEV_SIGNIN": "1"}, "PKIP_DEV_SIGNIN is only allowed when PKIP_ENV=development"),
        ("", {"PKIP_DEV_SIGNIN": "perhaps"}, "PKIP_DEV_SIGNIN must be true or false"),
        ("", {"PKIP_ENV": "staging"}, "PKIP_ENV must be one of development, production, testing"),
        ("", {"PKIP_SECRET_KEY": "short"}, "PKIP_SECRET_KEY must be at least 32 characters"),
        ("", {"PKIP_OIDC_ISSUER": "https://id.example"}, "PKIP_OIDC_CLIENT_ID is required"),
        ("", {"PKIP_OIDC_CLIENT_ID": "pkip"}, "PKIP_OIDC_ISSUER is required"),
        ("", {"PKIP_OIDC_CLIENT_ID": "pkip", "PKIP_OIDC_ISSUER": "http://id.example"},
         "PKIP_OIDC_ISSUER must be an https:// URL"),
    ],
)
def test_bad_settings_fail_with_one_clear_line(tmp_path, file_text, environ, expected):
    write_instance_file(tmp_path, file_text)
    with pytest.raises(ConfigError) as raised:
        load_settings({"instance_path": str(tmp_path)}, environ=environ)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message


def test_database_password_is_not_echoed_in_errors(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_settings({"instance_path": str(tmp_path)}, environ={"PKIP_DATABASE_URL": "mysql://u:hunter2@db/x"})
    assert "hunter2" not in str(raised.value)


def test_dev_signin_is_allowed_in_development(tmp_path):
    settings = load_settings(
        {"instance_path": str(tmp_path)}, environ={"PKIP_ENV": "development", "PKIP_DEV_SIGNIN": "yes"}
    )
    assert settings.dev_signin is True


def test_unknown_key_in_create_app_mapping_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="unknown setting 'databse_url'"):
        load_settings({"instance_path": str(tmp_path), "databse_url": "sqlite://"}, environ={})
