"""Semantic checks that JSON Schema cannot express: ids, references, page coverage,
cycles, process reachability. Each reports a coded problem at the offending node."""
from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

from .expressions import EvaluationError
from .model import Computed, Field, Process
from .problems import did_you_mean
from .scope import RESERVED
from .unit import Unit, dotted


def check_names(unit: Unit) -> None:
    fields = unit.get(("fields",), {})
    for name, spec in unit.get(("computed",), {}).items():
        repeat = spec.get("for_each") if isinstance(spec, Mapping) else None
        members = (fields.get(repeat) or {}).get("fields") or {} if isinstance(repeat, str) else {}
        if name in fields or name in members:
            where = f"a field of {repeat}" if name in members else "a field"
            unit.report("E401", f'computed value "{name}" has the name of {where}; rename one',
                        ("computed", name))
    for section in ("fields", "computed", "parameters"):
        for name in unit.get((section,), {}):
            if name in RESERVED:
                unit.report("E401", f'"{name}" is a reserved name in expressions; choose another',
                            (section, name))
    for section in ("pages", "rules"):
        _unique_ids(unit, (section,), unit.get((section,), []))
    lines = unit.get(("fees", "lines"), [])
    _unique_ids(unit, ("fees", "lines"), lines)
    for index, line in enumerate(lines):
        for part in ("reductions", "exemptions"):
            _unique_ids(unit, ("fees", "lines", index, part), line.get(part, []))


def _unique_ids(unit: Unit, path: tuple, items: list) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        ident = item.get("id") if isinstance(item, Mapping) else None
        if ident is None:
            continue
        if ident in seen:
            unit.report("E401", f'{dotted(path)}: the id "{ident}" is used twice (also at item '
                                f'{seen[ident] + 1}); ids must be unique', path + (index, "id"))
        seen.setdefault(ident, index)


def check_pages(unit: Unit) -> None:
    fields = list(unit.get(("fields",), {}))
    placed: Counter[str] = Counter()
    for index, page in enumerate(unit.get(("pages",), [])):
        for position, name in enumerate(page.get("fields", [])):
            where = ("pages", index, "fields", position)
            if name not in fields:
                unit.report("E402", f'page "{page["id"]}" names field "{name}", which is not a '
                                    f'top-level field.{did_you_mean(name, fields)}', where)
            elif placed[name]:
                unit.report("E502", f'field "{name}" is already on another page; put each field '
                                    f'on one page', where)
            placed[name] += 1
        computed = list(unit.get(("computed",), {}))
        for position, name in enumerate(page.get("show", [])):
            if name not in computed:
                unit.report("E402", f'page "{page["id"]}" shows "{name}", which is not a computed '
                                    f'value.{did_you_mean(name, computed)}', ("pages", index, "show", position))
    for name in fields:
        if not placed[name]:
            unit.report("E501", f'field "{name}" is on no page; add it to a page\'s `fields`',
                        ("fields", name))


def check_for_each(unit: Unit) -> None:
    repeats = [name for name, spec in unit.get(("fields",), {}).items() if spec.get("type") == "repeat"]
    places = [("rules", i) for i in range(len(unit.get(("rules",), [])))]
    places += [("computed", name) for name in unit.get(("computed",), {})]
    places += [("fees", "lines", i) for i in range(len(unit.get(("fees", "lines"), [])))]
    for path in places:
        target = unit.get(path + ("for_each",))
        if target is not None and target not in repeats:
            unit.report("E408", f'{dotted(path)}.for_each: "{target}" is not a top-level repeat field.'
                                f'{did_you_mean(str(target), repeats)}', path + ("for_each",))


def check_rule_fields(unit: Unit, index: Mapping[str, Field]) -> None:
    for number, rule in enumerate(unit.get(("rules",), [])):
        for position, path in enumerate(rule.get("fields", [])):
            if path not in index:
                unit.report("E402", f'rule "{rule["id"]}" points at field "{path}", which does not '
                                    f'exist.{did_you_mean(path, index)}', ("rules", number, "fields", position))


def check_bounds(unit: Unit, fields: Iterable[Field]) -> None:
    for field in fields:
        pairs = [(field.min_items, field.max_items, "min", "max"),
                 (field.min_length, field.max_length, "min_length", "max_length")]
        for low, high, low_key, _ in pairs:
            if low is not None and high is not None and low > high:
                unit.report("E505", f'field "{field.path}": {low_key} {low} is above the maximum {high}',
                            _field_node(field.path) + (low_key,))


def _field_node(path: str) -> tuple:
    node: tuple = ()
    for part in path.split("."):
        node += ("fields", part)
    return node


def computed_order(unit: Unit, computed: Mapping[str, Computed]) -> tuple[Computed, ...]:
    """Computed values in an order where each comes after those it uses; a cycle is E503."""
    order: list[Computed] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = trail[trail.index(name):] + [name]
            unit.report("E503", "computed values form a cycle: " + " -> ".join(cycle) +
                        "; break it by computing one from answers only", ("computed", name))
            return
        state[name] = "active"
        for used in sorted(_uses(computed[name], computed)):
            visit(used, trail + [name])
        state[name] = "done"
        order.append(computed[name])

    for name in computed:
        visit(name, [])
    return tuple(order)


def check_templates(unit: Unit, documents: Mapping, folder: Path) -> None:
    """E412: each document's template is a file in the definitions' templates folder."""
    present = sorted(p.name for p in folder.glob("*.html")) if folder.is_dir() else []
    for name, document in documents.items():
        candidate = folder / document.template
        inside = candidate.resolve().is_relative_to(folder.resolve())
        if not (inside and candidate.is_file()):
            unit.report("E412", f'document "{name}": template "{document.template}" is not in {folder}.'
                                f'{did_you_mean(document.template, present)}', ("documents", name, "template"))


