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

    POST {catalogue_url}/cards/{cardId}/withdrawal      the service is no longer offered
    Idempotency-Key: catalogue-withdrawal:{cardId}:{n}
    {"id", "withdrawnOn"}       (schemas/catalogue-withdrawal.schema.json)

    200 {"id", "revision", "withdrawn": true, "unchanged"}   withdrawn (unchanged: it was
                               not shown, or this withdrawal was applied before)

A withdrawn card is no longer shown (GET answers 410); a PUT of it shows it again. The
key carries the card's content hash, so publishing an unchanged card writes nothing new
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
WITHDRAWAL_SCHEMA_FILE = SCHEMA_FILE.with_name("catalogue-withdrawal.schema.json")
WITHDRAWAL_PREFIX = "catalogue-withdrawal:"
# a parent applying for their child (`child`) is a natural person too
RECIPIENTS = {"person": "natural_person", "company": "private_legal_person", "public_body": "public_legal_person",
              "child": "natural_person", "any": "any_person"}
REQUEST_CHANNELS = ("e_service", "in_person", "e_address", "post", "email", "customer_centre")


# who may apply, as the card says it: audience -> (Latvian, English)
AUDIENCE_WORDS = {"person": ("fiziskas personas", "natural persons"),
                  "company": ("privāto tiesību juridiskās personas", "private legal persons"),
                  "public_body": ("publiskas personas un iestādes", "public bodies and institutions"),
                  "child": ("vecāki vai likumiskie pārstāvji bērna vārdā", "parents or guardians for their child"),
                  "any": ("jebkura persona", "anyone")}


@lru_cache(maxsize=2)
def validator(schema_file: Path = SCHEMA_FILE) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")),
                                           format_checker=jsonschema.FormatChecker())


def card_problems(card: Any, schema_file: Path = SCHEMA_FILE) -> list[str]:
    """Every way `card` (or a withdrawal, with its schema) breaks the schema, as
    `path: message` lines (empty: it is valid)."""
    errors = validator(schema_file).iter_errors(card)
    return [f"{'/'.join(map(str, error.absolute_path)) or '(card)'}: {error.message}"
            for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path)))]


def card_key(card: Mapping[str, Any], after: int | None = None) -> str:
    """The card's idempotency key; `after`: the job id of the card's last withdrawal, so
    that content published before it can be published again."""
    digest = hashlib.sha256(json.dumps(card, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"catalogue:{card['id']}:{digest[:32]}" + (f":after-{after}" if after else "")


def restrictions(audience: list[str], conditions: list[dict[str, str]]) -> dict[str, Any]:
    """Who may apply (from the audience) and when the service does not apply."""
    words = [AUDIENCE_WORDS[kind] for kind in audience]
    return {"whoMayApply": {"lv": "Pieteikties var: " + ", ".join(lv for lv, _en in words) + ".",
                            "en": "Who may apply: " + ", ".join(en for _lv, en in words) + "."},
            "conditions": [dict(text) for text in conditions]}


def build_withdrawal(data: PlainData) -> dict[str, Any]:
    return {"id": data["card_id"], "withdrawnOn": data["withdrawn_on"]}


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
        "recipients": list(dict.fromkeys(RECIPIENTS[a] for a in service["audience"])),
        "price": {"currency": "EUR", "free": not lines, "lines": lines},
        "deadlineWorkingDays": service["processing_days"],
        "steps": steps,
        "documents": [{"title": d["title"], "delivery": list(d["delivery"])} for d in data["documents"]],
        "restrictions": restrictions(service["audience"], (service.get("restrictions") or {}).get("conditions", [])),
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
        if data.get("withdrawn"):
            withdrawal = build_withdrawal(data)
            problems = card_problems(withdrawal, WITHDRAWAL_SCHEMA_FILE)
            if problems:
                raise ValueError(f"catalogue withdrawal {withdrawal['id']} breaks its schema: {problems[:3]}")
            body = json.dumps(withdrawal, sort_keys=True).encode()
            return Outgoing(self.id, key, body, "application/json", f"{withdrawal['id']} withdrawn")
        card = build_card(data)
        problems = card_problems(card)
        if problems:      # our own fault: never send a card the contract refuses
            raise ValueError(f"catalogue card {card['id']} breaks its schema: {problems[:3]}")
        body = json.dumps(card, ensure_ascii=False, sort_keys=True).encode()
        return Outgoing(self.id, key, body, "application/json", f"{card['id']} ({card['service']['version']})")

    def send(self, message: Outgoing, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        sent = json.loads(message.body)
        headers = {"Authorization": f"Bearer {settings['token']}"} if settings.get("token") else {}
        method, path = ("POST", f"/cards/{sent['id']}/withdrawal") if "withdrawnOn" in sent else \
            ("PUT", f"/cards/{sent['id']}")
        response = http.send(method, settings["url"] + path, message,
                             timeout=settings["timeout_seconds"], headers=headers, transport=transport)
        answer = response.json()
        return Receipt(self.id, message.key, str(answer.get("revision")), duplicate=bool(answer.get("unchanged")))

    @classmethod
    def standin(cls, **options: Any) -> Any:
        from .catalogue_standin import CatalogueStandIn
        return CatalogueStandIn(**options)


PUBLISHER = CataloguePublisher()
