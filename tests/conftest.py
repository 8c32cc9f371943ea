"""Shared fixtures: `database_url` runs a test once on SQLite and once on a fresh
PostgreSQL database (created and dropped around the test).

PostgreSQL comes from PKIP_TEST_POSTGRES_URL (default: the local server's `postgres`
database). When it is unreachable the PostgreSQL variants fail if CI is set (CI must
prove both backends) and are skipped with the reason otherwise.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from typing import Iterator

import psycopg
import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# No time limit per generated example: the machine is shared, and speed is measured in the
# bench as ratios, never by a timed test (a 200 ms deadline failed under load).
settings.register_profile("pkip", deadline=None)
settings.load_profile("pkip")


def _admin_connection(admin_url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL at {make_url(admin_url).render_as_string()} is unreachable: {error}"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so the PostgreSQL variants must run)")
        pytest.skip(reason)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database's SQLAlchemy URL, dropped afterwards."""
    admin_url = os.environ.get("PKIP_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    name = f"pkip_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection(admin_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with _admin_connection(admin_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    with postgres_database() as url:
        yield url
