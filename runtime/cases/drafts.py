"""Drafts in the database: created by "Start now", saved on every page, consumed by the
submission.

A resume link carries a random token; only its SHA-256 is stored (`resume_token_hash`),
so a copy of the database does not give anyone a way into a draft. A token works once
(`rotate_resume_token`) and for a limited time from when it was made
(`resume_token_issued_at`; drafts from before that column count from their creation). Saving and consuming
are single conditional statements: a draft that was submitted (deleted) meanwhile is
reported, never silently recreated.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from ..storage.database import Database, stored_json
from ..storage.models import Draft, ServiceVersion, utc_now
from .access import Party

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Built once and run on a plain connection: an ORM session's unit of work (flush, commit)
# was most of what "Start now" cost, and building a `Draft` instance only to read its
# values back some hundred calls more. Every column is given (the new draft's own values
# named, the rest None), as the insert of such an instance gave them.
_CREATED = tuple(column.key for column in Draft.__table__.columns)
_CREATE = insert(Draft.__table__)


def create_draft(database: Database, *, municipality_id: str, version_id: int, first_page: str | None,
                 person_code_hash: str | None, acting_for: Party | None = None) -> tuple["DraftRow", str]:
    """A new empty draft (its columns as a request reads them, `DraftRow`) and its resume
    token (shown once, never stored); `acting_for` is whom the signed-in person fills it
    for (None: themselves)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utc_now()
    values = dict.fromkeys(_CREATED)
    values.update(id=uuid.uuid4(), municipality_id=municipality_id, service_version_id=version_id, answers={},
                  current_page=first_page, person_code_hash=person_code_hash,
                  subject_kind=acting_for.kind if acting_for else None,
                  subject_hash=acting_for.hash if acting_for else None,
                  resume_token_hash=token_hash(token), resume_token_issued_at=now, created_at=now, updated_at=now)
    with database.single_write() as connection:
        connection.execute(_CREATE, values)
    return DraftRow([values[name] for name in DraftRow.__slots__]), token


def parse_draft_id(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


# What a request reads of a draft and its version: not the resume token's hash nor the
# timestamps, and above all not the version's source text (the whole YAML definition).
# One Core select of these columns, without building ORM objects (about 0.15 ms less).
DRAFT_COLUMNS = (Draft.id, Draft.municipality_id, Draft.service_version_id, Draft.answers,
                 Draft.current_page, Draft.person_code_hash, Draft.subject_kind, Draft.subject_hash)
VERSION_COLUMNS = (ServiceVersion.id, ServiceVersion.service_id, ServiceVersion.version,
                   ServiceVersion.source_hash)
# Built once, with the draft id a bound parameter: executing the same statement object
# skips SQLAlchemy's adapting a cached result to a new statement's columns.
_DRAFT_SELECT = (select(*DRAFT_COLUMNS, *VERSION_COLUMNS)
                 .join_from(Draft, ServiceVersion, Draft.service_version_id == ServiceVersion.id)
                 .where(Draft.id == bindparam("draft_id")))


class DraftRow:
    """The columns of a draft that a request uses."""
    __slots__ = ("id", "municipality_id", "service_version_id", "answers", "current_page", "person_code_hash",
                 "subject_kind", "subject_hash")

    def __init__(self, values) -> None:
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)


class VersionRow:
    """The columns of a service version that a request uses; `source_text` only when it
    was read (reading it otherwise raises AttributeError)."""
    __slots__ = ("id", "service_id", "version", "source_hash", "source_text")

    def __init__(self, values) -> None:
        for name, value in zip(self.__slots__[:4], values):
            setattr(self, name, value)


# The same read in each driver's own SQL, on the driver's cursor (`Database.first_row`):
# every request on a draft makes it, and SQLAlchemy's statement and result machinery
# was most of its time (about 0.3 ms of a 2.4 ms question page inside a request, 90
# calls). test_draft_read compares it with `_DRAFT_SELECT` for every shipped service.
_DRAFT_SQL = ("SELECT drafts.id, drafts.municipality_id, drafts.service_version_id, drafts.answers, "
              "drafts.current_page, drafts.person_code_hash, drafts.subject_kind, drafts.subject_hash, "
              "service_versions.id, service_versions.service_id, service_versions.version, "
              "service_versions.source_hash FROM drafts JOIN service_versions "
              "ON drafts.service_version_id = service_versions.id WHERE drafts.id = ")
_DRAFT_SQL_OF = {"sqlite": _DRAFT_SQL + "?", "postgresql": _DRAFT_SQL + "%s"}


def load_draft(database: Database, draft_id: uuid.UUID,
               source_text_needed: Callable[[VersionRow], bool] = lambda version: False,
               ) -> tuple[DraftRow, VersionRow] | None:
    """The draft and its service version, with only the columns a request uses. The
    version's `source_text` is read only when `source_text_needed(version)` says so (a
    version the process has not compiled yet)."""
    sql = _DRAFT_SQL_OF.get(database.dialect)
    if sql is None:
        with database.read_only() as connection:
            row = connection.execute(_DRAFT_SELECT, {"draft_id": draft_id}).first()
    else:
        row = _decoded(database.first_row(sql, (draft_id.hex if database.dialect == "sqlite" else draft_id,)))
    if row is None:
        return None
    split = len(DRAFT_COLUMNS)
    draft, version = DraftRow(row[:split]), VersionRow(row[split:])
    if source_text_needed(version):
        with database.read_only() as connection:
            version.source_text = connection.execute(
                select(ServiceVersion.source_text).where(ServiceVersion.id == version.id)).scalar_one()
    return draft, version


