"""The replay cache of sign-in assertions: `first_use` records an assertion and says
whether it was new. One `INSERT ... ON CONFLICT DO NOTHING RETURNING`, so two app processes that
receive the same assertion at once cannot both accept it; expired rows are purged on the
way, so the table holds at most an assertion lifetime's worth of sign-ins.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from .database import Database
from .models import UsedAssertion
from .references import dialect_insert


def first_use(database: Database, issuer: str, assertion_id: str, expires_at: datetime, now: datetime) -> bool:
    with database.transaction() as session:
        session.execute(delete(UsedAssertion).where(UsedAssertion.expires_at < now))
        statement = dialect_insert(database.dialect, UsedAssertion).values(
            issuer=issuer[:200], assertion_id=assertion_id[:200], expires_at=expires_at,
        ).on_conflict_do_nothing(index_elements=["issuer", "assertion_id"]).returning(UsedAssertion.assertion_id)
        # RETURNING, not rowcount: psycopg's rowcount is not reliable for this statement
        return session.execute(statement).scalar_one_or_none() is not None
