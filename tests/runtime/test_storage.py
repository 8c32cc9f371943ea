"""Migrations, schema checks and the storage rules, on SQLite and on PostgreSQL."""
from __future__ import annotations

import time
import uuid
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app import create_app
from runtime.storage import database as database_module
from runtime.storage.database import Database
from runtime.storage.migrate import (
    SchemaOutdatedError, current_revision, head_revision, require_current_schema, upgrade,
)
from runtime.storage.models import Base, Draft, ImmutableRowError, PersonSession, ServiceVersion, Submission

from .fakes import sample_catalogue

TABLES = {"service_versions", "drafts", "submissions", "case_sequences", "uploads", "outbox", "audit_log"}


@pytest.fixture
def database(database_url):
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def upgraded(database):
    upgrade(database.engine)
    return database


def test_upgrade_creates_every_table_on_an_empty_database(database):
    assert current_revision(database.engine) is None
    upgrade(database.engine)
    assert current_revision(database.engine) == head_revision()
    assert TABLES <= set(inspect(database.engine).get_table_names())


# Expression indexes (migration 0020) are not declared on the models: autogenerate cannot
# compare expressions; tests/runtime/staff/test_inbox_indexes.py checks them.
EXPRESSION_INDEXES = {"ix_submissions_inbox_order", "ix_submissions_reference_prefix"}


def _declared(object_, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def test_migrations_and_models_describe_the_same_schema(upgraded):
    with upgraded.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _declared})
        assert compare_metadata(context, Base.metadata) == []


def test_outdated_schema_is_refused_with_what_to_do(database):
    with pytest.raises(SchemaOutdatedError, match=r"run `pkip db upgrade`"):
        require_current_schema(database.engine, auto_upgrade=False)


def test_app_refuses_to_start_on_an_outdated_schema(app_config):
    app_config["auto_upgrade"] = False
    with pytest.raises(SchemaOutdatedError, match="none \\(empty database\\)"):
        create_app(app_config, catalogue=sample_catalogue())


def test_app_upgrades_when_told_to(app_config):
    app = create_app(app_config, catalogue=sample_catalogue())
    database = app.extensions["pkip"].database
    assert current_revision(database.engine) == head_revision()
    database.dispose()


def service_version(source_hash: str = "a" * 64) -> ServiceVersion:
    return ServiceVersion(service_id="dog-fee", version="1.0.0", source_hash=source_hash, source_text="x")


def test_database_itself_refuses_to_change_a_service_version(upgraded):
    with upgraded.transaction() as session:
        session.add(service_version())
    for statement in ("UPDATE service_versions SET source_text = 'changed'", "DELETE FROM service_versions"):
        with pytest.raises(DBAPIError, match="immutable"):
            with upgraded.engine.begin() as connection:
                connection.execute(text(statement))
    with upgraded.engine.connect() as connection:
        assert connection.execute(text("SELECT source_text FROM service_versions")).scalar_one() == "x"


def test_orm_refuses_to_change_a_service_version(upgraded):
    with upgraded.transaction() as session:
        session.add(service_version())
    with pytest.raises(ImmutableRowError):
        with upgraded.transaction() as session:
            session.query(ServiceVersion).one().source_text = "changed"


def test_the_same_source_twice_for_one_service_is_refused(upgraded):
    with upgraded.transaction() as session:
        session.add(service_version())
    with pytest.raises(IntegrityError):
        with upgraded.transaction() as session:
            session.add(service_version())


def test_foreign_keys_are_enforced(upgraded):
    draft = Draft(municipality_id="riga", service_version_id=999, answers={}, resume_token_hash="t" * 64)
    with pytest.raises(IntegrityError):
        with upgraded.transaction() as session:
            session.add(draft)


def test_money_keeps_exact_cents_and_json_round_trips(upgraded):
    with upgraded.transaction() as session:
        version = service_version()
        session.add(version)
        session.flush()
        session.add(Submission(
            reference="RIX-SUN-2026-000001", municipality_id="riga", service_version_id=version.id,
            answers={"owner": {"name": "Jānis"}, "dogs": [{"chip": "123"}]},
            fee_total=Decimal("10.10"), status="submitted", locale="lv",
        ))
        session.add(Draft(municipality_id="riga", service_version_id=version.id,
                          answers={"a": 1}, resume_token_hash="r" * 64))
    with upgraded.sessions() as session:
        stored = session.query(Submission).one()
        assert stored.fee_total == Decimal("10.10")
        assert isinstance(stored.fee_total, Decimal)
        assert stored.answers["owner"]["name"] == "Jānis"
        assert isinstance(session.query(Draft).one().id, uuid.UUID)


def test_sqlite_uses_write_ahead_logging_and_foreign_keys(tmp_path):
    # SQLite only: these are SQLite settings (PostgreSQL always has both).
    database = Database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    database.dispose()


def test_single_statements_commit_and_leave_the_pool_in_transactions(upgraded):
    """`single_write` commits its one statement, `read_only` and `first_row` see it, and
    a connection back in the pool runs transactions again (autocommit only while checked
    out for one statement, on PostgreSQL), so a rolled-back transaction still undoes."""
    with upgraded.single_write() as connection:
        connection.execute(PersonSession.__table__.insert(), {"person_code_hash": "a" * 64, "generation": 3})
    with upgraded.read_only() as connection:
        assert connection.execute(text("SELECT generation FROM person_sessions")).scalar_one() == 3
    assert upgraded.first_row("SELECT COUNT(*) FROM person_sessions", ()) == (1,)
    with pytest.raises(RuntimeError), upgraded.engine.begin() as connection:
        connection.execute(PersonSession.__table__.delete())
        raise RuntimeError("undo")
    with upgraded.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM person_sessions")).scalar_one() == 1
        assert not getattr(connection.connection.driver_connection, "autocommit", False)


def _backend_pid(database: Database) -> int:
    with database.read_only() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(database: Database, pid: int) -> None:
    """End the server process behind `pid` from another connection, as a restart would."""
    admin = Database(database.engine.url.render_as_string(hide_password=False))
    try:
        with admin.read_only() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(100):
                if not connection.execute(text("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :pid"),
                                          {"pid": pid}).scalar_one():
                    return
                time.sleep(0.05)
    finally:
        admin.dispose()


@pytest.mark.parametrize("rested", [True, False])
def test_a_connection_is_pinged_only_after_resting_in_the_pool(database, monkeypatch, rested):
    """A connection that rested longer than PING_AFTER_RESTING_SECONDS is pinged at
    checkout and, dead, replaced unseen; one handed back a moment ago is not pinged: the
    one statement that meets it dead fails, and the next gets a new connection."""
    if database.dialect != "postgresql":
        pytest.skip("SQLite runs in the process: no server to lose, no ping")
    monkeypatch.setattr(database_module, "PING_AFTER_RESTING_SECONDS", 0.0 if rested else 3600.0)
    first = _backend_pid(database)
    _terminate(database, first)
    if not rested:
        with pytest.raises(DBAPIError):
            _backend_pid(database)
    assert _backend_pid(database) != first