def _decoded(row: tuple | None) -> tuple | None:
    """What SQLAlchemy's types make of a driver's row: SQLite hands back the id as 32 hex
    digits (SQLAlchemy's `Uuid` there) and the answers as JSON text; psycopg decodes both."""
    if row is None or not isinstance(row[0], str):
        return row
    answers = row[3]
    return (uuid.UUID(row[0]), *row[1:3], json.loads(answers) if isinstance(answers, str) else answers, *row[4:])


@dataclass(frozen=True)
class ResumeLookup:
    draft_id: uuid.UUID | None     # None: no draft has this token
    expired: bool = False


def find_resume_token(database: Database, token: str, *, now: datetime, valid_for: timedelta) -> ResumeLookup:
    """The draft whose resume token `token` is, and whether the token is past `valid_for`."""
    with database.sessions() as session:
        found = session.execute(select(Draft.id, Draft.resume_token_issued_at, Draft.created_at)
                                .where(Draft.resume_token_hash == token_hash(token))).first()
    if found is None:
        return ResumeLookup(None)
    issued = found.resume_token_issued_at or found.created_at
    issued = issued if issued.tzinfo else issued.replace(tzinfo=timezone.utc)    # SQLite gives UTC without a zone
    return ResumeLookup(found.id, expired=now >= issued + valid_for)


def rotate_resume_token(database: Database, draft_id: uuid.UUID, used_token: str) -> str | None:
    """Replace the draft's resume token, if it still is `used_token`, by a new one (the
    new token, else None): a resume link opens its draft once; the "saved" page then
    shows the new link. One conditional statement, so two uses of one link cannot both win."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    statement = (update(Draft).where(Draft.id == draft_id, Draft.resume_token_hash == token_hash(used_token))
                 .values(resume_token_hash=token_hash(token), resume_token_issued_at=utc_now())
                 .execution_options(synchronize_session=False))
    with database.transaction() as session:
        return token if session.execute(statement).rowcount == 1 else None


_DRAFTS = Draft.__table__
# Built once and run on a plain connection: no ORM session nor ORM update machinery on
# every page.
_SAVE = (update(_DRAFTS).where(_DRAFTS.c.id == bindparam("draft_id"))
         .values(answers=bindparam("new_answers", type_=_DRAFTS.c.answers.type),
                 current_page=bindparam("new_current_page", type_=_DRAFTS.c.current_page.type),
                 updated_at=bindparam("new_updated_at", type_=_DRAFTS.c.updated_at.type)))


# The same update in each driver's SQL with its values as SQLAlchemy's types would bind
# them (`Database.write_row`: some 90 calls and a checkout fewer a saving post);
# test_draft_read compares the rows both leave, byte for byte.
_SAVE_SQL_OF = {"sqlite": "UPDATE drafts SET answers = ?, current_page = ?, updated_at = ? WHERE drafts.id = ?",
                "postgresql": "UPDATE drafts SET answers = %s, current_page = %s, updated_at = %s WHERE drafts.id = %s"}
SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"      # SQLAlchemy's DATETIME storage format on SQLite


def save_draft(database: Database, draft_id: uuid.UUID, answers: dict[str, Any], current_page: str | None) -> bool:
    """Store the answers; False when the draft no longer exists (it was submitted)."""
    now = utc_now()
    sql = _SAVE_SQL_OF.get(database.dialect)
    if sql is None:
        with database.single_write() as connection:
            return connection.execute(_SAVE, {"draft_id": draft_id, "new_answers": answers,
                                              "new_current_page": current_page, "new_updated_at": now}).rowcount == 1
    if database.dialect == "sqlite":        # UTC, stored without its zone as SQLAlchemy does
        parameters = (stored_json(answers), current_page, now.strftime(SQLITE_TIMESTAMP), draft_id.hex)
    else:
        from psycopg.types.json import Jsonb
        parameters = (Jsonb(answers, dumps=stored_json), current_page, now, draft_id)
    return database.write_row(sql, parameters) == 1


def claim_drafts(database: Database, draft_ids: list[Any], person_code_hash: str,
                 acting_for: Party | None = None) -> int:
    """Drafts this browser started before its resident signed in become that person's,
    filled for whom they act for (listed in "my applications" under that party); a draft
    someone already owns is left alone."""
    ids = [found for found in (parse_draft_id(value) for value in draft_ids) if found is not None]
    if not ids:
        return 0
    statement = (update(Draft).where(Draft.id.in_(ids), Draft.person_code_hash.is_(None))
                 .values(person_code_hash=person_code_hash, subject_kind=acting_for.kind if acting_for else None,
                         subject_hash=acting_for.hash if acting_for else None)
                 .execution_options(synchronize_session=False))
    with database.transaction() as session:
        return session.execute(statement).rowcount


# Built once: every submission runs it first.
_CONSUME = delete(Draft.__table__).where(Draft.__table__.c.id == bindparam("draft_id"))


def consume_draft(session: Session, draft_id: uuid.UUID) -> bool:
    """Delete the draft in the submitting transaction; False if another request did it
    first (the row lock on PostgreSQL, the write lock on SQLite, make this the decider)."""
    return session.execute(_CONSUME, {"draft_id": draft_id}).rowcount == 1
