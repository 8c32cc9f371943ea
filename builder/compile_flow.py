"""Compile what happens after submission: routing, process, documents, queue; and the
definition's own test cases."""
from __future__ import annotations

from .expressions import types as T
from .model import (CONTINUES, Document, InformationRequests, Process, Queue, RouteRule, Routing, State, TestCase,
                    Transition, frozen_map)
from .problems import did_you_mean
from .unit import Unit


def compile_routing(unit: Unit) -> Routing | None:
    spec = unit.get(("routing",))
    if spec is None:
        return None
    scope = {**unit.scope, "fee_total": T.NUMBER}
    rules = []
    for index, rule in enumerate(spec.get("rules", [])):
        when = unit.expr(("routing", "rules", index, "when"), T.BOOL, scope)
        if when is not None:
            rules.append(RouteRule(rule["to"], when))
    return Routing(spec["to"], tuple(rules), unit.expr(("routing", "institution"), T.STRING, scope))


def compile_process(unit: Unit) -> Process | None:
    spec = unit.get(("process",))
    if spec is None:
        return None
    states = {
        name: State(name, unit.text(("process", "states", name, "label"), fallback=name),
                    bool(state.get("final", False)), state.get("result"), state.get("national_status"))
        for name, state in spec.get("states", {}).items()
    }
    transitions = tuple(
        Transition(t["from"], t["to"], tuple(t.get("by", ())),
                   unit.text(("process", "transitions", index, "label")), tuple(t.get("requires", ())))
        for index, t in enumerate(spec.get("transitions", [])))
    return Process(spec["initial"], frozen_map(states), transitions,
                   unit.expr(("process", "deadline_days"), T.NUMBER),
                   _information_requests(spec.get("information_requests"), states))


def _information_requests(spec: dict | None, states: dict[str, State]) -> InformationRequests | None:
    if spec is None:
        return None
    waiting = spec["waiting"]
    sources = spec.get("from") or [name for name, state in states.items() if not state.final and name != waiting]
    return InformationRequests(tuple(sources), waiting, tuple(spec.get("by", ("clerk",))),
                               spec.get("deadline", CONTINUES), spec.get("answer_days"))


def compile_documents(unit: Unit) -> dict[str, Document]:
    return {
        name: Document(name, unit.text(("documents", name, "title"), fallback=name), spec["template"],
                       tuple(spec.get("deliver", ("download",))))
        for name, spec in unit.get(("documents",), {}).items()
    }


def compile_queue(unit: Unit) -> Queue | None:
    """The queue, its references checked: `partition_by` a field (through at most one
    repeat), each `order_by` key (`-` = descending) `submitted_at`, a computed value or a
    field outside repeats (or inside the partition's repeat), `active_states` process states."""
    spec = unit.get(("queue",))
    if spec is None:
        return None
    partition = spec.get("partition_by")
    repeat = None
    if partition is not None:
        repeat = _queue_field(unit, partition, ("queue", "partition_by"), None)
    computed = {name: c for name, c in unit.get(("computed",), {}).items() if not c.get("for_each")}
    for index, key in enumerate(spec.get("order_by", ())):
        name = key[1:] if key.startswith("-") else key
        if name != "submitted_at" and name not in computed:
            _queue_field(unit, name, ("queue", "order_by", index), repeat or "", (*computed, "submitted_at"))
    states = unit.get(("process", "states"), {})
    for index, state in enumerate(spec.get("active_states", ())):
        if state not in states:
            unit.report("E405", f'queue.active_states: no process state "{state}".'
                                f'{did_you_mean(state, states)}', ("queue", "active_states", index))
    return Queue(partition, tuple(spec.get("order_by", ())), tuple(spec.get("active_states", ())))


QUEUE_KEY_TYPES = {"group", "repeat", "file"}


def _queue_field(unit: Unit, path: str, where: tuple, partition_repeat: str | None,
                 other_names: tuple[str, ...] = ()) -> str | None:
    """Check that `path` names a single-valued field (or a multi_choice, for a partition);
    return the repeat it passes through, if any. `partition_repeat` is None when checking
    the partition itself, else the repeat an order key may pass through ("" for none)."""
    node: dict = unit.get(("fields",), {})
    spec: dict | None = None
    repeat, walked = None, []
    for part in path.split("."):
        spec = node.get(part) if isinstance(node, dict) else None
        walked.append(part)
        if spec is None:
            known = [".".join(walked[:-1] + [name]) for name in (node or {})]
            known += list(other_names) if len(walked) == 1 else []
            what = "a field, a computed value or submitted_at" if partition_repeat is not None else "a field"
            unit.report("E402", f'queue: "{path}" is not {what}.{did_you_mean(".".join(walked), known)}', where)
            return None
        if spec.get("type") == "repeat" and len(walked) < len(path.split(".")):
            if repeat is not None or (partition_repeat is not None and partition_repeat != ".".join(walked)):
                unit.report("E402", f'queue: "{path}" passes through a repeat; a queue key may pass only '
                                    f'through the repeat of `partition_by`', where)
                return None
            repeat = ".".join(walked)
        node = spec.get("fields", {})
    kind = spec.get("type") if spec else None
    if kind in QUEUE_KEY_TYPES or (kind == "multi_choice" and partition_repeat is not None):
        unit.report("E402", f'queue: "{path}" is a {kind} field; a queue key must be a single value'
                            f'{" (a partition may also be a multi_choice)" if partition_repeat is None else ""}',
                    where)
    return repeat


def compile_tests(unit: Unit) -> tuple[TestCase, ...]:
    cases = []
    for index, spec in enumerate(unit.get(("tests",), [])):
        line, _ = unit.doc.where(("tests", index))
        cases.append(TestCase(spec["name"], frozen_map(spec.get("context")), spec.get("answers") or {},
                              frozen_map(spec.get("expect")), line))
    return tuple(cases)

