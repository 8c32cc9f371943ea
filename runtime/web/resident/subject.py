"""Whom the application is for, checked on "check your answers": acting for a child,
the service's `subject` answer (e.g. `child.personal_code`) must be that child's code, so
a parent acting for one child cannot file the case of another under that child's name.
Only the codes' keyed hashes are compared: the session never holds the child's code."""
from __future__ import annotations

from typing import Any

from builder.engine import Outcome

from ... import identity
from ...cases.access import Actor
from ...forms.naming import target_id
from ...i18n import gettext as _
from .pages import page_url


def _answer_at(values: dict, path: str) -> Any:
    found: Any = values
    for part in path.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def subject_refusal(application, outcome: Outcome, actor: Actor) -> tuple[str, str] | None:
    """(message, link) when the answer naming whom the case is for is not the child acted
    for; None when it is, or when the actor does not act for a child."""
    if actor.acting_for is None or actor.acting_for.kind != identity.CHILD:
        return None
    service = application.service
    value = _answer_at(outcome.values, service.subject) if service.subject else None
    digits = identity.normalise_personal_code(value) if isinstance(value, str) else None
    if digits is not None and identity.person_code_hash(digits) == actor.acting_for.hash:
        return None
    message = _("The child's personal code is not the code of the child you act for")
    page = service.page_of(service.subject) if service.subject else None
    if page is None or page.id not in outcome.visible_pages:
        return message, "#main"
    field = service.field_index.get(service.subject)
    return message, page_url(application, page.id, returning=True) + f"#{target_id(field)}"
