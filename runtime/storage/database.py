"""Engine and session handling for SQLite (default) and PostgreSQL (via psycopg).

No value an application stores reaches a log through a database error: SQLAlchemy is
told to leave the parameters out of its messages (`hide_parameters`), and a PostgreSQL
error keeps only its SQLSTATE and primary message, with quoted parts blanked
(`without_values`): its DETAIL and CONTEXT lines quote the data ("CONTEXT: JSON data,
line 1: {"surname": ...", "Key (x)=(...) already exists").

SQLite gets write-ahead logging (readers never block the writer), foreign keys (off by
default in SQLite) and a busy timeout (a second writer waits instead of failing).

A read, or a write that is one statement, needs no transaction of its own: on PostgreSQL
`read_only`, `single_write` and `first_row` run it in autocommit, which spares the BEGIN
and the COMMIT or ROLLBACK, two of a checkout's four round trips to the server (the
pool's pre-ping, BEGIN, the statement, the end). SQLite runs in the process: no round
trips to spare, so it keeps its ordinary connection there.

JSON is stored as UTF-8 text (`stored_json`), not with non-ASCII letters escaped: a
Latvian name or an institution's name takes half the bytes or less ("ā" is two bytes, not
the six of "\\u0101"). PostgreSQL keeps JSONB, where it makes no difference; migration
0023 rewrote SQLite's older rows alike, which the inbox's search relies on.
"""
from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import ContextManager, Iterator

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')


