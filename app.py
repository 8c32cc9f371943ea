"""Composition root: builds the web app and runs the `pkip` command. Nothing imports it.

`create_app()` is what gunicorn runs (`gunicorn 'app:create_app()'`); `main` is the
`pkip` console command. Runtime commands (serve, db, sync) are handled here; the
definition tools (validate, test, new, schema) belong to `builder.cli`.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

from builder.cli import COMMANDS as DEFINITION_COMMANDS

from runtime.auth import init_auth
from runtime.catalogue_cards import write_changed_cards
from runtime.cases.backfill import reconstruct_pending_facts
from runtime.config import ConfigError, load_settings
from runtime.errors import init_errors
from runtime.i18n import Languages, init_i18n
from runtime.logmask import install_log_masking
from runtime.security import init_security
from runtime.startup import (
    StartupError, check_catalogue, compile_templates, freeze_start_up_objects, load_definitions, open_database,
)
from runtime.state import Catalogue, RuntimeState
from runtime.storage.migrate import SchemaOutdatedError, current_revision, head_revision, upgrade
from runtime.storage.database import Database
from runtime.refresh import init_catalogue_refresh
from runtime.registers import Registry
from runtime.registers.standin import standin_registers
from runtime.sync import sync_service_versions
from runtime.publish_cli import add_publish_commands
from runtime.tokens_cli import add_token_commands
from runtime.cleanup_cli import add_cleanup_command
from runtime.users_cli import add_staff_commands
from runtime.web import register_blueprints
from runtime.webapp import RuntimeFlask

ROOT = Path(__file__).resolve().parent
RUNTIME_COMMANDS = ("serve", "db", "sync", "worker", "users", "overdue", "digest", "publish", "stand-ins", "tokens",
                    "webhooks", "cleanup")



def create_app(config: Mapping[str, Any] | None = None, *, catalogue: Catalogue | None = None) -> RuntimeFlask:
    """The WSGI app. `config` overrides settings (same names as the instance file);
    `catalogue` replaces loading `definitions/` (tests pass a small one)."""
    install_log_masking()
    settings = load_settings(config)
    from_folder = catalogue is None
    if from_folder:
        catalogue = load_definitions(settings.definitions_path)
    check_catalogue(catalogue)
    database = open_database(settings)
    if settings.sync_on_start:
        sync_service_versions(database, catalogue.services.values())
        reconstruct_pending_facts(database, catalogue)
    app = RuntimeFlask(        # Flask with a cheaper ensure_sync (runtime/webapp.py)
        "pkip",
        root_path=str(ROOT / "runtime"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "runtime" / "templates"),
    )
    app.extensions["pkip"] = state = RuntimeState(settings=settings, database=database, catalogue=catalogue,
                                                  registers=build_registry(settings))
    if settings.sync_on_start:
        write_changed_cards(state)      # a new version or a changed overlay: new catalogue cards
    init_i18n(app, Languages(settings.languages, tuple(filter(None, [settings.translations_path]))))  # first: the language must be known when CSRF rejects a request
    init_security(app, settings)
    init_errors(app)
    init_auth(app, settings)
    register_blueprints(app)
    if from_folder:     # a catalogue given by a test is not the folder's: nothing to reload
        init_catalogue_refresh(app, lambda: load_definitions(settings.definitions_path),
                               settings.catalogue_refresh_seconds)
    if settings.env != "testing":   # ~0.1 s per app: paid once per process, but tests build hundreds
        compile_templates(app)
        freeze_start_up_objects()
    return app


def build_registry(settings) -> Registry:
    """The register providers: the local stand-in where allowed; in production none yet (no
    national register client is configured), so every look-up takes its manual way on."""
    return Registry(standin_registers() if settings.register_standins else (),
                    timeout=settings.register_timeout_seconds)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in DEFINITION_COMMANDS:
        return _builder_cli(argv)
    arguments = _parser().parse_args(argv)
    install_log_masking()
    try:
        return arguments.run(arguments)
    except (ConfigError, StartupError, SchemaOutdatedError) as error:
        print(f"pkip: {error}", file=sys.stderr)
        return 2


def _builder_cli(argv: list[str]) -> int:
    try:
        from builder.cli import main as builder_main
    except ImportError as error:
        print(f"pkip: `{argv[0]}` needs builder.cli, which cannot be imported: {error}", file=sys.stderr)
        return 2
    return builder_main(argv) or 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pkip", description="Municipal e-services and their definition tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, summary in DEFINITION_COMMANDS.items():   # listed here; `main` hands them to builder.cli
        commands.add_parser(name, help=summary, add_help=False)
    serve = commands.add_parser("serve", help="run the development server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.set_defaults(run=_serve)
    database = commands.add_parser("db", help="database schema")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="apply every pending migration").set_defaults(run=_db_upgrade)
    database_commands.add_parser("current", help="show the schema revision").set_defaults(run=_db_current)
    commands.add_parser("sync", help="import changed service definitions").set_defaults(run=_sync)
    worker = commands.add_parser("worker", help="run outbox jobs (PDFs, sending)")
    worker.add_argument("--once", action="store_true", help="run the jobs due now, then exit")
    worker.set_defaults(run=_worker)
    add_staff_commands(commands)
    add_publish_commands(commands)
    add_token_commands(commands)
    add_cleanup_command(commands)
    return parser


def development_defaults(environ) -> None:
    """The development server is development by definition, unless told otherwise; there a
    newcomer can sign in at once: the dev sign-in and the latvija.lv and eParaksts stand-ins
    are on unless a setting says otherwise (all three are bannered and refused elsewhere)."""
    environ.setdefault("PKIP_ENV", "development")
    if environ["PKIP_ENV"] == "development":
        environ.setdefault("PKIP_DEV_SIGNIN", "true")
        environ.setdefault("PKIP_SIGNIN_STANDINS", "true")


def start_publisher_standins(environ, instance_path: Path):
    """Development: the publishers' stand-ins on free local ports, and the publishers
    pointed at them, unless PKIP_PUBLISHER_STANDINS=false or a publisher is already
    pointed elsewhere (an explicit setting wins). The stand-ins, or None."""
    if environ.get("PKIP_ENV") != "development" or environ.get("PKIP_PUBLISHER_STANDINS", "true").lower() in (
            "0", "false", "no", "off"):
        return None
    from publishers.local import start_standins

    started = start_standins(instance_path / "standins", ports={"catalogue": 0, "pspp": 0, "div": 0, "opendata": 0,
                                                                        "webhooks": 0})
    for name, value in started.settings.items():
        environ.setdefault(f"PKIP_{name.upper()}", value)
    return started


def development_mail(environ, instance: Path, site: str) -> str | None:
    """In development without an `smtp_host`, e-mails go to the local SMTP stand-in, which
    saves them in `<instance>/mail/`; a line saying so, or None when mail is set up."""
    if environ.get("PKIP_ENV") != "development" or environ.get("PKIP_SMTP_HOST"):
        return None
    from runtime.mail_standin import DEVELOPMENT_PORT, HOST, start_standin

    try:
        standin = start_standin(port=DEVELOPMENT_PORT, folder=instance / "mail")
    except OSError as error:
        return f"E-mail is off: the SMTP stand-in cannot listen on {HOST}:{DEVELOPMENT_PORT} ({error.strerror})"
    environ["PKIP_SMTP_HOST"], environ["PKIP_SMTP_PORT"] = HOST, str(standin.port)
    environ.setdefault("PKIP_PUBLIC_URL", site)
    return f"E-mails go to the SMTP stand-in at {HOST}:{standin.port}, saved as files in {instance / 'mail'}"


def _serve(arguments: argparse.Namespace) -> int:
    development_defaults(os.environ)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    standins = start_publisher_standins(os.environ, load_settings().instance_path)
    mail_line = development_mail(os.environ, load_settings().instance_path, f"http://{arguments.host}:{arguments.port}")
    app = create_app()
    state = app.extensions["pkip"]
    if standins is not None:
        print("\n".join(f"{standins.apps[name].title}: {url}/" for name, url in standins.urls.items()))
    if state.settings.env == "development":
        # so that a resident's PDF appears without a separate `pkip worker`
        from runtime.demo_staff import create_demo_staff
        from runtime.worker import start_background_worker

        start_background_worker(state)
        print("\n".join(create_demo_staff(state.settings, state.database, state.catalogue)))
    if mail_line:
        print(mail_line)
    app.run(host=arguments.host, port=arguments.port, debug=False)
    return 0


def _worker(arguments: argparse.Namespace) -> int:
    import signal
    import threading

    from runtime.worker import run_forever, run_pending

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    state = create_app().extensions["pkip"]
    if arguments.once:
        report = run_pending(state)
        print(f"outbox: {len(report.done)} done, {len(report.failed)} failed (retried later)")
        return 0 if not report.failed else 1
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    run_forever(state, stop)
    return 0


def _database() -> Database:
    return Database(load_settings().database_url)


def _db_upgrade(_arguments: argparse.Namespace) -> int:
    database = _database()
    upgrade(database.engine)
    print(f"database schema at revision {current_revision(database.engine)}")
    return 0


def _db_current(_arguments: argparse.Namespace) -> int:
    database = _database()
    current, head = current_revision(database.engine), head_revision()
    state = "up to date" if current == head else f"outdated: run `pkip db upgrade` (newest is {head})"
    print(f"database schema at revision {current or 'none'} ({state})")
    return 0 if current == head else 1


def _sync(_arguments: argparse.Namespace) -> int:
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    check_catalogue(catalogue)
    database = open_database(settings)
    report = sync_service_versions(database, catalogue.services.values())
    cards = write_changed_cards(RuntimeState(settings=settings, database=database, catalogue=catalogue))
    for line in report.imported:
        print(f"imported {line}")
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(f"service versions: {report.summary()}")
    if cards.cards or cards.withdrawn:
        print(f"catalogue cards: {cards.cards} new or changed, {cards.withdrawn} withdrawn, written to the outbox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
