"""Ending a person's sessions everywhere.

Session cookies are signed, not stored, so a copy of one would stay valid until it
expires. Each person therefore has a sign-in generation in the database: sign-in writes
the current generation into the session, every request that finds a signed-in person
compares it (one primary-key read), and sign-out raises it. A cookie saved before the
sign-out, on this or any other device, no longer names anyone. A staff password change
calls `end_sessions` the same way.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select

from ..storage.database import Database
from ..storage.models import PersonSession
from ..storage.references import dialect_insert


# Built once: every signed-in request runs it, and building a select costs more than the
# primary-key read itself.
_GENERATION = select(PersonSession.generation).where(PersonSession.person_code_hash == bindparam("code_hash"))


def current_generation(database: Database, person_code_hash: str) -> int:
    """The generation a session of this person must carry (0 before any sign-out)."""
    with database.read_only() as connection:
        found = connection.execute(_GENERATION, {"code_hash": person_code_hash}).scalar_one_or_none()
    return found or 0


def end_sessions(database: Database, person_code_hash: str, now: datetime) -> int:
    """Raise the person's generation in one statement; the new generation."""
    statement = dialect_insert(database.dialect, PersonSession).values(
        person_code_hash=person_code_hash, generation=1, ended_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["person_code_hash"],
        set_={"generation": PersonSession.generation + 1, "ended_at": now},
    ).returning(PersonSession.generation)
    with database.transaction() as session:
        return session.execute(statement).scalar_one()