class Database:
    """One engine and its session factory; the app keeps one per process."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._autocommit = self.engine.dialect.name == "postgresql"
        self._held: ContextVar[_HeldReads | None] = ContextVar(f"pkip_held_reads_{id(self)}", default=None)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    def read_only(self) -> ContextManager[Connection]:
        """A plain connection for reads (nothing it writes is committed on SQLite)."""
        return _autocommitted(self.engine) if self._autocommit else self.engine.connect()

    def single_write(self) -> ContextManager[Connection]:
        """A plain connection for one write statement, committed when the block ends (on
        PostgreSQL as it runs: it is atomic by itself). Not for two writes that must stand
        or fall together: those take `transaction` or `engine.begin`."""
        return _autocommitted(self.engine) if self._autocommit else self.engine.begin()

    def first_row(self, sql: str, parameters: tuple) -> tuple | None:
        """One row of a read by the driver's own cursor, without SQLAlchemy's statement and
        result machinery (for the reads every request makes: `cases.browser_sessions`,
        `cases.drafts`). Within `hold_reads` the pooled connection is checked out once
        and kept for the scope's other reads. A failure reaches the caller as SQLAlchemy's
        would: wrapped in DBAPIError, without the parameters and, on PostgreSQL, without
        the values its message quotes; the connection is dropped from the pool rather than
        guessed healthy."""
        return self._on_driver(sql, parameters, _one_row)

    def write_row(self, sql: str, parameters: tuple) -> int:
        """One write statement by the driver's own cursor, committed as it ends (on
        PostgreSQL it runs in autocommit): the rows it changed (for the draft's save on
        every question page's post, `cases.drafts`). Failures as `first_row`'s."""
        return self._on_driver(sql, parameters, _committed_count)

    def _on_driver(self, sql: str, parameters: tuple, take):
        held = self._held.get()
        raw = held.connection if held is not None and held.connection is not None else self.engine.raw_connection()
        if held is not None:
            held.connection = raw
        try:
            with _in_autocommit(raw) if self._autocommit else nullcontext():
                return self._run(raw, sql, parameters, take)
        except BaseException:
            if held is not None:        # invalidated or in doubt: the scope's next statement checks out anew
                held.connection = None
                raw.close()
            raise
        finally:
            if held is None:
                raw.close()

    def _run(self, raw, sql: str, parameters: tuple, take):
        try:
            cursor = raw.cursor()
            cursor.execute(sql, parameters)
            found = take(raw, cursor, self._autocommit)
            cursor.close()
            return found
        except self.engine.dialect.loaded_dbapi.Error as error:
            raw.invalidate()
            blank_values(error)
            raise DBAPIError.instance(sql, None, error, self.engine.dialect.loaded_dbapi.Error,
                                      hide_parameters=True, dialect=self.engine.dialect) from error

    def hold_reads(self) -> None:
        """From now on in this context (a request: `runtime.sessionstore`), `first_row`'s
        reads and `write_row`'s writes share one pooled connection, checked out at the
        first of them, until `release_reads`. The session read and the draft read (and a
        post's draft save) of a request were two or three checkouts and returns
        (SQLAlchemy's pool events each time; on PostgreSQL a ping when the connection
        rested). Only single statements in autocommit or committed as
        they end (SQLite starts no transaction for a SELECT) share it: the connection holds
        no snapshot between them, so each sees what was committed before it."""
        self.release_reads()
        self._held.set(_HeldReads())

    def release_reads(self) -> None:
        held = self._held.get()
        if held is None:
            return
        self._held.set(None)
        if held.connection is not None:
            held.connection.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _one_row(_raw, cursor, _autocommit: bool) -> tuple | None:
    return cursor.fetchone()


def _committed_count(raw, cursor, autocommit: bool) -> int:
    count = cursor.rowcount
    if not autocommit:
        raw.commit()        # SQLite's driver began a transaction before the write
    return count


class _HeldReads:
    """The pooled connection `first_row` keeps within `hold_reads` (None until the first read)."""
    __slots__ = ("connection",)

    def __init__(self) -> None:
        self.connection = None


def stored_json(value: object) -> str:
    """A JSON column's text: SQLAlchemy's default (`json.dumps`) but in UTF-8, unescaped."""
    return json.dumps(value, ensure_ascii=False)


@contextmanager
def _autocommitted(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection, _in_autocommit(connection):
        yield connection


@contextmanager
def _in_autocommit(connection) -> Iterator[None]:
    """The psycopg connection under `connection` (SQLAlchemy's, or the pool's proxy) in
    autocommit for the block: set on the driver itself, as SQLAlchemy's isolation_level
    option costs about 100 Python calls a checkout (its events and resets)."""
    driver = connection.connection.driver_connection if isinstance(connection, Connection) else \
        connection.driver_connection
    driver.autocommit = True
    try:
        yield
    finally:
        if not driver.closed:       # an invalidated one is closed and leaves the pool
            driver.autocommit = False       # the pool's other users expect transactions


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               hide_parameters=True, json_serializer=stored_json)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    engine = create_engine(parsed, hide_parameters=True, json_serializer=stored_json)
    event.listen(engine, "handle_error", without_values)
    ping_rested_connections(engine)
    return engine


# A pooled connection is pinged before use only when it has rested in the pool longer than
# this: one handed back a moment ago is alive. Pinging every checkout (`pool_pre_ping`)
# was a round trip in front of every read and write: 38 of a whole application's 85. The
# price: a server restarted within this time of a connection's last use fails the one
# statement that meets the dead connection (SQLAlchemy then replaces all the pool's
# connections older than the failure), as a statement in flight at the restart fails anyway.
PING_AFTER_RESTING_SECONDS = 1.0
_RETURNED_AT = "pkip_returned_at"


def ping_rested_connections(engine: Engine) -> None:
    """Ping a connection at checkout if it rested longer than PING_AFTER_RESTING_SECONDS;
    a dead one is replaced by a new connection (the pool's `DisconnectionError` retry)."""
    def returned(_dbapi_connection, record, *_proxy) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    def checked_out(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get(_RETURNED_AT, 0.0) <= PING_AFTER_RESTING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the pooled connection did not answer its ping") from error

    event.listen(engine.pool, "connect", returned)      # a new connection is fresh
    event.listen(engine.pool, "checkin", returned)
    event.listen(engine.pool, "checkout", checked_out)


def without_values(context) -> None:
    """Cut a PostgreSQL error's message down to what names the problem, not the data."""
    error = context.original_exception
    full = blank_values(error)
    wrapped = context.sqlalchemy_exception     # its message was made from the full text
    if full is not None and wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
        wrapped.args = (wrapped.args[0].replace(full, str(error)), *wrapped.args[1:])


def blank_values(error: BaseException) -> str | None:
    """A PostgreSQL error's message cut to its SQLSTATE and primary message, quoted parts
    blanked; the full message it had, or None when it is no PostgreSQL error."""
    diagnosis = getattr(error, "diag", None)
    primary = getattr(diagnosis, "message_primary", None)
    if primary is None:
        return None
    full, blanked = str(error), QUOTED.sub('"…"', primary)
    error.args = (f"{diagnosis.sqlstate or ''} {blanked}".strip(),)
    return full


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if _is_file_database(dbapi_connection):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _is_file_database(dbapi_connection) -> bool:
    # An in-memory database has no file name and cannot use WAL.
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return any(row[1] == "main" and row[2] for row in rows)
