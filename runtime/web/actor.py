"""The request's `Actor` and `Clock` for the use cases in `runtime.cases`: who is asking
(from the session: the signed-in person, what this browser sent and the drafts it holds)
and what day it is (`PKIP_TODAY` fixes it in tests)."""
from __future__ import annotations

from flask import current_app

from ..cases.access import Actor, Party
from ..cases.clock import Clock
from .. import identity, remembered

TODAY_SETTING = "PKIP_TODAY"


def current_actor() -> Actor:
    acting = identity.current_acting_for()
    return Actor(person_hash=identity.current_person_hash(), submitted=frozenset(remembered.submitted_references()),
                 drafts=frozenset(remembered.held_drafts()),
                 acting_for=Party(acting["kind"], acting["hash"]) if acting else None)


def current_clock() -> Clock:
    return Clock(fixed_today=current_app.config.get(TODAY_SETTING))
