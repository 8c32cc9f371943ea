"""A repeat nobody has answered yet is null, also when per-entry computed values are
declared over it: checks over it must not fire on the first page of a form."""
import datetime

from builder.engine import Context, evaluate
from builder.overlay import bind

from .defs import load, service

SECTIONS = dict(
    fields="""
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}""",
    computed="""
  has_chip: {type: boolean, for_each: pets, expr: "item.chip != null"}""",
    pages="""
  - {id: main, title: {lv: Galvenā, en: Main}, fields: [pets]}""",
    rules="""
  - id: some_chip
    severity: stop
    check: "pets.exists(p, p.has_chip)"
    message: {lv: Nav čipa, en: No chip}""",
    tests=None,
)


def _outcome(tmp_path, answers):
    catalogue = load(tmp_path, services={"x": service(**SECTIONS)})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = bind(catalogue.services["x"], catalogue.municipalities["riga"])
    return evaluate(effective, answers, Context(today=datetime.date(2026, 1, 15)))


def test_unanswered_repeat_keeps_per_entry_values_null_and_the_stop_rule_quiet(tmp_path):
    outcome = _outcome(tmp_path, {})
    assert outcome.stop is None
    assert outcome.computed["has_chip"] is None


def test_the_stop_rule_fires_once_entries_are_given(tmp_path):
    outcome = _outcome(tmp_path, {"pets": [{"chip": None}]})
    assert outcome.stop is not None and outcome.stop.rule == "some_chip"
    assert outcome.computed["has_chip"] == [False]
