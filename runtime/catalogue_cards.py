"""The runtime's side of the latvija.lv catalogue: the plain data of one municipality's
service for its card (`card_data`), and writing the cards of every enabled service to the
outbox (`write_cards`), as `pkip sync` does after storing versions and `pkip publish
catalogue` does on demand. A card's key holds its content hash, so an unchanged card is
not written again: a new version, or a municipality enabling or changing a service, is
what makes a new message."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from builder.engine import Context
from builder.engine.evaluation import Evaluation
from builder.engine.facts import catalogue_facts
from builder.expressions.errors import EvaluationError
from builder.messagetext import MessageText, render_message
from builder.overlay import EffectiveService
from publishers.catalogue import WITHDRAWAL_PREFIX, build_card, card_key
from publishers.ids import catalogue_service_id
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .publishing import publish
from .state import RuntimeState
from .storage.models import OutboxJob

ORDERING_PREFIX = "catalogue:"       # `publish` prefixes the ordering (the card id) with the publisher
CONSTANT_NAMES = frozenset({"param", "municipality"})   # an amount of only these is known before applying


def both(text: Any) -> dict[str, str] | None:
    """A text in Latvian and English (English falls back to Latvian)."""
    if text is None:
        return None
    lv = text.get("lv") or next(iter(text.values()))
    return {"lv": lv, "en": text.get("en") or lv}


def card_data(effective: EffectiveService, *, site_url: str, last_updated: datetime.date) -> dict[str, Any]:
    service, municipality = effective.service, effective.municipality
    council = municipality.institutions.get("council")
    contacts = {key: value for key, value in municipality.contacts.items() if key in ("phone", "email", "web", "address")}
    if council is not None:
        contacts["institution"] = both(council.name)
    if municipality.e_address:
        contacts["eAddress"] = municipality.e_address
    link = f"{site_url.rstrip('/')}/{municipality.id}/{service.id}/"
    return {
        "card_id": catalogue_service_id(municipality.id, service.id),
        "service": {"id": service.id, "version": service.version, "title": both(service.title),
                    "summary": both(service.summary), "audience": list(service.audience),
                    "processing_days": catalogue_facts(effective, last_updated).processing_days,
                    "channels": list(service.channels),
                    "appeal": both(service.appeal),
                    "restrictions": {"conditions": conditions(effective, last_updated)},
                    "legal_acts": [{"type": a.type, "title": a.title, "issuer": a.issuer, "number": a.number,
                                    "date": a.date, "article": a.article, "url": a.url} for a in service.legal_basis]},
        "municipality": {"id": municipality.id, "name": both(municipality.name), "atvk": municipality.atvk,
                         "registration_number": municipality.registration_number},
        "fee_lines": fee_lines(effective, last_updated),
        "documents": [{"title": both(d.title), "delivery": list(d.deliver)} for d in service.documents.values()],
        "contacts": contacts,
        "urls": {"lv": link, "en": link + "?lang=en"},
        "last_updated": last_updated.isoformat(),
    }


def fee_lines(effective: EffectiveService, today: datetime.date) -> list[dict[str, Any]]:
    """Each fee line's label and, where it does not depend on the answers, its amount
    with this municipality's parameters (else None: calculated from the application)."""
    constants = Evaluation(effective, Context(today=today)).constants
    lines = []
    for line in effective.service.fees.lines:
        amount = None
        if line.amount.names <= CONSTANT_NAMES:
            try:
                amount = f"{line.amount.evaluate(constants, today):.2f}"
            except (EvaluationError, TypeError, ValueError):
                amount = None
        lines.append({"label": both(line.label), "amount": amount})
    return lines


def conditions(effective: EffectiveService, today: datetime.date) -> list[dict[str, str]]:
    """Who may not apply, in the definition's own words: the messages of its `stop` rules
    (the form ends there: the service does not apply). A message whose values need the
    answers cannot be said before applying and is left out."""
    constants = Evaluation(effective, Context(today=today)).constants
    said = []
    for rule in effective.service.rules:
        if rule.severity != "stop" or not _known_before_applying(rule.message):
            continue
        said.append(both(render_message(rule.message, constants, today)))
    return said


def _known_before_applying(message: Any) -> bool:
    return not isinstance(message, MessageText) or all(template.names <= CONSTANT_NAMES
                                                       for template in message.templates.values())


