"""Hints that say what went wrong in the author's terms: an unquoted comma in a flow map,
and a whole number where one is needed."""
from __future__ import annotations

from .defs import column_of, compile_problems, line_of, service


def test_an_unquoted_comma_in_a_flow_map_says_that_quotes_fix_it():
    text = service(fields="\n  ok: {type: yes_no, label: {lv: Apliecinu, ka ziņas ir patiesas, en: I confirm}}",
                   pages="\n  - {id: main, title: {lv: G, en: M}, fields: [ok]}")
    (problem,) = [p for p in compile_problems(text)[1] if p.code == "E202"]
    assert "A comma inside `{...}` ends the value" in problem.message and "quotes" in problem.message
    assert (problem.line, problem.column) == (line_of(text, "ka ziņas"), column_of(text, "ka ziņas"))


def test_a_misspelt_key_still_gets_did_you_mean():
    text = service(fields="\n  name: {type: text, lable: {lv: A, en: A}}")
    (problem,) = [p for p in compile_problems(text)[1] if p.code == "E202"]
    assert "Did you mean" in problem.message and "comma" not in problem.message


def test_a_whole_number_hint_where_an_int_is_needed():
    (problem,) = compile_problems(service(computed='\n  n: {type: integer, expr: "1.5"}'))[1]
    assert problem.code == "E306" and "whole number" in problem.message and "amount" not in problem.message
