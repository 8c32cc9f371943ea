"""The compiled closures pass the evaluation's today through every kind of node (a part
that holds today() anywhere gets the day it is evaluated on), a map literal keeps each of
its entries, and a missing value says which and why."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.expressions import EvaluationError, MissingValue, compile_expression, types as T
from builder.expressions.checker import CHOICES
from builder.expressions.compiler import OPTIONS

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


# The texts and edge cases of the closures' own checks, each read back (issue 16: the
# compiler's mutation survivors). `anything` is dyn: a value of a type the checker cannot see.
OPTION = T.ObjectType({"value": T.STRING, "label": T.STRING}, "option")
WIDE = {**SCOPE, "anything": T.DYN, "maybe": T.BOOL, "n": T.INT, "born": T.DATE, "place": T.STRING,
        "picks": T.ListType(T.STRING), "deep": T.ObjectType({"sub": T.ObjectType({"name": T.STRING}, "sub")}, "deep"),
        "tables": T.ListType(T.MapType(T.STRING, T.NUMBER)), CHOICES: T.ObjectType({"place": OPTION, "picks": OPTION}, "choices")}


class Options:
    def get(self, path, value):
        return {"value": value, "label": f"{path}: {value}"}


def wide(source: str, **variables):
    known = {**VARS, "anything": None, "maybe": None, "n": None, "born": None, "place": "centre",
             "picks": ["a", "b"], "deep": {"sub": None}, "tables": [None], OPTIONS: Options()}
    return compile_expression(source, WIDE).evaluate({**known, **variables}, TODAY)


@pytest.mark.parametrize("source, anything, message", [
    ("anything.name", 5, "A number has no member 'name'."),             # a record's member
    ("anything.name", [1], "A list has no member 'name'."),
    ("anything < 1", "1", "Cannot compare string with number using <."),
    ("anything < anything", [1], "Cannot compare list with list using <."),    # one type, not orderable
    ("anything <= anything", True, "Cannot compare bool with bool using <=."),
    ("anything > anything", {"a": 1}, "Cannot compare map with map using >."),
    ("[1, 2][anything]", "1", "A list index must be a whole number."),
    ("[1, 2][anything]", True, "A list index must be a whole number."),
    ("!anything", 5, "! needs true or false, not number."),
    ("anything ? 1 : 2", "yes", "?: needs true or false, not string."),
    ("anything ? 1 : 2", {"a": 1}, "?: needs true or false, not map."),
    ("anything && true", 5, "&& needs true or false, not number."),
    ("anything || false", 5, "|| needs true or false, not number."),
    ("maybe && anything", 5, "&& needs true or false, not number."),   # both sides fail
    ("maybe || anything", 5, "|| needs true or false, not number."),
])
def test_a_value_of_the_wrong_kind_says_what_was_needed(source, anything, message):
    with pytest.raises(EvaluationError) as raised:
        wide(source, anything=anything)
    assert not isinstance(raised.value, MissingValue) and str(raised.value) == message


def test_a_member_of_an_open_map_of_the_wrong_kind_says_so():
    with pytest.raises(EvaluationError) as raised:
        wide("coefficients.oak", coefficients=5)
    assert str(raised.value) == "A number has no member 'oak'."


@pytest.mark.parametrize("source, message", [
    ("!maybe", "A missing value was used as a condition in !."),
    ("maybe ? 1 : 2", "A missing value was used as a condition in ?:."),
    ("maybe && true", "A missing value was used as a condition in &&."),
    ("true && maybe", "A missing value was used as a condition in &&."),
    ("maybe || false", "A missing value was used as a condition in ||."),
    ("false || maybe", "A missing value was used as a condition in ||."),
    ("age(born)", "age() got a missing value."),                        # a function that reads today
    ("'ab'.matches(missing)", "matches() got a missing value."),
    ("option_of(place)", 'option_of() got a missing value ("place").'),
    ("coefficients[missing]", "A missing value was used in [ ]."),       # a missing key
    ("days[n]", "A missing value was used in [ ]."),
    ("days[-1]", "There is no item -1 in a list of 1."),
    ("days[1]", "There is no item 1 in a list of 1."),
    ("{'a': 1}.b", "There is no 'b' in a value."),                      # a value with no field path
    ("tables[0].oak", "a value is missing, so it has no member 'oak'."),
    ("deep.sub.name", '"deep.sub" is missing, so it has no member \'name\'.'),
    ("missing < missing", "A missing value was compared with <."),
    ("1 < n", "A missing value was compared with <."),
])
def test_a_missing_value_in_each_kind_of_node_says_where(source, message):
    variables = {"place": None} if source.startswith("option_of") else {}
    with pytest.raises(MissingValue) as raised:
        wide(source, **variables)
    assert str(raised.value) == message


def test_option_of_reads_the_choice_lists_of_the_evaluation():
    assert wide("option_of(place)") == {"value": "centre", "label": "place: centre"}
    assert wide("option_of(place).label") == "place: centre"
    with pytest.raises(MissingValue) as raised:
        wide("option_of(place)", **{OPTIONS: None})
    assert str(raised.value) == "option_of(): the choice lists are not available here."


@pytest.mark.parametrize("source, expected", [
    ("days[0]", dt.date(2026, 1, 1)),                                   # the first item is in range
    ("has(owner.surname)", True), ("has(deep.sub.name)", False),
    ("has(tables[3].oak)", False),                                      # a missing target has nothing
    ("has({'d': today()}.d)", True),                                    # the target reads today
    ("age(today())", 0),                                                # an argument that reads today
    ("size(missing) > 0 || today() > date('2026-01-31')", True),        # the other side reads today
    ("size(missing) > 0 && today() < date('2026-01-31')", False),
    ("'ba'.startsWith('a')", False), ("'ab'.endsWith('b')", True),      # only matches() is a regex
    ("'ab'.matches('b')", True), ("'ab'.matches('^b')", False),
    ("coefficients.oak", 2), ("!false", True), ("!true", False),
])
def test_each_kind_of_node_gives_its_value(source, expected):
    assert wide(source) == expected


def test_a_has_of_a_value_of_the_wrong_kind_is_false():
    assert wide("has(anything.name)", anything=5) is False
    assert wide("has(anything.name)", anything={"name": 1}) is True


@pytest.mark.parametrize("source, expected", [
    ("[owner][today() > date('2026-01-31') ? 0 : 1].surname", "Bērziņš"),   # a record's target
    ("date('2026-01-31') < today()", True),                                 # an ordering's right
    ("1 + age(owner.born)", 37), ("date('2026-02-01') == today()", True),   # an operator's right
    ("{owner.surname: 1}", {"Bērziņš": 1}), ("{'a': owner.surname}", {"a": "Bērziņš"}),  # a map's
    ("option_of(picks[today() > date('2026-01-31') ? 1 : 0]).value", "b"),  # option_of's argument
])
def test_the_right_hand_parts_read_the_variables_and_today_too(source, expected):
    assert wide(source) == expected


@pytest.mark.parametrize("anything", [1, 0, "true"])
def test_true_equals_only_true_on_either_side(anything):
    assert wide("anything == true", anything=anything) is False
    assert wide("true == anything", anything=anything) is False
    assert wide("anything != true", anything=anything) is True
