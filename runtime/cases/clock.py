"""The clock a use case reads: now in UTC, and today's date in Latvia (where deadlines and
ages are counted). Tests and the `PKIP_TODAY` setting fix the date; nothing in
`runtime.cases` calls `datetime.now` itself."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LATVIA = ZoneInfo("Europe/Riga")


@dataclass(frozen=True)
class Clock:
    fixed_today: date | None = None

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return self.fixed_today or self.now().astimezone(LATVIA).date()


def latvian_date(at: datetime) -> date:
    """The date in Latvia at the moment `at` (a naive value is UTC, as SQLite gives it back)."""
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(LATVIA).date()
