"""Schema migrations with Alembic, driven from code (no alembic.ini to keep in step).

`upgrade` brings a database to the newest revision; `schema_status` tells the app at
start-up whether the database matches the code, so it can refuse to run on an outdated
schema instead of failing later on a missing column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class SchemaOutdatedError(Exception):
    """The database's schema is not the one this code was written for."""


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # env.py takes the engine from here, so migrations run on exactly the app's engine.
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    if len(heads) != 1:
        raise SchemaOutdatedError(f"the migrations have {len(heads)} heads; merge them first")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_status(engine: Engine) -> SchemaStatus:
    return SchemaStatus(current=current_revision(engine), head=head_revision())


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def require_current_schema(engine: Engine, auto_upgrade: bool) -> None:
    """Upgrade when allowed; otherwise refuse an outdated schema with what to do."""
    status = schema_status(engine)
    if status.is_current:
        return
    if auto_upgrade:
        upgrade(engine)
        return
    raise SchemaOutdatedError(
        f"the database schema is at revision {status.current or 'none (empty database)'} "
        f"but this version of pkip needs {status.head}: run `pkip db upgrade` "
        "(or set PKIP_AUTO_UPGRADE=1)"
    )
