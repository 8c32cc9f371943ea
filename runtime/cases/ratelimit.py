"""Rate limits per client (OWASP ASVS 11.1.4): how many sign-ins, submissions, resume links
and uploaded files or bytes one client may send in a time window.

Counters live in the database (`rate_counters`), so every gunicorn worker and every
app server counts together. A window is fixed (`now // seconds`); its counter is one
row that a single upsert raises and reads back, so two processes never both see room
for one last request. The key is a keyed hash of kind, client and window: the table
holds no address and no personal code, and a row is worthless once its window passed
(`forget_expired` drops it).

    verdict = take(database, kind="signin", client="ip:192.0.2.1", limit=Limit(30, 900),
                   now=clock.now(), secret=key)
    if not verdict.allowed: ...   # a 429 with Retry-After: verdict.retry_after
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, update

from ..storage.database import Database
from ..storage.models import RateCounter
from ..storage.references import dialect_insert


@dataclass(frozen=True)
class Limit:
    """At most `count` (requests, files or bytes) per `seconds`."""
    count: int
    seconds: int

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds < 1:
            raise ValueError("a limit needs a count and a window of at least 1")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int     # seconds until the window ends (for the Retry-After header)


def window_of(now: datetime, seconds: int) -> tuple[int, datetime]:
    """The window's number and the moment it ends."""
    epoch = int(now.astimezone(timezone.utc).timestamp())
    number = epoch // seconds
    return number, datetime.fromtimestamp((number + 1) * seconds, timezone.utc)


def counter_key(secret: str, kind: str, client: str, window: int) -> str:
    message = f"{kind}\x1f{client}\x1f{window}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def take(database: Database, *, kind: str, client: str, limit: Limit, now: datetime, secret: str,
         amount: int = 1, refund_when_refused: bool = False) -> Verdict:
    """Count `amount` for `client` and say whether it stays within `limit`. A refused
    request still counts (an attacker who goes on does not get room back), unless
    `refund_when_refused` (bytes of a file that was refused: it is not stored)."""
    window, ends = window_of(now, limit.seconds)
    key = counter_key(secret, kind, client, window)
    statement = dialect_insert(database.dialect, RateCounter).values(key_hash=key, count=amount, expires_at=ends)
    statement = statement.on_conflict_do_update(
        index_elements=["key_hash"], set_={"count": RateCounter.count + amount},
    ).returning(RateCounter.count)
    with database.transaction() as session:
        counted = session.execute(statement).scalar_one()
        allowed = counted <= limit.count
        if not allowed and refund_when_refused:
            session.execute(update(RateCounter).where(RateCounter.key_hash == key)
                            .values(count=RateCounter.count - amount).execution_options(synchronize_session=False))
    retry_after = max(1, int((ends - now).total_seconds() + 0.999))
    return Verdict(allowed, 0 if allowed else retry_after)


def forget_expired(database: Database, now: datetime) -> int:
    """Drop the counters of windows that have ended; how many."""
    statement = delete(RateCounter).where(RateCounter.expires_at <= now).execution_options(synchronize_session=False)
    with database.transaction() as session:
        return session.execute(statement).rowcount
