"""Browser sessions kept on the server (issue 16 finding 7): the cookie carries only a
random token (signed by the web layer, `runtime.sessionstore`), the `browser_sessions`
row its SHA-256, the session's data and when it ends. A copy of the database opens no
session; deleting the row ends it for real.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import bindparam, delete, select

from ..storage.database import Database
from ..storage.models import BrowserSession, PersonSession
from ..storage.references import dialect_insert

TOKEN_BYTES = 32
SIGNED_IN_KEY = "person"        # the session entry of the signed-in person (runtime.identity)

# Built once, and one read for two facts: every request with a session cookie loads the
# session, and every signed-in one also needs the person's sign-in generation
# (`cases.sessions`), found here through the code hash the session itself holds.
_SIGNED_IN_HASH = BrowserSession.data[(SIGNED_IN_KEY, "hash")].as_string()
_LOAD = select(BrowserSession.data, BrowserSession.expires_at,
               select(PersonSession.generation).where(PersonSession.person_code_hash == _SIGNED_IN_HASH)
               .scalar_subquery().label("generation")).where(BrowserSession.token_hash == bindparam("token_hash"))
# The same read in each driver's own SQL (`Database.first_row`: some 100 fewer calls a
# request than `_LOAD` through SQLAlchemy); test_server_sessions compares the two.
_LOAD_SQL = {
    "sqlite": "SELECT data, expires_at, (SELECT generation FROM person_sessions WHERE person_code_hash = "
              "CAST(JSON_EXTRACT(browser_sessions.data, '$.\"person\".\"hash\"') AS VARCHAR)) "
              "FROM browser_sessions WHERE token_hash = ?",
    "postgresql": "SELECT data, expires_at, (SELECT generation FROM person_sessions WHERE person_code_hash = "
                  "(browser_sessions.data #>> '{person,hash}')) FROM browser_sessions WHERE token_hash = %s",
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredSession:
    data: dict[str, Any]
    expires_at: datetime
    # {code hash: current sign-in generation} of the person the session names, read with it
    generations: dict[str, int] = field(default_factory=dict)


def load_session(database: Database, token: str, now: datetime) -> StoredSession | None:
    """The session's data, or None when there is none or it has ended."""
    sql = _LOAD_SQL.get(database.dialect)
    if sql is None:
        with database.read_only() as connection:
            found = connection.execute(_LOAD, {"token_hash": token_hash(token)}).first()
    else:
        found = _decoded(database.first_row(sql, (token_hash(token),)))
    if found is None:
        return None
    data, expires_at, generation = found
    expires_at = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=timezone.utc)
    if expires_at <= now or not isinstance(data, dict):
        return None
    signed_in = data.get(SIGNED_IN_KEY)
    code_hash = signed_in.get("hash") if isinstance(signed_in, dict) else None
    generations = {code_hash: generation or 0} if isinstance(code_hash, str) else {}
    return StoredSession(dict(data), expires_at, generations)


def _decoded(row: tuple | None) -> tuple | None:
    """What SQLAlchemy's types would make of a driver's row: SQLite hands back the JSON and
    the timestamp as text (psycopg decodes both itself)."""
    if row is None:
        return None
    data, expires_at, generation = row
    if isinstance(data, str):
        data = json.loads(data)
    if isinstance(expires_at, str):
        expires_at = datetime.fromisoformat(expires_at)
    return data, expires_at, generation


_SAVES: dict[str, Any] = {}


def _save_statement(dialect: str):
    """The session's upsert, built once per dialect with its values bound per call:
    building and compiling it afresh cost some 600 calls a write (start, submit)."""
    found = _SAVES.get(dialect)
    if found is None:
        insert = dialect_insert(dialect, BrowserSession)
        found = _SAVES[dialect] = insert.on_conflict_do_update(
            index_elements=["token_hash"], set_={"data": insert.excluded.data, "updated_at": insert.excluded.updated_at,
                                                 "expires_at": insert.excluded.expires_at})
    return found


def save_session(database: Database, token: str, data: dict[str, Any], *, now: datetime,
                 expires_at: datetime) -> None:
    """Write the session (one upsert)."""
    with database.single_write() as connection:
        connection.execute(_save_statement(database.dialect), {
            "token_hash": token_hash(token), "data": data, "created_at": now, "updated_at": now,
            "expires_at": expires_at})


def end_session(database: Database, token: str) -> None:
    with database.single_write() as connection:
        connection.execute(delete(BrowserSession).where(BrowserSession.token_hash == token_hash(token)))
