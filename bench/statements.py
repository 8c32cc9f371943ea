"""What a whole application asks of the database, on each side and each database: the
statements sent (SQL through SQLAlchemy and through a driver's own cursor alike; on
PostgreSQL also the transactions' BEGIN, COMMIT and ROLLBACK and the pool's pre-ping
";", each of them one round trip to the server). Counted, not timed: the
same on a busy machine. Both apps in this process over `httpx.WSGITransport`, driven by
`bench.client.complete` (sign-in once, 3 applications to warm, then `--count` counted).

    python -m bench.statements [--count 3] [--database sqlite|postgresql|both]
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import httpx

from . import client
from .servers import postgres_available, postgres_database

BASE = "http://localhost"
WARM = 3


class Counter:
    """Statements by their first words, while `on`."""

    def __init__(self) -> None:
        self.on = False
        self.statements: collections.Counter[str] = collections.Counter()

    def statement(self, sql: str) -> None:
        if self.on:
            self.statements[_kind(sql)] += 1


COUNTER = Counter()


def _kind(sql: str) -> str:
    words = re.sub(r"\s+", " ", sql.strip()).split(" ")
    head = " ".join(words[:3]) if words[0].upper() in ("INSERT", "DELETE") else " ".join(words[:1])
    if words[0].upper() == "UPDATE" or words[0].upper() == "SELECT":
        found = re.search(r"\b(?:FROM|UPDATE)\s+(\w+)", sql, re.I)
        head = f"{words[0].upper()} {found.group(1) if found else ''}".strip()
    return head.upper()


def _listen() -> None:
    """Count at the drivers: psycopg's cursor and commands; sqlite3 through SQLAlchemy's
    events plus the runtime's own cursor (`Database.first_row`, `write_row`)."""
    import psycopg
    from psycopg import _connection_base
    from sqlalchemy import Engine, event

    from runtime.storage.database import Database

    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany
    command = _connection_base.BaseConnection._exec_command

    def counted_execute(self, query, params=None, **kwargs):
        COUNTER.statement(str(query))
        return execute(self, query, params, **kwargs)

    def counted_executemany(self, query, params_seq, **kwargs):
        COUNTER.statement(str(query))          # one pipeline: one round trip
        return executemany(self, query, params_seq, **kwargs)

    def counted_command(self, sql, *args, **kwargs):
        COUNTER.statement(sql.decode() if isinstance(sql, bytes) else str(sql))
        return command(self, sql, *args, **kwargs)

    psycopg.Cursor.execute, psycopg.Cursor.executemany = counted_execute, counted_executemany
    _connection_base.BaseConnection._exec_command = counted_command

    @event.listens_for(Engine, "before_cursor_execute")
    def _sqlite(connection, cursor, statement, parameters, context, executemany):
        if connection.dialect.name == "sqlite":
            COUNTER.statement(statement)

    on_driver = Database._on_driver      # first_row's reads and write_row's writes

    def counted_on_driver(self, sql, parameters, take):
        if self.dialect == "sqlite":
            COUNTER.statement(sql)
        return on_driver(self, sql, parameters, take)
    Database._on_driver = counted_on_driver


def flask_apps(folder: Path, database_urls: dict[str, str | None]) -> dict:
    """The two apps, on the given databases (None: SQLite files under `folder`)."""
    from app import create_app
    from bench.handwritten.storage import create_tables
    (folder / "handwritten").mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_HW_INSTANCE"] = str(folder / "handwritten")
    twin_url = database_urls["handwritten"] or f"sqlite:///{folder / 'handwritten' / 'handwritten.sqlite3'}"
    os.environ["BENCH_HW_DATABASE_URL"] = twin_url
    create_tables(twin_url.replace("postgresql://", "postgresql+psycopg://", 1))
    from bench.handwritten.app import create_app as create_handwritten
    settings = {"instance_path": str(folder / "runtime"), "env": "development", "dev_signin": True,
                "secret_key": "b" * 40, "auto_upgrade": True, "rate_limits": "off"}
    if database_urls["runtime"]:
        settings["database_url"] = database_urls["runtime"]
    return {"runtime": create_app(settings), "handwritten": create_handwritten()}


def count(app, applications: int) -> collections.Counter:
    """Statements by kind over `applications` whole applications."""
    browser = client.signed_in_client(BASE, transport=httpx.WSGITransport(app=app))
    for _ in range(WARM):
        client.complete(browser)
    COUNTER.statements.clear()
    COUNTER.on = True
    try:
        for _ in range(applications):
            client.complete(browser)
    finally:
        COUNTER.on = False
    return COUNTER.statements.copy()


@contextlib.contextmanager
def databases(kind: str) -> Iterator[dict[str, str | None]]:
    if kind == "sqlite":
        yield {"runtime": None, "handwritten": None}
        return
    with postgres_database("stmt_rt") as runtime, postgres_database("stmt_hw") as twin:
        yield {"runtime": runtime.replace("postgresql://", "postgresql+psycopg://", 1), "handwritten": twin}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.statements")
    parser.add_argument("--count", type=int, default=3, help="applications counted (after 3 to warm)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args(argv)
    _listen()
    kinds = ("sqlite", "postgresql") if arguments.database == "both" else (arguments.database,)
    for kind in kinds:
        if kind == "postgresql" and not postgres_available():
            print("postgresql: not available")
            continue
        with tempfile.TemporaryDirectory(prefix="pkip-bench-statements-") as tmp, databases(kind) as urls:
            for side, app in flask_apps(Path(tmp), urls).items():
                statements = count(app, arguments.count)
                per = arguments.count
                print(f"{kind} {side}: {sum(statements.values()) / per:.1f} statements per application")
                for name, times in statements.most_common():
                    print(f"    {times / per:6.1f}  {name}")
                app_engine_dispose(app)
    return 0


def app_engine_dispose(app) -> None:
    """Close the pool's connections, so that the database can be dropped."""
    pkip = app.extensions.get("pkip")
    engine = pkip.database.engine if pkip is not None else app.extensions["hw_sessions"].kw["bind"]
    engine.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
