"""String functions in expressions, and a field's `normalise`: `ab-1234`, `AB1234` and
`AB 1234` are one vehicle once normalised, for checks, rules and what is stored."""
from __future__ import annotations

import pytest

from builder.engine import Context, evaluate, to_json
from builder.expressions import EvaluationError, compile_expression, types as T

from .defs import TODAY, codes, compile_problems, load, service


@pytest.mark.parametrize("source, expected", [
    ("upper(s)", "  AB-1234 Ā "), ("s.lower()", "  ab-1234 ā "), ("trim(s)", "aB-1234 ā"),
    ("replace(s, '-', '')", "  aB1234 ā "), ("substring(trim(s), 0, 2)", "aB"), ("s.trim().substring(3)", "1234 ā"),
    ("substring('A', 0, 5)", "A"),
])
def test_string_functions(source, expected):
    assert compile_expression(source, {"s": T.STRING}).evaluate({"s": "  aB-1234 ā "}, TODAY) == expected


@pytest.mark.parametrize("source", ["substring(s, 2, 1)", "substring(s, -1)", "replace(s, '', 'x')"])
def test_impossible_string_operations_are_evaluation_errors(source):
    with pytest.raises(EvaluationError):
        compile_expression(source, {"s": T.STRING}).evaluate({"s": "abc"}, TODAY)


VEHICLE = """
  plate:
    type: text
    normalise: "upper(replace(replace(value, '-', ''), ' ', ''))"
    pattern: "^[A-Z]{1,3}[0-9]{1,4}$"
    label: {lv: Numurs, en: Plate}
  second: {type: text, required: false, normalise: "upper(replace(value, '-', ''))", label: {lv: Otrs, en: Second}}"""
RULE = """
  - id: two_vehicles
    when: "second != null"
    check: "second != plate"
    message: {lv: Divi dažādi numuri, en: Two different plates}"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    text = service(fields=VEHICLE, pages="\n  - {id: main, title: {lv: G, en: M}, fields: [plate, second]}",
                   rules=RULE, tests=None)
    catalogue = load(tmp_path_factory.mktemp("strings"), services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = catalogue.effective("riga", "x")
    return lambda answers: evaluate(effective, answers, Context(TODAY))


@pytest.mark.parametrize("typed", ["ab-1234", "AB1234", "AB-1234", " ab 1234 "])
def test_every_spelling_of_a_plate_is_one_answer(run, typed):
    outcome = run({"plate": typed})
    assert outcome.valid and to_json(outcome.values) == {"plate": "AB1234"}


def test_rules_compare_normalised_answers(run):
    assert [issue.key for issue in run({"plate": "ab-1234", "second": "AB1234"}).errors] == ["two_vehicles"]


def test_a_normalisation_that_is_not_text_is_an_error_at_its_place():
    text = service(fields=VEHICLE.replace('normalise: "upper(replace(value, \'-\', \'\'))"', 'normalise: "size(value)"'))
    _, problems = compile_problems(text)
    (problem,) = [p for p in problems if p.code == "E306"]
    assert problem.line == text.splitlines().index(next(l for l in text.splitlines() if "size(value)" in l)) + 1


def test_normalise_is_only_for_text():
    text = service(fields='\n  name: {type: number, normalise: "value", label: {lv: A, en: A}}')
    _, problems = compile_problems(text)
    assert "E207" in codes(problems) or "E202" in codes(problems)
