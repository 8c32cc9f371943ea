"""The replay cache of sign-in assertions on SQLite and PostgreSQL: an assertion is
accepted once, per issuer, and rows past their expiry are purged."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from runtime.storage.database import Database
from runtime.storage.migrate import upgrade
from runtime.storage.models import UsedAssertion
from runtime.storage.replay import first_use


def test_an_assertion_is_accepted_once_and_expired_rows_are_purged(database_url):
    database = Database(database_url)
    upgrade(database.engine)
    now = datetime.now(timezone.utc)
    later = now + timedelta(minutes=5)
    assert first_use(database, "urn:idp", "_a1", later, now)
    assert not first_use(database, "urn:idp", "_a1", later, now)
    assert first_use(database, "urn:another-idp", "_a1", later, now)     # ids are per issuer
    assert first_use(database, "urn:idp", "_a2", later, now + timedelta(minutes=10))   # purges the rest
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(UsedAssertion)) == 1
    database.dispose()
