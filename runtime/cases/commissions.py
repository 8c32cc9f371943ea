"""Commission sessions (issue 14 part 9): the commissions a municipality declares in its
overlay (`commissions:`, checked by the builder, E607), their sessions, and what a
session page shows. The agenda, the votes and the decisions are `commission_votes`.

Who: the clerks of a commission's institution prepare its sessions (a day, a place, the
agenda, closing it); its members, the commission members of that institution, vote and
record the decisions (`access.may_prepare_sessions`, `access.may_sit_on`). Anyone else is
told "not found", as for a session that does not exist. Closing a session writes the
`render_minutes` job in the same transaction; the worker renders the minutes PDF
(`runtime.documents.minutes`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from builder.model import Commission
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..outbox import enqueue
from ..storage.database import Database
from ..storage.models import CommissionSession, StaffUser
from .access import Actor, may_prepare_sessions, may_sit_on
from .audit import AuditContext, record
from .caseflow import BAD_DATE, MISSING, NOT_ALLOWED, TOO_LONG, CaseActionRefused
from .clock import Clock
from .lookup import CaseNotFound
from .staff_accounts import colleagues

RENDER_MINUTES = "render_minutes"
MAX_PLACE = 200
CLOSED = "closed"               # message code: the session is closed, nothing more is recorded


class SessionNotFound(CaseNotFound):
    """No such commission or session, or not one this actor works on."""


@dataclass(frozen=True)
class CommissionPlace:
    """A commission as one member of staff sees it, with its sessions (newest first)."""
    commission: Commission
    sessions: list[CommissionSession]
    may_prepare: bool


@dataclass(frozen=True)
class Member:
    id: int
    name: str


def commission_of(catalogue: Any, actor: Actor, municipality_id: str, commission_id: str) -> Commission:
    """The municipality's commission, if the actor prepares or sits on it."""
    municipality = catalogue.municipalities.get(municipality_id)
    commission = municipality.commissions.get(commission_id) if municipality is not None else None
    if commission is None or not works_on(actor, municipality_id, commission):
        raise SessionNotFound(commission_id)
    return commission


def works_on(actor: Actor, municipality_id: str, commission: Commission) -> bool:
    return may_prepare_sessions(actor, municipality_id, commission.institution) or \
        may_sit_on(actor, municipality_id, commission.institution)


def commission_places(database: Database, catalogue: Any, actor: Actor, municipality_id: str) -> list[CommissionPlace]:
    """The commissions of the municipality the actor works on; `SessionNotFound` if none."""
    municipality = catalogue.municipalities.get(municipality_id)
    mine = [c for c in (municipality.commissions.values() if municipality else ()) if works_on(actor, municipality_id, c)]
    if not mine:
        raise SessionNotFound(municipality_id)
    with database.transaction() as session:
        places = [CommissionPlace(c, list(session.scalars(
            select(CommissionSession).where(CommissionSession.municipality_id == municipality_id,
                                            CommissionSession.commission_id == c.id)
            .order_by(CommissionSession.held_on.desc(), CommissionSession.id.desc()).limit(100))),
            may_prepare_sessions(actor, municipality_id, c.institution)) for c in mine]
        session.expunge_all()
    return places


def create_session(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                   municipality_id: str, commission_id: str, held_on_text: str, place: str) -> int:
    """A new session of the commission on `held_on_text` (YYYY-MM-DD) at `place`; its id."""
    commission = commission_of(catalogue, actor, municipality_id, commission_id)
    if not may_prepare_sessions(actor, municipality_id, commission.institution):
        raise CaseActionRefused({"action": NOT_ALLOWED})
    held_on, place = _held_on(held_on_text), (place or "").strip()
    errors = {"held_on": BAD_DATE} if held_on is None else {}
    if not place:
        errors["place"] = MISSING
    elif len(place) > MAX_PLACE:
        errors["place"] = TOO_LONG
    if errors:
        raise CaseActionRefused(errors)
    with database.transaction() as session:
        row = CommissionSession(municipality_id=municipality_id, commission_id=commission.id, held_on=held_on,
                                place=place, created_by=actor.staff_user_id, created_at=clock.now())
        session.add(row)
        session.flush()
        record(session, context, "commission.session", municipality_id=municipality_id,
               object_type="commission_session", object_id=str(row.id), commission=commission.id,
               held_on=held_on.isoformat())
        return row.id


def _held_on(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def find_session(session: Session, catalogue: Any, actor: Actor, municipality_id: str,
                 session_id: int) -> tuple[CommissionSession, Commission]:
    """The session and its commission, if the actor works on that commission."""
    row = session.get(CommissionSession, session_id)
    if row is None or row.municipality_id != municipality_id:
        raise SessionNotFound(str(session_id))
    return row, commission_of(catalogue, actor, municipality_id, row.commission_id)


def members_of(database: Database, municipality_id: str, commission: Commission) -> list[Member]:
    """The commission's members: enabled commission members of its institution."""
    return [Member(m.id, m.name) for m in colleagues(database, municipality_id, commission.institution)
            if any(g.role == "commission_member" and g.municipality_id == municipality_id for g in m.grants)]


def close_session(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                  municipality_id: str, session_id: int) -> None:
    """Close the session (nothing more is added, voted or decided) and have its minutes rendered."""
    with database.transaction() as session:
        row, commission = find_session(session, catalogue, actor, municipality_id, session_id)
        if not may_prepare_sessions(actor, municipality_id, commission.institution):
            raise CaseActionRefused({"action": NOT_ALLOWED})
        if row.closed_at is not None:
            raise CaseActionRefused({"action": CLOSED})
        row.closed_at = clock.now()
        enqueue(session, RENDER_MINUTES, {"session_id": row.id})
        record(session, context, "commission.close", municipality_id=municipality_id,
               object_type="commission_session", object_id=str(row.id))


@dataclass(frozen=True)
class MinutesFile:
    path: str                   # relative to the instance folder
    size: int
    held_on: date
    commission_id: str


def minutes_of(database: Database, catalogue: Any, actor: Actor, context: AuditContext, municipality_id: str,
               session_id: int) -> MinutesFile:
    """The rendered minutes of a session the actor works on (the download is audited)."""
    with database.transaction() as session:
        row, _commission = find_session(session, catalogue, actor, municipality_id, session_id)
        if row.minutes_path is None:
            raise SessionNotFound(str(session_id))
        record(session, context, "commission.minutes", municipality_id=municipality_id,
               object_type="commission_session", object_id=str(row.id))
        return MinutesFile(row.minutes_path, row.minutes_size or 0, row.held_on, row.commission_id)


def names_of(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(sorted(ids)))).all())


@dataclass
class Tally:
    """The votes on one motion; `outcome` by strict majority of the votes cast (for and
    against; an abstention is no vote cast): more for than against approves, more
    against rejects, a tie (or no vote at all) is no decision."""
    votes: dict[int, str] = field(default_factory=dict)     # member id -> for | against | abstain

    def count(self, vote: str) -> int:
        return sum(1 for given in self.votes.values() if given == vote)

    @property
    def outcome(self) -> str:
        yes, no = self.count("for"), self.count("against")
        return "approved" if yes > no else "rejected" if no > yes else "no_decision"
