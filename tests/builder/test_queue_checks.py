"""The `queue` block's references are checked at build time (docs/language.md, "queue")."""
from __future__ import annotations

import pytest

from builder.compiler import compile_text
from builder.problems import Problems

SERVICE = """
format: 1
service: {id: x, code: XX, version: 1.0.0, title: {lv: P, en: S}}
fields:
  district: {type: choice, choices: districts, label: {lv: R, en: D}}
  areas: {type: multi_choice, choices: districts, label: {lv: R, en: A}}
  owner: {type: group, label: {lv: Ī, en: O}, fields: {surname: {type: text, label: {lv: U, en: S}}}}
  places:
    type: repeat
    label: {lv: V, en: P}
    fields:
      place: {type: choice, choices: districts, label: {lv: V, en: P}}
      score: {type: number, label: {lv: P, en: S}}
  others:
    type: repeat
    label: {lv: C, en: O}
    fields: {note: {type: text, label: {lv: P, en: N}}}
choices:
  districts: [{value: a, label: {lv: A, en: A}}]
computed:
  points: {type: integer, expr: "size(places)"}
pages:
  - {id: main, title: {lv: G, en: M}, fields: [district, areas, owner, places, others]}
process:
  initial: submitted
  states: {submitted: {label: {lv: I, en: S}}, done: {label: {lv: G, en: D}, final: true}}
  transitions: [{from: submitted, to: done, by: [clerk]}]
queue:
"""


def problems_of(queue: str) -> list[tuple[str, str]]:
    problems = Problems()
    compile_text(SERVICE + queue, "x.yaml", problems)
    return [(p.code, p.message) for p in problems.errors]


@pytest.mark.parametrize("queue", [
    "  {partition_by: places.place, order_by: [-points, places.score, owner.surname, submitted_at], active_states: [submitted]}",
    "  {partition_by: areas, order_by: [submitted_at], active_states: [submitted]}",
    "  {partition_by: district, order_by: [-submitted_at], active_states: [submitted]}",
    "  {order_by: [points], active_states: [submitted]}",
])
def test_valid_queues(queue):
    assert problems_of(queue) == []


@pytest.mark.parametrize(("queue", "code", "says"), [
    ("  {partition_by: places.plac, order_by: [submitted_at], active_states: [submitted]}", "E402", 'Did you mean "places.place"'),
    ("  {partition_by: owner, order_by: [submitted_at], active_states: [submitted]}", "E402", "group field"),
    ("  {partition_by: places, order_by: [submitted_at], active_states: [submitted]}", "E402", "repeat field"),
    ("  {order_by: [pionts], active_states: [submitted]}", "E402", 'Did you mean "points"'),
    ("  {order_by: [areas], active_states: [submitted]}", "E402", "multi_choice field"),
    ("  {partition_by: district, order_by: [places.score], active_states: [submitted]}", "E402", "passes through a repeat"),
    ("  {partition_by: places.place, order_by: [others.note], active_states: [submitted]}", "E402", "passes through a repeat"),
    ("  {order_by: [submitted_at], active_states: [submited]}", "E405", 'Did you mean "submitted"'),
])
def test_bad_references_are_reported(queue, code, says):
    found = problems_of(queue)
    assert [c for c, _ in found] == [code], found
    assert says in found[0][1]


def test_a_descending_key_needs_a_name():
    found = problems_of("  {order_by: ['--points'], active_states: [submitted]}")
    assert found and found[0][0].startswith("E2")