def _uses(value: Computed, computed: Mapping[str, Computed]) -> set[str]:
    """The computed values `value` reads: by name, or a per-entry one as a member of an
    entry (`item.<name>` in a per-entry value, `<repeat>.<name>` through a macro variable)."""
    used = set(value.expr.names & computed.keys())
    for path in value.expr.paths:
        head, _, rest = path.partition(".")
        member = rest.split(".")[0]
        repeat = value.for_each if head == "item" else head
        if member in computed and computed[member].for_each == repeat:
            used.add(member)
    return used


def check_process(unit: Unit, process: Process | None, documents: Mapping) -> None:
    if process is None:
        return
    states = process.states
    if process.initial not in states:
        unit.report("E405", f'process.initial: no state "{process.initial}".'
                            f'{did_you_mean(process.initial, states)}', ("process", "initial"))
    for index, transition in enumerate(process.transitions):
        for key, target in (("from", transition.source), ("to", transition.target)):
            if target not in states:
                unit.report("E405", f'process.transitions[{index}].{key}: no state "{target}".'
                                    f'{did_you_mean(target, states)}', ("process", "transitions", index, key))
    _check_information_requests(unit, process)
    for name, state in states.items():
        if state.result is not None and state.result not in documents:
            unit.report("E406", f'state "{name}" has result "{state.result}", which is not in '
                                f'`documents`.{did_you_mean(state.result, documents)}',
                        ("process", "states", name, "result"))
    _check_reachability(unit, process)


def _check_information_requests(unit: Unit, process: Process) -> None:
    """Its states exist (E405); the waiting state is neither final nor a state it is asked
    from (E506): the case must come back from it to where it was."""
    asking = process.information_requests
    if asking is None:
        return
    where = ("process", "information_requests")
    named = [("waiting", None, asking.waiting)] + [("from", index, name) for index, name in enumerate(asking.sources)]
    for key, index, name in named:
        if name not in process.states:
            path = where + ((key,) if index is None else (key, index))
            unit.report("E405", f'process.information_requests.{key}: no state "{name}".'
                                f'{did_you_mean(name, process.states)}', path if unit.get(path) is not None else where)
    waiting = process.states.get(asking.waiting)
    if waiting is not None and (waiting.final or asking.waiting in asking.sources):
        why = "is final" if waiting.final else "is also a state it is asked from"
        unit.report("E506", f'process.information_requests.waiting: "{asking.waiting}" {why}; the case waits '
                            f'there for the answer and then returns to the state it was asked from',
                    where + ("waiting",))


def _check_reachability(unit: Unit, process: Process) -> None:
    reached, frontier = {process.initial}, [process.initial]
    while frontier:
        for target in process.next_states(frontier.pop()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    for name, state in process.states.items():
        if process.initial in process.states and name not in reached:
            unit.report("E504", f'state "{name}" cannot be reached from "{process.initial}"; add a '
                                f'transition to it or remove it', ("process", "states", name))
        elif not state.final and not process.next_states(name):
            unit.report("W502", f'state "{name}" is not final and has no transition out; a case '
                                f'would stay there forever', ("process", "states", name))


def check_tests(unit: Unit, service) -> None:
    """Test cases must speak of things the service has (E702, E703)."""
    fields = {f.name for f in service.fields}
    lookups = {lookup.name for lookup in service.lookups}     # a register that does not answer
    known = {"errors": {r.id for r in service.rules} | set(service.field_index) | _document_rules(service) | lookups,
             "warnings": {r.id for r in service.rules} | lookups, "stop": {r.id for r in service.rules},
             "pages": {p.id for p in service.pages}, "fee_lines": {line.id for line in service.fees.lines},
             "computed": {c.name for c in service.computed}}
    for index, case in enumerate(service.tests):
        for name in case.answers:
            if name not in fields:
                unit.report("E702", f'test "{case.name}": answers name "{name}", which is not a top-level '
                                    f'field.{did_you_mean(name, fields)}', ("tests", index, "answers", name))
        for key, names in known.items():
            for name in _expected_names(case.expect.get(key)):
                if _strip(name) not in names:
                    unit.report("E703", f'test "{case.name}": expect.{key} names "{name}", which this service '
                                        f'does not have.{did_you_mean(name, names)}', ("tests", index, "expect", key))


def _document_rules(service) -> set[str]:
    """The rule ids the document readers of the service's file fields may report."""
    from .documents import reader
    found = (reader(f.document) for f in service.field_index.values() if f.document)
    return {rule for r in found if r is not None for rule in r.rules}


def _expected_names(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        return list(value)
    if isinstance(value, list):
        return [str(v["id"]) if isinstance(v, Mapping) else str(v) for v in value]
    return [str(value)]


def _strip(name: str) -> str:
    return re.sub(r"\[\d+\]", "", name)


def check_pages_shown(unit: Unit, service) -> None:
    """W501: a page whose condition uses no answer and is false can never be shown."""
    for index, page in enumerate(service.pages):
        if page.when is None or page.when.names:
            continue
        try:
            shown = page.when.evaluate({}, datetime.date.today())
        except EvaluationError:
            continue
        if shown is False:
            unit.report("W501", f'page "{page.id}" can never be shown: its condition is always false',
                        ("pages", index, "when"))
