"""Per-entry computed values: `computed` with `for_each: <repeat>` is evaluated for each entry,
read as `item.<name>` (rules, fee lines, other per-entry values, fields inside the repeat),
through macros as `t.<name>`, and as a list `<name>` at the top level; all type-checked."""
from __future__ import annotations

from decimal import Decimal

from builder.engine import Context, evaluate

from .defs import TODAY, codes, load, service

FIELDS = """
  name: {type: text, label: {lv: Vārds, en: Name}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}
      weight: {type: number, label: {lv: Svars, en: Weight}}
      vet: {type: text, required: false, when: "item.heavy", label: {lv: Vetārsts, en: Vet}}"""
PAGES = "\n  - {id: main, title: {lv: A, en: A}, fields: [name, pets]}"
COMPUTED = """
  heavy: {type: boolean, for_each: pets, expr: "item.weight >= 20"}
  rate: {type: money, for_each: pets, expr: "item.heavy ? param.fee * 2 : param.fee"}
  heavy_count: {type: integer, expr: "size(pets.filter(p, p.heavy))"}"""
FEES = """
  lines:
    - {id: pet, label: {lv: A, en: A}, for_each: pets, amount: item.rate}"""
RULES = """
  - {id: light_only, for_each: pets, severity: warning, check: "!item.heavy", message: {lv: A, en: A}}"""


def _catalogue(tmp_path, computed: str = COMPUTED, rules: str | None = RULES, fields: str = FIELDS):
    text = service(fields=fields, pages=PAGES, computed=computed, rules=rules, fees=FEES, tests=None)
    return load(tmp_path, services={"x": text})


def test_values_per_entry_reach_rules_fees_fields_and_the_top_level(tmp_path):
    catalogue = _catalogue(tmp_path)
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    answers = {"name": "A", "pets": [{"chip": "1", "weight": "25", "vet": "Dr"}, {"chip": "2", "weight": "5", "vet": "X"}]}
    outcome = evaluate(catalogue.effective("riga", "x"), answers, Context(TODAY))
    assert outcome.computed == {"heavy": [True, False], "rate": [Decimal("20.00"), Decimal("10.00")], "heavy_count": 1}
    assert [line.amount for line in outcome.fees.lines] == [Decimal("20.00"), Decimal("10.00")]
    assert [w.key for w in outcome.warnings] == ["light_only[0]"]
    assert outcome.values["pets"][1].get("vet") is None          # hidden: pets[1] is not heavy
    assert "heavy" not in outcome.values["pets"][0]             # computed values are not answers


def test_an_entry_value_is_typed(tmp_path):
    problems = _catalogue(tmp_path, rules="\n  - {id: r, for_each: pets, check: \"item.heavy + 1 > 0\", "
                                           "message: {lv: A, en: A}}").problems
    assert codes(problems.errors) == ["E305"]


def test_for_each_must_name_a_repeat(tmp_path):
    problems = _catalogue(tmp_path, computed="\n  heavy: {type: boolean, for_each: name, expr: \"true\"}",
                          rules=None).problems
    assert "E408" in codes(problems.errors)


def test_an_entry_value_may_not_shadow_a_member_of_its_repeat(tmp_path):
    problems = _catalogue(tmp_path, computed=COMPUTED + "\n  chip: {type: text, for_each: pets, expr: \"'x'\"}").problems
    assert codes(problems.errors) == ["E401"]


def test_entry_values_in_a_cycle_are_reported(tmp_path):
    computed = ('\n  a: {type: integer, for_each: pets, expr: "item.b + 1"}'
                '\n  b: {type: integer, for_each: pets, expr: "item.a + 1"}')
    problems = _catalogue(tmp_path, computed=computed, rules=None).problems
    assert "E503" in codes(problems.errors)


def test_an_entry_value_is_unknown_outside_its_repeat_entries(tmp_path):
    problems = _catalogue(tmp_path, computed=COMPUTED + '\n  wrong: {type: boolean, expr: "heavy"}', rules=None).problems
    assert codes(problems.errors) == ["E306"]                     # heavy is a list at the top level


def test_a_page_shows_per_entry_values_too(tmp_path):
    """Issue 10 item 6: a page's `show` may list a per-entry value (shown once per entry);
    before, that was E402."""
    text = service(fields=FIELDS, computed=COMPUTED, fees=FEES, tests=None,
                   pages=PAGES.replace("fields: [name, pets]}", "fields: [name, pets], show: [heavy_count, heavy]}"))
    problems = load(tmp_path, services={"x": text}).problems
    assert codes(problems.errors) == []
