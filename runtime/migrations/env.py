"""Alembic environment: migrations run on the engine `runtime.storage.migrate` passes in
(the app's own), never on a URL from a separate ini file."""
from __future__ import annotations

from alembic import context

from runtime.storage.models import Base

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        raise RuntimeError("run migrations through `pkip db upgrade`, not the alembic command")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            # SQLite cannot ALTER most things; batch mode copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
