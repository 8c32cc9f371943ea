"""A local latvija.lv catalogue stand-in implementing the card contract of
`publishers.catalogue`: each card is checked against the JSON Schema, stored by id with a
revision that moves only when the content changes, and readable again with GET; a
withdrawn card is no longer shown (GET: 410) until it is PUT again."""
from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.wrappers import Request, Response

from .catalogue import WITHDRAWAL_SCHEMA_FILE, card_problems
from .standin import StandIn, json_response, refuses_token

PATH = re.compile(r"^/cards/(?P<card>[^/]+?)(?P<withdrawal>/withdrawal)?$")


class CatalogueStandIn(StandIn):
    title = "latvija.lv catalogue stand-in"

    def __init__(self, *, token: str | None = None, **options: Any):
        super().__init__(**options)
        self.token = token
        self.cards: dict[str, dict[str, Any]] = {}
        self.revisions: dict[str, int] = {}
        self.withdrawn: dict[str, dict[str, Any]] = {}     # card id -> the card as last shown

    def handle(self, request: Request) -> Response:
        match = PATH.match(request.path)
        if match is None:
            return json_response(404, {"error": "not_found"})
        card_id = match["card"]
        if request.method == "GET" and not match["withdrawal"]:
            return self._get(card_id)
        if request.method != ("POST" if match["withdrawal"] else "PUT"):
            return json_response(405, {"error": "method_not_allowed"})
        if refuses_token(request, self.token):
            self.record(None, "refused: unauthorised", request.path)
            return json_response(401, {"error": "unauthorised"})
        return self._withdraw(request, card_id) if match["withdrawal"] else self._put(request, card_id)

    def _get(self, card_id: str) -> Response:
        with self.lock:
            card, withdrawn = self.cards.get(card_id), card_id in self.withdrawn
        if withdrawn:
            return json_response(410, {"error": "withdrawn"})
        return json_response(200, card) if card else json_response(404, {"error": "not_found"})

    def _withdraw(self, request: Request, card_id: str) -> Response:
        key = request.headers.get("Idempotency-Key")
        try:
            withdrawal = json.loads(request.get_data())
        except ValueError:
            withdrawal = None
        problems = (card_problems(withdrawal, WITHDRAWAL_SCHEMA_FILE) if isinstance(withdrawal, dict)
                    else ["(withdrawal): not a JSON object"])
        if not problems and withdrawal["id"] != card_id:
            problems = [f"id: {withdrawal['id']!r} is not the card of this address"]
        if problems:
            self.record(key, "refused: invalid_withdrawal", card_id, problems)
            return json_response(422, {"error": "invalid_withdrawal", "problems": problems})
        with self.lock:
            shown = card_id in self.cards

            def effect() -> None:
                self.withdrawn[card_id] = self.cards.pop(card_id)
                self.revisions[card_id] += 1
            if shown:
                self.apply(key or f"{card_id}:withdrawal", f"{card_id} withdrawn", withdrawal, effect)
            else:        # withdrawn already (this key, or another), or never shown: nothing to take down
                self.record(key, "duplicate" if key in self.applied else "not shown", f"{card_id} withdrawn")
            revision = self.revisions.get(card_id, 0)
        return json_response(200, {"id": card_id, "revision": revision, "withdrawn": True, "unchanged": not shown})

    def _put(self, request: Request, card_id: str) -> Response:
        key = request.headers.get("Idempotency-Key")
        try:
            card = json.loads(request.get_data())
        except ValueError:
            card = None
        problems = card_problems(card) if isinstance(card, dict) else ["(card): not a JSON object"]
        if not problems and card["id"] != card_id:
            problems = [f"id: {card['id']!r} is not the card of this address"]
        if problems:
            self.record(key, "refused: invalid_card", card_id, problems)
            return json_response(422, {"error": "invalid_card", "problems": problems})
        with self.lock:
            unchanged = self.cards.get(card_id) == card
            if not unchanged:
                def effect() -> None:
                    self.cards[card_id] = card
                    self.withdrawn.pop(card_id, None)
                    self.revisions[card_id] = self.revisions.get(card_id, 0) + 1
                self.apply(key or card_id, f"{card_id} {card['service']['version']}", card, effect)
            else:
                self.record(key, "duplicate", card_id)
            revision, created = self.revisions[card_id], self.revisions[card_id] == 1 and not unchanged
        return json_response(201 if created else 200, {"id": card_id, "revision": revision, "unchanged": unchanged})
