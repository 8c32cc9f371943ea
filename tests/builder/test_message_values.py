"""Values inside messages: `{param.x}`, answers and computed values in a rule's message or
a field's pattern message, each formatted for the reader's language; misuses are problems
at their place, and braces that hold no value stay text (W402)."""
from __future__ import annotations

import pytest

from builder.engine import Context, evaluate

from .defs import TODAY, column_of, compile_problems, line_of, load, service

PARAMETERS = """
  fee: {type: money, default: "10.50"}
  days: {type: integer, default: 5}
  due: {type: date, default: 2026-03-01}"""
FIELDS = """
  name: {type: text, pattern: "^[A-Z]+$", pattern_message: {lv: "Tikai lielie burti, piemēram, {param.days}", en: "Capitals only, like {param.days}"}, label: {lv: Vārds, en: Name}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}"""
RULES = """
  - id: notice
    check: "name == 'AB'"
    message: {lv: "Vismaz {param.days} darbdienas, maksa {param.fee}, līdz {param.due} ({name})", en: "At least {param.days} working days, fee {param.fee}, by {param.due} ({name})"}
  - id: chip
    for_each: pets
    check: "size(item.chip) == 3"
    message: {lv: "Čips {item.chip}: {{3}} cipari", en: "Chip {item.chip}: {{3}} digits"}"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    text = service(parameters=PARAMETERS, fields=FIELDS, rules=RULES, tests=None)
    catalogue = load(tmp_path_factory.mktemp("messages"), services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = catalogue.effective("riga", "x")
    return lambda answers: evaluate(effective, answers, Context(TODAY))


def _message(outcome, key):
    return next(issue.message for issue in outcome.errors if issue.key == key)


def test_a_rule_message_shows_parameters_and_answers_formatted_per_language(run):
    message = _message(run({"name": "XY"}), "notice")
    assert message["lv"] == "Vismaz 5 darbdienas, maksa 10,50\xa0€, līdz 01.03.2026. (XY)"
    assert message["en"] == "At least 5 working days, fee €10.50, by 1 March 2026 (XY)"


def test_a_per_entry_rule_shows_the_entry_and_doubled_braces_are_braces(run):
    message = _message(run({"name": "AB", "pets": [{"chip": "12"}]}), "chip[0]")
    assert message["en"] == "Chip 12: {3} digits"


def test_a_pattern_message_shows_its_values(run):
    assert _message(run({"name": "ab"}), "name")["en"] == "Capitals only, like 5"


def test_an_unknown_name_in_a_message_is_an_error_at_its_place():
    rules = RULES.replace("({name})\"}", "({nam})\"}")
    text = service(parameters=PARAMETERS, fields=FIELDS, rules=rules, tests=None)
    _, problems = compile_problems(text)
    found = [p for p in problems if p.code == "E302"]
    assert len(found) == 1 and "Did you mean \"name\"" in found[0].message
    assert (found[0].line, found[0].column) == (line_of(text, "{nam}"), column_of(text, "{nam}") + 1)


def test_braces_without_a_value_stay_text_with_a_warning(tmp_path):
    rules = """
  - id: old
    check: "name == 'AB'"
    message: {lv: "Skatīt { zemāk }", en: "See { below }"}"""
    text = service(rules=rules, tests=None)
    _, problems = compile_problems(text)
    assert [p.code for p in problems] == ["W402"]
    catalogue = load(tmp_path, services={"x": text})
    outcome = evaluate(catalogue.effective("riga", "x"), {"name": "X"}, Context(TODAY))
    assert outcome.errors[0].message["en"] == "See { below }"
