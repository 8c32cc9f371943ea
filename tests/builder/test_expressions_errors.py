"""Build-time problems: each code with its exact position, did-you-mean, all collected."""
from __future__ import annotations

import pytest

from builder.expressions import ExpressionError, compile_expression, types as T

SCOPE = {
    "owner": T.ObjectType({"surname": T.STRING, "pensioner": T.BOOL}, "owner"),
    "dogs": T.ListType(T.ObjectType({"chip": T.STRING}, "dog")),
    "param": T.ObjectType({"annual_fee": T.NUMBER, "table": T.MapType(T.STRING, T.NUMBER)}, "param"),
    "day": T.DATE, "name": T.STRING, "n": T.INT, "flag": T.BOOL,
}


def problems(source: str, expect=None):
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, SCOPE, expect)
    return info.value.problems


def only(source: str, expect=None):
    found = problems(source, expect)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("source, code, line, column", [
    ("1 +", "E301", 1, 3),
    ("(1 + 2", "E301", 1, 6),
    ("a ** b", "E301", 1, 4),
    ("'abc", "E301", 1, 1),
    ("1 + #", "E301", 1, 5),
    ("Foo{a: 1}", "E301", 1, 4),
    ("b'x'", "E301", 1, 1),
    ("   ", "E301", 1, 1),
    ("owner.pensioner &&\n  nope", "E302", 2, 3),
    ("n + nmae", "E302", 1, 5),
    ("owner.surnam", "E303", 1, 7),
    ("dogs[0].chp", "E303", 1, 9),
    ("name.length", "E303", 1, 6),
    ("todya()", "E304", 1, 1),
    ("age(name)", "E304", 1, 1),
    ("age(day, day, day)", "E304", 1, 1),
    ("name.startswith('a')", "E304", 1, 6),
    ("matches(name, '[a-')", "E304", 1, 15),
    ("name.matches('(')", "E304", 1, 14),
    ("date('2026-13-01')", "E304", 1, 6),
    ("date('1.2.2026')", "E304", 1, 6),
    ("dogs.all(1, true)", "E304", 1, 6),
    ("has(owner)", "E304", 1, 1),
    ("day - day", "E305", 1, 5),
    ("name + 1", "E305", 1, 6),
    ("n < 'a'", "E305", 1, 3),
    ("flag && n", "E305", 1, 6),
    ("!n", "E305", 1, 1),
    ("-name", "E305", 1, 1),
    ("flag ? 1 : 'a'", "E305", 1, 6),
    ("n ? 1 : 2", "E305", 1, 3),
    ("dogs['x']", "E305", 1, 5),
    ("n in name", "E305", 1, 3),
    ("1 + null", "E305", 1, 3),
    ("dogs.exists(d, d.chip)", "E305", 1, 18),
    ("n.all(x, true)", "E305", 1, 3),
    ("n == 'a'", "E305", 1, 3),
])
def test_each_code_with_position(source, code, line, column):
    problem = only(source)
    assert (problem.code, problem.line, problem.column) == (code, line, column), problem.message


@pytest.mark.parametrize("source, expect, column", [
    ("n + 1", T.BOOL, 1), ("  name", T.NUMBER, 3), ("param.annual_fee", T.INT, 1), ("flag", T.STRING, 1),
])
def test_result_type_mismatch_is_E306(source, expect, column):
    problem = only(source, expect)
    assert (problem.code, problem.column) == ("E306", column)
    assert str(expect) in problem.message


@pytest.mark.parametrize("source, suggestion", [
    ("nmae", 'Did you mean "name"?'), ("owner.surnme", 'Did you mean "surname"?'),
    ("todai()", 'Did you mean "today"?'), ("name.startswth('a')", 'Did you mean "startsWith"?'),
    ("dogs.exist(d, true)", 'Did you mean "exists"?'),
])
def test_did_you_mean(source, suggestion):
    assert only(source).message.endswith(suggestion)


def test_messages_say_what_and_how():
    assert "it has: pensioner, surname" in only("owner.x").message
    assert "expected age(date) -> int or age(date, date) -> int" in only("age(name)").message
    assert "days_between" in only("day - day").message
    assert "call it as today()" in only("today + 1").message
    assert "write x.startsWith" in only("startsWith(name, 'a')").message


def test_all_problems_are_collected_in_order():
    found = problems("nope + owner.x + todya() + (day - day)")
    assert [(p.code, p.column) for p in found] == [("E302", 1), ("E303", 14), ("E304", 18), ("E305", 33)]


def test_a_problem_does_not_cascade():
    assert len(problems("nope.a.b.c + 1 > 2 && nope.d")) == 2


def test_regex_too_long_is_rejected_at_build_time():
    problem = only("matches(name, '" + "a" * 501 + "')")
    assert problem.code == "E304" and "500" in problem.message
