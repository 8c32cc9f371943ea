"""The compiled closures pass the evaluation's today through every kind of node (a part
that holds today() anywhere gets the day it is evaluated on), a map literal keeps each of
its entries, and a missing value says which and why."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.expressions import MissingValue, compile_expression, types as T

TODAY = dt.date(2026, 2, 1)
SCOPE = {"owner": T.ObjectType({"surname": T.STRING, "born": T.DATE}, "owner"), "flag": T.BOOL,
         "coefficients": T.MapType(T.STRING, T.NUMBER), "days": T.ListType(T.DATE), "missing": T.STRING}
VARS = {"owner": {"surname": "Bērziņš", "born": dt.date(1990, 1, 1)}, "flag": True,
        "coefficients": {"oak": 2}, "days": [dt.date(2026, 1, 1)], "missing": None}


def ev(source: str, variables=None):
    return compile_expression(source, SCOPE).evaluate(VARS if variables is None else variables, TODAY)


@pytest.mark.parametrize("source, expected", [
    ("[today(), today()]", [TODAY, TODAY]),                                   # list items
    ("{'a': today(), 'b': today()}", {"a": TODAY, "b": TODAY}),               # map values
    ("{string(today()): 1, 'b': 2}", {"2026-02-01": 1, "b": 2}),              # map keys
    ("{'a': 1, 'b': 2, 'c': 3}", {"a": 1, "b": 2, "c": 3}),                   # every entry, in order
    ("[today()][0]", TODAY),                                                  # index target
    ("[1, 2][today() > date('2026-01-01') ? 1 : 0]", 2),                      # index key
    ("{'a': today()}.a", TODAY),                                              # member of an open map
    ("flag ? today() : date('2000-01-01')", TODAY),                          # then
    ("!flag ? date('2000-01-01') : today()", TODAY),                         # otherwise
    ("(today() == date('2026-02-01')) ? 1 : 2", 1),                           # the condition
    ("today() > date('2026-01-31') && flag", True),                           # && left
    ("flag && today() > date('2026-01-31')", True),                           # && right
    ("today() < date('2026-01-31') || flag", True),                           # || left
    ("!flag || today() > date('2026-01-31')", True),                          # || right
    ("!(today() < date('2026-01-31'))", True),                                # negation
    ("-(age(owner.born))", -36),                                              # unary minus
    ("string(today())", "2026-02-01"),                                        # a call of one argument
    ("string(today()).startsWith('2026')", True),                             # a method's target
    ("'2026-02-01'.startsWith(string(today()))", True),                       # a method's argument
    ("today() in days || today() in [today()]", True),                        # in
    ("age(owner.born) + 1", 37),                                              # arithmetic
])
def test_today_reaches_every_kind_of_node(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("source, message", [
    ("size(missing)", "size() got a missing value."),
    ("missing.startsWith('a')", "startsWith() got a missing value."),
    ("coefficients.birch", "There is no 'birch' in \"coefficients\"."),
    ("coefficients['birch']", "There is no key 'birch' in the map."),
    ("days[3]", "There is no item 3 in a list of 1."),
])
def test_a_missing_value_says_which_and_why(source, message):
    with pytest.raises(MissingValue) as raised:
        ev(source)
    assert str(raised.value) == message


def test_a_member_of_a_missing_record_or_map_names_it():
    scope = {**SCOPE, "maybe": T.ObjectType({"name": T.STRING}, "maybe"), "table": T.MapType(T.STRING, T.NUMBER)}
    for source, message in (("maybe.name", "\"maybe\" is missing, so it has no member 'name'."),
                            ("table.oak", "\"table\" is missing, so it has no member 'oak'."),
                            ("table['oak']", "A missing value was used in [ ]."),
                            ("'a' in table", 'The right side of "in" is missing.')):
        with pytest.raises(MissingValue) as raised:
            compile_expression(source, scope).evaluate({"maybe": None, "table": None}, TODAY)
        assert str(raised.value) == message, source


@pytest.mark.parametrize("source, expected", [
    ("size(missing) > 0 || flag", True), ("size(missing) > 0 && !flag", False),
    ("flag || size(missing) > 0", True), ("!flag && size(missing) > 0", False),
])
def test_when_one_side_fails_the_other_side_reads_the_variables_and_decides(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("source", ["size(missing) > 0 || !flag", "size(missing) > 0 && flag"])
def test_when_the_other_side_does_not_decide_the_failure_stands(source):
    with pytest.raises(MissingValue):
        ev(source)
