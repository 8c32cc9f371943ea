"""A local latvija.lv catalogue stand-in implementing the card contract of
`publishers.catalogue`: each card is checked against the JSON Schema, stored by id with a
revision that moves only when the content changes, and readable again with GET."""
from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.wrappers import Request, Response

from .catalogue import card_problems
from .standin import StandIn, json_response, refuses_token

PATH = re.compile(r"^/cards/(?P<card>[^/]+)$")


class CatalogueStandIn(StandIn):
    title = "latvija.lv catalogue stand-in"

    def __init__(self, *, token: str | None = None, **options: Any):
        super().__init__(**options)
        self.token = token
        self.cards: dict[str, dict[str, Any]] = {}
        self.revisions: dict[str, int] = {}

    def handle(self, request: Request) -> Response:
        match = PATH.match(request.path)
        if match is None:
            return json_response(404, {"error": "not_found"})
        card_id = match["card"]
        if request.method == "GET":
            with self.lock:
                card = self.cards.get(card_id)
            return json_response(200, card) if card else json_response(404, {"error": "not_found"})
        if request.method != "PUT":
            return json_response(405, {"error": "method_not_allowed"})
        if refuses_token(request, self.token):
            self.record(None, "refused: unauthorised", request.path)
            return json_response(401, {"error": "unauthorised"})
        return self._put(request, card_id)

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
                    self.revisions[card_id] = self.revisions.get(card_id, 0) + 1
                self.apply(key or card_id, f"{card_id} {card['service']['version']}", card, effect)
            else:
                self.record(key, "duplicate", card_id)
            revision, created = self.revisions[card_id], self.revisions[card_id] == 1 and not unchanged
        return json_response(201 if created else 200, {"id": card_id, "revision": revision, "unchanged": unchanged})
