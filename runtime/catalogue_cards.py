"""The runtime's side of the latvija.lv catalogue: the plain data of one municipality's
service for its card (`card_data`), and writing the cards of every enabled service to the
outbox (`write_cards`), as `pkip sync` does after storing versions and `pkip publish
catalogue` does on demand. A card's key holds its content hash, so an unchanged card is
not written again: a new version, or a municipality enabling or changing a service, is
what makes a new message."""
from __future__ import annotations

import datetime
from typing import Any, Callable, Iterator

from builder.engine import Context
from builder.engine.evaluation import Evaluation
from builder.engine.facts import catalogue_facts
from builder.expressions.errors import EvaluationError
from builder.overlay import EffectiveService
from publishers.catalogue import build_card, card_key
from publishers.ids import catalogue_service_id

from .publishing import publish
from .state import RuntimeState

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
                    "appeal": both(service.appeal), "restrictions": None,
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


def write_cards(state: RuntimeState, data: list[dict[str, Any]], progress: Callable[[int], None] = lambda n: None) -> int:
    """Write each card to the outbox unless an identical one was written before; how many
    were new. One transaction for all, so a run is written whole or not at all."""
    written = 0
    with state.database.transaction() as session:
        for done, item in enumerate(data, start=1):
            key = card_key(build_card(item))
            if publish(session, state.settings.publishers, "catalogue", item, key=key, ordering=item["card_id"],
                       municipality_id=item["municipality"]["id"]) is not None:
                written += 1
            progress(done)
    return written


def write_changed_cards(state: RuntimeState) -> int:
    """After a sync: the cards that are new or changed since last written (none when the
    catalogue publisher is off)."""
    if not state.settings.publishers["catalogue"]["url"]:
        return 0
    return write_cards(state, list(cards(state)))
