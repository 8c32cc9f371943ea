"""latvija.lv service catalogue: each enabled service of each municipality becomes a card
(the JSON Schema `schemas/catalogue-card.schema.json` is the contract), in Latvian and
English, with the e-service's address.

The portal's write API is not public, so this is the project's own documented contract
(docs/publishers.md, "latvija.lv catalogue"):

    PUT {catalogue_url}/cards/{cardId}
    Authorization: Bearer {catalogue_token}     (when set)
    Idempotency-Key: catalogue:{cardId}:{sha256 of the card}
    <the card as JSON>

    201 {"id", "revision"}     the card is new
    200 {"id", "revision"}     updated, or the same content again (revision unchanged)
    422 {"error": "invalid_card", "problems": [...]}  the card breaks the schema

The key carries the card's content hash, so publishing an unchanged card writes nothing new
to the outbox, and a changed one (a new version, a municipality's new parameters) does.
"""
from __future__ import annotations

import copy
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import jsonschema

from . import http, settings as parse
from .contract import Outgoing, PlainData, Publisher, Receipt, Setting

SCHEMA_FILE = Path(__file__).parent / "schemas" / "catalogue-card.schema.json"
RECIPIENTS = {"person": "natural_person", "company": "private_legal_person", "public_body": "public_legal_person",
              "any": "any_person"}
REQUEST_CHANNELS = ("e_service", "in_person", "e_address", "post", "email", "customer_centre")


@lru_cache(maxsize=1)
def card_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")),
                                           format_checker=jsonschema.FormatChecker())


def card_problems(card: Any) -> list[str]:
    """Every way `card` breaks the schema, as `path: message` lines (empty: it is valid)."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(card)'}: {error.message}"
            for error in sorted(card_validator().iter_errors(card), key=lambda e: list(map(str, e.absolute_path)))]


def card_key(card: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(card, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"catalogue:{card['id']}:{digest[:32]}"


def build_card(data: PlainData) -> dict[str, Any]:
    """The card of one municipality's service, from the plain data the runtime gives
    (`runtime.catalogue_cards.card_data`); the card shares nothing with `data`."""
    data = copy.deepcopy(data)
    service, municipality = data["service"], data["municipality"]
    lines = [{"label": line["label"], "amount": line["amount"]} for line in data["fee_lines"]]
    steps = [{"kind": "request", "channels": [c for c in service["channels"] if c in REQUEST_CHANNELS] or ["e_service"]}]
    if lines:
        steps.append({"kind": "payment", "channels": ["bank_transfer"]})
    receipt = sorted({way for document in data["documents"] for way in document["delivery"]})
    steps.append({"kind": "receipt", "channels": [way for way in receipt if way in ("download", "e_address", "post",
                                                                                     "email")] or ["e_service"]})
    municipality_name = municipality["name"]
    return {
        "id": data["card_id"],
        "service": {"id": service["id"], "version": service["version"]},
        "municipality": {"id": municipality["id"], "name": municipality_name, "atvk": municipality["atvk"],
                         "registrationNumber": municipality.get("registration_number")},
        "name": service["title"],
        "nameInMunicipality": {language: f"{municipality_name[language]}: {service['title'][language]}"
                               for language in ("lv", "en")},
        "description": service["summary"] or service["title"],
        "recipients": [RECIPIENTS[a] for a in service["audience"]],
        "price": {"currency": "EUR", "free": not lines, "lines": lines},
        "deadlineWorkingDays": service["processing_days"],
        "steps": steps,
        "documents": [{"title": d["title"], "delivery": list(d["delivery"])} for d in data["documents"]],
        "restrictions": service.get("restrictions"),
        "appeal": service["appeal"],
        "legalActs": [dict(act) for act in service["legal_acts"]],
        "contacts": dict(data["contacts"]),
        "eServiceUrl": dict(data["urls"]),
        "lastUpdated": data["last_updated"],
    }


class CataloguePublisher(Publisher):
    id = "catalogue"
    title = "latvija.lv service catalogue"
    settings = (
        Setting("url", parse.optional_url, None, "base address of the catalogue write API; unset: off"),
        Setting("site_url", parse.optional_url, "http://127.0.0.1:5000",
                "the site's public address, for each card's e-service link"),
        Setting("token", parse.optional_text, None, "bearer token for the catalogue write API"),
        Setting("timeout_seconds", parse.seconds, 10.0, "per request"),
        Setting("max_attempts", parse.attempts, 12, "tries before a card becomes a dead letter"),
    )

    def build(self, data: PlainData, key: str) -> Outgoing:
        card = build_card(data)
        problems = card_problems(card)
        if problems:      # our own fault: never send a card the contract refuses
            raise ValueError(f"catalogue card {card['id']} breaks its schema: {problems[:3]}")
        body = json.dumps(card, ensure_ascii=False, sort_keys=True).encode()
        return Outgoing(self.id, key, body, "application/json", f"{card['id']} ({card['service']['version']})")

    def send(self, message: Outgoing, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        card_id = json.loads(message.body)["id"]
        headers = {"Authorization": f"Bearer {settings['token']}"} if settings.get("token") else {}
        response = http.send("PUT", f"{settings['url']}/cards/{card_id}", message,
                             timeout=settings["timeout_seconds"], headers=headers, transport=transport)
        answer = response.json()
        return Receipt(self.id, message.key, str(answer.get("revision")), duplicate=bool(answer.get("unchanged")))

    @classmethod
    def standin(cls, **options: Any) -> Any:
        from .catalogue_standin import CatalogueStandIn
        return CatalogueStandIn(**options)


PUBLISHER = CataloguePublisher()