def cards(state: RuntimeState, municipality_id: str | None = None,
          today: Callable[[], datetime.date] = datetime.date.today) -> Iterator[dict[str, Any]]:
    """The card data of every enabled service (of one municipality, or of every current one)."""
    site_url = state.settings.publishers["catalogue"]["site_url"]
    ids = [municipality_id] if municipality_id else sorted(state.catalogue.municipalities)
    for mid in ids:
        municipality = state.catalogue.municipalities[mid]
        if not municipality.current:
            continue
        for effective in state.catalogue.enabled_services(mid):
            yield card_data(effective, site_url=site_url, last_updated=today())


@dataclass(frozen=True)
class Written:
    cards: int = 0           # new or changed cards
    withdrawn: int = 0       # withdrawals of cards no longer offered



@dataclass(frozen=True)
class CardHistory:
    """What the outbox holds for one card id."""
    newest_job: int
    newest_is_withdrawal: bool
    last_withdrawal: int | None
    municipality_id: str | None


def card_histories(session: Session, municipality_id: str | None = None) -> dict[str, CardHistory]:
    """card id -> its history, for every card ever written (of one municipality)."""
    ordering = OutboxJob.ordering_key
    grouped = (select(ordering, func.max(OutboxJob.id).label("newest"))
               .where(ordering.like(f"{ORDERING_PREFIX}%")).group_by(ordering))
    withdrawals = (select(ordering, func.max(OutboxJob.id).label("withdrawal"))
                   .where(ordering.like(f"{ORDERING_PREFIX}%"),
                          OutboxJob.idempotency_key.like(f"{WITHDRAWAL_PREFIX}%")).group_by(ordering))
    if municipality_id:
        grouped = grouped.where(OutboxJob.municipality_id == municipality_id)
        withdrawals = withdrawals.where(OutboxJob.municipality_id == municipality_id)
    last_withdrawal = dict(session.execute(withdrawals).all())
    newest = dict(session.execute(grouped).all())
    towns = dict(session.execute(select(OutboxJob.id, OutboxJob.municipality_id)
                                 .where(OutboxJob.id.in_(list(newest.values())))).all()) if newest else {}
    return {key.removeprefix(ORDERING_PREFIX): CardHistory(job, last_withdrawal.get(key) == job,
                                                           last_withdrawal.get(key), towns.get(job))
            for key, job in newest.items()}


def write_cards(state: RuntimeState, data: list[dict[str, Any]], progress: Callable[[int], None] = lambda n: None,
                *, municipality_id: str | None = None, today: datetime.date | None = None) -> Written:
    """Write each card to the outbox unless an identical one was written before, and a
    withdrawal for each card written before that `data` no longer holds (of
    `municipality_id`, or of every municipality). One transaction for all, so a run is
    written whole or not at all."""
    written = withdrawn = 0
    with state.database.transaction() as session:
        histories = card_histories(session, municipality_id)
        for done, item in enumerate(data, start=1):
            history = histories.get(item["card_id"])
            key = card_key(build_card(item), after=history.last_withdrawal if history else None)
            written += _publish(state, session, item, key) is not None
            progress(done)
        offered = {item["card_id"] for item in data}
        for card_id, history in sorted(histories.items()):
            if card_id in offered or history.newest_is_withdrawal:
                continue
            item = withdrawal_data(card_id, history.municipality_id, today or datetime.date.today())
            withdrawn += _publish(state, session, item, f"{WITHDRAWAL_PREFIX}{card_id}:{history.newest_job}") is not None
    return Written(written, withdrawn)


def withdrawal_data(card_id: str, municipality_id: str | None, today: datetime.date) -> dict[str, Any]:
    return {"card_id": card_id, "withdrawn": True, "municipality": {"id": municipality_id},
            "withdrawn_on": today.isoformat()}


def _publish(state: RuntimeState, session: Session, item: dict[str, Any], key: str) -> int | None:
    return publish(session, state.settings.publishers, "catalogue", item, key=key, ordering=item["card_id"],
                   municipality_id=item["municipality"]["id"])


def write_changed_cards(state: RuntimeState) -> Written:
    """After a sync: the cards that are new or changed since last written, and the
    withdrawals of those no longer offered (none when the catalogue publisher is off)."""
    if not state.settings.publishers["catalogue"]["url"]:
        return Written()
    return write_cards(state, list(cards(state)))
