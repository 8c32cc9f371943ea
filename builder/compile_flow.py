"""Compile what happens after submission: routing, process, documents, queue; and the
definition's own test cases."""
from __future__ import annotations

from .expressions import types as T
from .model import Document, Process, Queue, RouteRule, Routing, State, TestCase, Transition, frozen_map
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
                    bool(state.get("final", False)), state.get("result"))
        for name, state in spec.get("states", {}).items()
    }
    transitions = tuple(
        Transition(t["from"], t["to"], tuple(t.get("by", ())),
                   unit.text(("process", "transitions", index, "label")))
        for index, t in enumerate(spec.get("transitions", [])))
    return Process(spec["initial"], frozen_map(states), transitions,
                   unit.expr(("process", "deadline_days"), T.NUMBER))


def compile_documents(unit: Unit) -> dict[str, Document]:
    return {
        name: Document(name, unit.text(("documents", name, "title"), fallback=name), spec["template"],
                       tuple(spec.get("deliver", ("download",))))
        for name, spec in unit.get(("documents",), {}).items()
    }


def compile_queue(unit: Unit) -> Queue | None:
    spec = unit.get(("queue",))
    if spec is None:
        return None
    return Queue(spec["partition_by"], tuple(spec.get("order_by", ())), tuple(spec.get("active_states", ())))


def compile_tests(unit: Unit) -> tuple[TestCase, ...]:
    cases = []
    for index, spec in enumerate(unit.get(("tests",), [])):
        line, _ = unit.doc.where(("tests", index))
        cases.append(TestCase(spec["name"], frozen_map(spec.get("context")), spec.get("answers") or {},
                              frozen_map(spec.get("expect")), line))
    return tuple(cases)

