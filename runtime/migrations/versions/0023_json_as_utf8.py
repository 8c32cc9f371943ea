"""JSON stored as UTF-8 text on SQLite: the rows written before `storage.database.stored_json`
kept non-ASCII letters escaped ("B\\u0113rzi\\u0146\\u0161"); each such value is read and
written again unescaped, the same document (same keys in the same order, same values),
about a third fewer bytes for a Latvian case. The staff inbox's search on SQLite matches
the stored text, so it finds old and new cases alike only once every row is rewritten.
PostgreSQL keeps JSONB, whose storage has no escapes: nothing to do there. Rows are read
a batch at a time by rowid, so a year of cases does not sit in memory at once.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# every JSON column at this revision: (table, column)
JSON_COLUMNS = (("drafts", "answers"), ("browser_sessions", "data"), ("submissions", "answers"),
                ("submissions", "fees"), ("submissions", "institution"), ("outbox", "payload"),
                ("audit_log", "details"), ("queue_entries", "order_keys"), ("api_tokens", "scopes"),
                ("webhook_endpoints", "events"))
BATCH = 500


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for table, column in JSON_COLUMNS:
        _rewrite(connection, table, column, escaped=False)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for table, column in JSON_COLUMNS:
        _rewrite(connection, table, column, escaped=True)


def _rewrite(connection: sa.Connection, table: str, column: str, escaped: bool) -> None:
    """Every value of `table.column` that holds an escape (or, going down, a non-ASCII
    letter) written again as UTF-8 text (or escaped)."""
    # names from JSON_COLUMNS above, never from input
    needs = f"{column} GLOB '*[^ -~]*'" if escaped else f"instr({column}, '\\u') > 0"
    found = sa.text(f"SELECT rowid, {column} FROM {table} WHERE rowid > :after AND {needs} ORDER BY rowid LIMIT {BATCH}")
    update = sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :row")
    after = 0
    while rows := connection.execute(found, {"after": after}).all():
        connection.execute(update, [{"row": row, "value": json.dumps(json.loads(value), ensure_ascii=escaped)}
                                    for row, value in rows])
        after = rows[-1][0]
