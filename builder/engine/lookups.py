"""Register look-ups in an evaluation (`lookups:`): which keys the answers ask of which
register, what expressions see as `lookup.<name>`, and the resident's way on when a
register does not answer. The engine never asks a register itself: the runtime asks for
the keys an outcome lists (`Outcome.lookups`) and evaluates again with the answers in
`Context.registers`; a definition test gives them in its context."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any

from ..documents import typed_value
from ..expressions import EvaluationError
from ..fieldtypes.readers import to_json
from ..model import Lookup, Text
from ..registers import REGISTERS, UNAVAILABLE, RegisterAnswer, answer_value


@dataclass(frozen=True)
class LookupRequest:
    name: str          # the look-up's name in the definition
    register: str      # a builder.registers id
    key: str


def requested_key(lookup: Lookup, scope: Mapping[str, Any], today) -> str | None:
    """The key the answers give, when the look-up applies and the key has the register's
    form (anything else is not asked: the field's own check tells the resident)."""
    try:
        if lookup.when is not None and lookup.when.evaluate(scope, today) is not True:
            return None
        key = lookup.key.evaluate(scope, today)
    except EvaluationError:
        return None
    if not isinstance(key, str) or not re.fullmatch(REGISTERS[lookup.register].key_pattern, key.strip()):
        return None
    return key.strip()


def lookup_values(lookups: tuple[Lookup, ...], scope: Mapping[str, Any], answers: Mapping[tuple[str, str], Any],
                  today) -> dict[str, dict | None]:
    """`lookup.*`: each look-up's answer for the key the answers give; None when there is no
    key yet, or no answer was given for it (not asked)."""
    values: dict[str, dict | None] = {}
    for lookup in lookups:
        key = requested_key(lookup, scope, today)
        answer = answers.get((lookup.register, key)) if key is not None else None
        values[lookup.name] = answer_value(REGISTERS[lookup.register], _answer(answer), typed_value)
    return values


def requests(lookups: tuple[Lookup, ...], scope: Mapping[str, Any], today) -> tuple[LookupRequest, ...]:
    found = ((lookup, requested_key(lookup, scope, today)) for lookup in lookups)
    return tuple(LookupRequest(lookup.name, lookup.register, key) for lookup, key in found if key is not None)


def fill_answers(lookups: tuple[Lookup, ...], raw: Mapping[str, Any], values: Mapping[str, Any]) -> Mapping[str, Any]:
    """`raw` with each `fill` field that has no answer yet set from what its register found
    (as stored JSON), so it is prefilled and stays the resident's to change; `raw` itself
    when nothing is filled."""
    changes = {}
    for lookup in lookups:
        found = values.get(lookup.name)
        if not isinstance(found, Mapping) or not found.get("found"):
            continue
        for path, member in lookup.fill.items():
            if _at(raw, path) in (None, "") and found.get(member) is not None:
                changes[path] = to_json(found[member])
    if not changes:
        return raw
    result = copy.deepcopy(dict(raw))
    for path, value in changes.items():
        *groups, name = path.split(".")
        node = result
        for group in groups:
            if not isinstance(node.get(group), dict):
                node[group] = {}
            node = node[group]
        node[name] = value
    return result


def _at(answers: Mapping[str, Any], path: str) -> Any:
    node: Any = answers
    for name in path.split("."):
        node = node.get(name) if isinstance(node, Mapping) else None
    return node


def unavailable_message(lookup: Lookup) -> Text:
    """What the resident is told when the register does not answer: with manual entry, to
    go on and give the details themselves; without, that the answers are kept for later."""
    name = REGISTERS[lookup.register].name
    if lookup.manual:
        return Text({"lv": f"{name['lv']} šobrīd neatbild, tāpēc ziņas nevarēja pārbaudīt. Turpiniet un norādiet "
                           f"tās paši: pašvaldība tās pārbaudīs.",
                     "en": f"{name['en'][:1].upper()}{name['en'][1:]} is not answering just now, so the details "
                           f"could not be checked. Go on and give them yourself: the municipality will check them."})
    return Text({"lv": f"{name['lv']} šobrīd neatbild, un bez tā pieteikumu nevar iesniegt. Jūsu atbildes ir "
                       f"saglabātas: mēģiniet vēlreiz pēc dažām minūtēm.",
                 "en": f"{name['en'][:1].upper()}{name['en'][1:]} is not answering just now, and the application "
                       f"cannot be sent without it. Your answers are saved: try again in a few minutes."})


def is_unavailable(answer: Any) -> bool:
    found = _answer(answer)
    return found is not None and found.status == UNAVAILABLE


def _answer(raw: Any) -> RegisterAnswer | None:
    if raw is None or isinstance(raw, RegisterAnswer):
        return raw
    if isinstance(raw, Mapping) and raw.get("status") in ("found", "not_found", "unavailable"):
        return RegisterAnswer(str(raw["status"]), raw.get("data"))
    return None
