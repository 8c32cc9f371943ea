"""The `pkip` command: runtime subcommands here, definition tools handed to builder.cli."""
from __future__ import annotations

import sys
import types

import pytest

from app import create_app, development_defaults, main
from builder.catalogue import load_catalogue
from runtime.startup import StartupError
from runtime.storage.database import Database
from runtime.storage.models import ServiceVersion

from .fakes import Problems, sample_catalogue


@pytest.fixture
def instance(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("PKIP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("PKIP_DATABASE_URL", database_url)
    return tmp_path / "instance"


def test_db_current_reports_an_outdated_schema_then_upgrade_fixes_it(instance, capsys):
    assert main(["db", "current"]) == 1
    assert "run `pkip db upgrade`" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert "(up to date)" in capsys.readouterr().out


def test_sync_imports_the_real_definitions_once(instance, database_url, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["sync"]) == 0
    first = capsys.readouterr().out
    assert main(["sync"]) == 0
    second = capsys.readouterr().out
    service_ids = set(load_catalogue("definitions").services)   # whatever the content is now
    assert service_ids and {f"imported {sid}" for sid in service_ids} <= {
        line.rsplit(" ", 1)[0] for line in first.splitlines()
    }
    assert f"service versions: 0 imported, {len(service_ids)} unchanged" in second
    database = Database(database_url)
    with database.sessions() as session:
        assert session.query(ServiceVersion).count() == len(service_ids)
    database.dispose()


def test_configuration_error_is_one_line_and_exit_code_2(instance, monkeypatch, capsys):
    monkeypatch.setenv("PKIP_MAX_UPLOAD_MB", "lots")
    assert main(["db", "current"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("pkip: PKIP_MAX_UPLOAD_MB must be a whole number") and error.count("\n") == 1


def test_definition_tools_are_handed_to_builder_cli(monkeypatch):
    received = []
    fake_cli = types.ModuleType("builder.cli")
    fake_cli.main = lambda argv: received.append(argv) or 3
    monkeypatch.setitem(sys.modules, "builder.cli", fake_cli)
    assert main(["validate", "definitions", "--strict"]) == 3
    assert received == [["validate", "definitions", "--strict"]]


def test_missing_builder_cli_fails_clearly(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "builder.cli", None)  # makes the import fail
    assert main(["schema"]) == 2
    assert "needs builder.cli" in capsys.readouterr().err


def test_app_refuses_definitions_with_errors_and_prints_them(app_config, capsys):
    catalogue = sample_catalogue()
    catalogue.problems = Problems(["services/x.yaml:3:5: E402 error: no field 'ownr'"], has_errors=True)
    with pytest.raises(StartupError, match="definitions have 1 error"):
        create_app(app_config, catalogue=catalogue)
    assert "E402 error: no field 'ownr'" in capsys.readouterr().err


def test_app_starts_on_the_real_definitions(app_config):
    app = create_app(app_config)
    client = app.test_client()
    assert "Rīgas valstspilsēta" in client.get("/").get_data(as_text=True)
    assert client.get("/riga/").status_code == 200
    app.extensions["pkip"].database.dispose()


@pytest.mark.parametrize("argv", [[], ["nope"], ["--help"]])
def test_help_and_both_usage_errors_list_every_command(argv, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    for command in ("validate", "test", "new", "schema", "check-invoice", "serve", "db", "sync", "worker"):
        assert command in shown.split("{", 1)[1].split("}", 1)[0], (command, shown)


def test_the_development_server_offers_every_sign_in_at_once(instance, monkeypatch):
    environ = {}
    development_defaults(environ)
    assert environ == {"PKIP_ENV": "development", "PKIP_DEV_SIGNIN": "true",
                       "PKIP_SIGNIN_STANDINS": "true"}
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert main(["db", "upgrade"]) == 0     # development upgrades SQLite by itself, not PostgreSQL
    page = create_app().test_client().get("/signin/").get_data(as_text=True)
    for provider in ("/signin/latvija", "/signin/eparaksts", "/signin/dev"):
        assert f'href="{provider}?' in page


def test_the_development_server_adds_nothing_when_told_it_is_production():
    environ = {"PKIP_ENV": "production"}
    development_defaults(environ)
    assert environ == {"PKIP_ENV": "production"}
    environ = {"PKIP_SIGNIN_STANDINS": "false"}
    development_defaults(environ)
    assert environ["PKIP_SIGNIN_STANDINS"] == "false" and environ["PKIP_DEV_SIGNIN"] == "true"
