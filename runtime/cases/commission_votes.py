"""A commission session's agenda, votes and decisions.

A clerk puts a case on the agenda with a motion: one of the steps the service gives to a
commission from the case's state (`builder.commissions.commission_steps`), and its text
(the decision, or the reason the applicant is told). Only cases of the services and
states the commission decides (its overlay's `decides:`), of its institution, and not on
another open session's agenda, are offered. Each member votes for, against or abstains,
and may change the vote until the outcome is recorded. A member records the outcome
(`commissions.Tally`): approved moves the case through `caseflow.make_step`, the same
step a clerk's button makes (the applicant is notified, webhooks and PSPP are told, the
audit written), in the transaction that records the outcome; a refused step (say, one
that needs the fee paid) leaves the item undecided, with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.commissions import commission_steps
from builder.model import Commission
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import (CommissionAgendaItem, CommissionSession, CommissionVote, ServiceVersion,
                              Submission)
from .access import Actor, may_prepare_sessions, may_sit_on
from .audit import AuditContext, record
from .caseflow import MAX_TEXT, MISSING, NOT_ALLOWED, TOO_LONG, CaseActionRefused, make_step
from .clock import Clock
from .commissions import CLOSED, Member, SessionNotFound, Tally, find_session, members_of, names_of

VOTES = ("for", "against", "abstain")
NOT_ON_OFFER = "not_on_offer"       # the case is not (or no longer) in a state the commission decides
ON_AGENDA = "on_agenda"             # the case is on an open session's agenda already
DECIDED = "decided"                 # the outcome of this item is recorded
BAD_VOTE = "bad_vote"
ELIGIBLE_LISTED = 200


@dataclass(frozen=True)
class Motion:
    """A case and a step the commission could be asked to make (the agenda form's choice)."""
    reference: str
    service_id: str
    target: str
    label: Any                  # the step's label (a text)


@dataclass(frozen=True)
class ItemView:
    item: CommissionAgendaItem
    reference: str
    service_id: str
    tally: Tally
    voters: dict[int, str]      # member id -> name, of those who voted


@dataclass(frozen=True)
class SessionView:
    session: CommissionSession
    commission: Commission
    items: list[ItemView]
    members: list[Member]
    may_prepare: bool
    may_vote: bool
    offered: list[Motion]       # what the clerk may add (empty when closed or not a clerk)

    @property
    def is_open(self) -> bool:
        return self.session.closed_at is None

    @property
    def present(self) -> list[str]:
        """Members present: those who voted on any item, in the order of the members' list."""
        voted: dict[int, str] = {}
        for view in self.items:
            voted.update(view.voters)
        order = {member.id: index for index, member in enumerate(self.members)}
        return [voted[mid] for mid in sorted(voted, key=lambda mid: (order.get(mid, len(order)), voted[mid]))]


def open_session(database: Database, catalogue: Any, actor: Actor, municipality_id: str,
                 session_id: int) -> SessionView:
    with database.transaction() as session:
        row, commission = find_session(session, catalogue, actor, municipality_id, session_id)
        items = _items(session, row.id)
        may_prepare = may_prepare_sessions(actor, municipality_id, commission.institution)
        offered = _offered(session, catalogue, municipality_id, commission) if may_prepare and row.closed_at is None \
            else []
        session.expunge_all()
    return SessionView(row, commission, items, members_of(database, municipality_id, commission), may_prepare,
                       may_sit_on(actor, municipality_id, commission.institution), offered)


def _items(session: Session, session_id: int) -> list[ItemView]:
    rows = session.execute(select(CommissionAgendaItem, Submission.reference, ServiceVersion.service_id)
                           .join(Submission, CommissionAgendaItem.submission_id == Submission.id)
                           .join(ServiceVersion, Submission.service_version_id == ServiceVersion.id)
                           .where(CommissionAgendaItem.session_id == session_id)
                           .order_by(CommissionAgendaItem.id)).all()
    votes: dict[int, Tally] = {item.id: Tally() for item, _r, _s in rows}
    for vote in session.scalars(select(CommissionVote).where(CommissionVote.item_id.in_(list(votes) or [0]))):
        votes[vote.item_id].votes[vote.member_id] = vote.vote
    names = names_of(session, {mid for tally in votes.values() for mid in tally.votes})
    return [ItemView(item, reference, service_id, votes[item.id], {mid: names.get(mid, "?")
                                                                   for mid in votes[item.id].votes})
            for item, reference, service_id in rows]


def _offered(session: Session, catalogue: Any, municipality_id: str, commission: Commission) -> list[Motion]:
    """The cases the commission decides now, with each step it could be asked to make."""
    places = [(remit.service, remit.state) for remit in commission.decides]
    busy = select(CommissionAgendaItem.submission_id).join(CommissionSession).where(
        CommissionSession.closed_at.is_(None), CommissionAgendaItem.outcome.is_(None))
    rows = session.execute(select(Submission.reference, ServiceVersion.service_id, Submission.status)
                           .join(ServiceVersion, Submission.service_version_id == ServiceVersion.id)
                           .where(Submission.municipality_id == municipality_id,
                                  Submission.institution_id == commission.institution,
                                  tuple_(ServiceVersion.service_id, Submission.status).in_(places),
                                  Submission.id.not_in(busy))
                           .order_by(Submission.due_on, Submission.id).limit(ELIGIBLE_LISTED)).all()
    return [Motion(reference, service_id, step.target, step.label or step.target)
            for reference, service_id, status in rows if service_id in catalogue.services
            for step in commission_steps(catalogue.services[service_id], status)]


def add_to_agenda(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                  municipality_id: str, session_id: int, choice: str, motion: str) -> None:
    """Put the case and step named by `choice` ("<reference>|<target>") on the agenda."""
    reference, _bar, target = (choice or "").partition("|")
    motion = (motion or "").strip()
    if not motion:
        raise CaseActionRefused({"motion": MISSING})
    if len(motion) > MAX_TEXT:
        raise CaseActionRefused({"motion": TOO_LONG})
    with database.transaction() as session:
        row, commission = find_session(session, catalogue, actor, municipality_id, session_id)
        if not may_prepare_sessions(actor, municipality_id, commission.institution):
            raise CaseActionRefused({"action": NOT_ALLOWED})
        if row.closed_at is not None:
            raise CaseActionRefused({"action": CLOSED})
        offered = {(m.reference, m.target) for m in _offered(session, catalogue, municipality_id, commission)}
        if (reference, target) not in offered:
            raise CaseActionRefused({"case": ON_AGENDA if _on_agenda(session, reference) else NOT_ON_OFFER})
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        session.add(CommissionAgendaItem(session_id=row.id, submission_id=case.id, source=case.status,
                                         target=target, motion=motion, added_by=actor.staff_user_id,
                                         added_at=clock.now()))
        record(session, context, "commission.agenda", municipality_id=municipality_id, object_type="case",
               object_id=reference, commission_session=row.id, target=target)


def _on_agenda(session: Session, reference: str) -> bool:
    return session.scalar(select(CommissionAgendaItem.id).join(CommissionSession).join(
        Submission, CommissionAgendaItem.submission_id == Submission.id).where(
        Submission.reference == reference, CommissionSession.closed_at.is_(None),
        CommissionAgendaItem.outcome.is_(None)).limit(1)) is not None


def _open_item(session: Session, catalogue: Any, actor: Actor, municipality_id: str, session_id: int,
               item_id: int) -> tuple[CommissionSession, CommissionAgendaItem]:
    """The undecided item of an open session, for a member of its commission."""
    row, commission = find_session(session, catalogue, actor, municipality_id, session_id)
    item = session.get(CommissionAgendaItem, item_id)
    if item is None or item.session_id != row.id:
        raise SessionNotFound(str(item_id))
    if not may_sit_on(actor, municipality_id, commission.institution):
        raise CaseActionRefused({"action": NOT_ALLOWED})
    if row.closed_at is not None:
        raise CaseActionRefused({"action": CLOSED})
    if item.outcome is not None:
        raise CaseActionRefused({"action": DECIDED})
    return row, item


def cast_vote(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
              municipality_id: str, session_id: int, item_id: int, vote: str) -> None:
    """The member's vote on the item (a second vote replaces the first)."""
    if vote not in VOTES:
        raise CaseActionRefused({"vote": BAD_VOTE})
    with database.transaction() as session:
        _row, item = _open_item(session, catalogue, actor, municipality_id, session_id, item_id)
        given = session.scalars(select(CommissionVote).where(CommissionVote.item_id == item.id,
                                                             CommissionVote.member_id == actor.staff_user_id)).first()
        if given is None:
            session.add(CommissionVote(item_id=item.id, member_id=actor.staff_user_id, vote=vote, at=clock.now()))
        else:
            given.vote, given.at = vote, clock.now()
        record(session, context, "commission.vote", municipality_id=municipality_id,
               object_type="commission_session", object_id=str(session_id), item=item.id, vote=vote)


def record_decision(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                    municipality_id: str, session_id: int, item_id: int) -> str:
    """Count the votes and record the outcome; an approved motion's step is made now."""
    with database.transaction() as session:
        row, item = _open_item(session, catalogue, actor, municipality_id, session_id, item_id)
        tally = Tally({vote.member_id: vote.vote for vote in
                       session.scalars(select(CommissionVote).where(CommissionVote.item_id == item.id))})
        if tally.outcome == "approved":
            reference = session.scalar(select(Submission.reference).where(Submission.id == item.submission_id))
            make_step(session, catalogue, actor, clock, context, municipality_id, reference, item.target,
                      {"decision": item.motion, "reason": item.motion, "date": row.held_on.isoformat()})
        item.outcome, item.decided_at = tally.outcome, clock.now()
        record(session, context, "commission.decision", municipality_id=municipality_id,
               object_type="commission_session", object_id=str(row.id), item=item.id, outcome=tally.outcome,
               votes_for=tally.count("for"), votes_against=tally.count("against"),
               abstained=tally.count("abstain"))
        return tally.outcome


def session_record(database: Database, catalogue: Any, session_id: int) -> SessionView | None:
    """The whole session as its minutes record it (for the worker: no actor asks), or None."""
    with database.transaction() as session:
        row = session.get(CommissionSession, session_id)
        municipality = catalogue.municipalities.get(row.municipality_id) if row is not None else None
        commission = municipality.commissions.get(row.commission_id) if municipality is not None else None
        if commission is None:
            return None
        items = _items(session, row.id)
        session.expunge_all()
    return SessionView(row, commission, items, members_of(database, row.municipality_id, commission), False, False,
                       [])
