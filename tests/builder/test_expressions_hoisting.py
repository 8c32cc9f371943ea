"""Loop-invariant parts of per-entry expressions (builder/expressions/hoisting.py): inside
`for_each` a part that reads neither `item` nor `index` is worked out once per loop, and
evaluating with or without the per-loop cache gives the same results."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.engine import Context, evaluate
from builder.expressions import compile_expression, types as T
from builder.expressions.hoisting import HOISTED

from .defs import TODAY, load, service

DOG = T.ObjectType({"chip": T.STRING, "age": T.INT}, "dog")
SCOPE = {"dogs": T.ListType(DOG), "item": DOG, "index": T.INT, "limit": T.INT}
DOGS = [{"chip": "a", "age": 3}, {"chip": "b", "age": 12}, {"chip": "a", "age": 1}, {"chip": None, "age": 5}]
EXPRESSIONS = [
    "tally(dogs.map(d, d.chip))[item.chip] == 1",
    "size(dogs.filter(d, d.chip == item.chip)) == 1",
    "item.age < max(dogs.map(d, d.age))",
    "dogs.exists(d, size(dogs.filter(e, e.chip == d.chip)) > 1) && index > 0",
    "dogs.filter(d, d.age > item.age).map(d, d.age + index)",
    "size(dogs) + limit > index",
]


def _per_entry(source: str, cache: dict | None) -> list:
    expression = compile_expression(source, SCOPE)
    results = []
    for index, entry in enumerate(DOGS):
        variables = {"dogs": DOGS, "item": entry, "index": index, "limit": 2}
        if cache is not None:
            variables[HOISTED] = cache
        try:
            results.append(expression.evaluate(variables, TODAY))
        except Exception as exc:            # the same error either way counts as the same result
            results.append(type(exc).__name__)
    return results


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_the_per_loop_cache_changes_no_result(source):
    assert _per_entry(source, {}) == _per_entry(source, None)


def test_the_invariant_part_is_worked_out_once_per_loop():
    cache: dict = {}
    assert _per_entry("tally(dogs.map(d, d.chip))[item.chip] == 1", cache) == [False, True, False, "MissingValue"]
    assert list(cache.values()) == [{"a": 2, "b": 1, None: 1}]


def test_a_part_that_reads_the_entry_or_a_macro_variable_stays_per_entry():
    cache: dict = {}
    _per_entry("size(dogs.filter(d, d.chip == item.chip)) == 1", cache)
    assert cache == {}                   # the filter reads item.chip: nothing to keep
    _per_entry("dogs.map(d, size(dogs.filter(e, e.age < d.age)))[index] >= 0", cache)
    assert list(cache.values()) == [[1, 3, 0, 2]]    # the whole map, not its inner filter alone


def test_outside_for_each_nothing_is_hoisted():
    expression = compile_expression("tally(xs)", {"xs": T.ListType(T.STRING)})
    cache: dict = {}
    assert expression.evaluate({"xs": ["x", "y", "x"], HOISTED: cache}, TODAY) == {"x": 2, "y": 1}
    assert cache == {}


def test_tally_counts_strings_whole_numbers_and_dates():
    scope = {"s": T.ListType(T.STRING), "n": T.ListType(T.INT), "d": T.ListType(T.DATE)}
    day = dt.date(2026, 1, 1)
    assert compile_expression("tally(s)", scope).evaluate({"s": ["x", "x", "y"]}, TODAY) == {"x": 2, "y": 1}
    assert compile_expression("tally(n)[3]", scope).evaluate({"n": [3, 1, 3, 3]}, TODAY) == 3
    assert compile_expression("tally(d)", scope).evaluate({"d": [day, day]}, TODAY) == {day: 2}
    assert compile_expression("size(tally(s))", scope).evaluate({"s": []}, TODAY) == 0


FIELDS = """
  pets:
    type: repeat
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}"""
PAGES = "\n  - {id: main, title: {lv: A, en: A}, fields: [pets]}"
RULES = """
  - {id: chip_unique, for_each: pets, when: "item.chip != null", check: "tally(pets.map(p, p.chip))[item.chip] == 1",
     message: {lv: "Čips {item.chip} jau ir", en: "Chip {item.chip} is already listed"}, fields: [pets.chip]}"""
COMPUTED = """
  twins: {type: integer, for_each: pets, expr: "tally(pets.map(p, p.chip))[item.chip]"}"""


def test_a_uniqueness_rule_and_a_per_entry_value_through_the_engine(tmp_path):
    text = service(fields=FIELDS, pages=PAGES, rules=RULES, computed=COMPUTED, fees=None, tests=None)
    effective = load(tmp_path, services={"x": text}).effective("riga", "x")
    answers = {"pets": [{"chip": "111"}, {"chip": "222"}, {"chip": "111"}]}
    outcome = evaluate(effective, answers, Context(today=TODAY))
    assert sorted(issue.key for issue in outcome.errors) == ["chip_unique[0]", "chip_unique[2]"]
    assert outcome.scope["twins"] == [2, 1, 2]
