"""Relevance (`builder.engine.relevance`) piece by piece: conditions that read today, hidden
paths reported exactly, conditions on a repeat entry's own answers and index, chains of
conditions pruned to their fixed point, and `without_answers` at every depth. Written for
the mutants that survived the first mutation run (docs/mutation.md)."""
from __future__ import annotations

import datetime

import pytest

from builder.compiler import compile_text
from builder.engine import Context, evaluate
from builder.engine.relevance import complete, holds, without_answers
from builder.expressions import EvaluationError, Expression, T
from builder.overlay import bind
from builder.problems import Problems

from .defs import RIGA, load, service

FIELDS = """
  name: {type: text, label: {lv: Vārds, en: Name}}
  autumn: {type: text, required: false, label: {lv: Rudens, en: Autumn}}
  summer: {type: text, required: false, when: "today() >= date('2026-06-01')", label: {lv: Vasara, en: Summer}}
  first: {type: text, required: false, label: {lv: A, en: A}}
  second: {type: text, required: false, when: "first == 'yes'", label: {lv: B, en: B}}
  third: {type: text, required: false, when: "second == 'yes'", label: {lv: C, en: C}}
  owner:
    type: group
    label: {lv: Īpašnieks, en: Owner}
    fields:
      city: {type: text, required: false, label: {lv: Pilsēta, en: City}}
      street: {type: text, required: false, when: "owner.city == 'Rīga'", label: {lv: Iela, en: Street}}
      winter: {type: text, required: false, when: "today() < date('2026-03-01')", label: {lv: Ziema, en: Winter}}
      named: {type: text, required: false, when: "name == 'A'", label: {lv: Vārdā, en: Named}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      kind: {type: text, required: false, label: {lv: Suga, en: Kind}}
      chip: {type: text, required: false, when: "item.kind == 'dog'", label: {lv: Čips, en: Chip}}
      note: {type: text, required: false, when: "index == 0", label: {lv: Piezīme, en: Note}}
      spring: {type: text, required: false, when: "today() >= date('2026-04-01')", label: {lv: Pavasaris, en: Spring}}"""
PAGES = """
  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, summer, first, second, third, owner, pets]}
  - {id: late, title: {lv: Vēlā, en: Late}, when: "today() >= date('2026-09-01')", fields: [autumn]}"""
SERVICE = service(fields=FIELDS, pages=PAGES, tests=None)


@pytest.fixture(scope="module")
def effective(tmp_path_factory):
    catalogue = load(tmp_path_factory.mktemp("relevance"), services={"x": SERVICE})
    assert not catalogue.problems.errors, catalogue.problems.errors
    return catalogue.effective("riga", "x")


def run(effective, answers: dict, today: datetime.date):
    return evaluate(effective, answers, Context(today=today))


FULL = {"name": "A", "autumn": "a", "summer": "s", "first": "no", "second": "yes", "third": "yes",
        "owner": {"city": "Liepāja", "street": "Jūras", "winter": "w", "named": "n"},
        "pets": [{"kind": "cat", "chip": "1", "note": "n0", "spring": "p"},
                 {"kind": "dog", "chip": "2", "note": "n1", "spring": "p"}]}


def test_conditions_read_the_evaluations_today(effective):
    early = run(effective, FULL, datetime.date(2026, 2, 1))
    late = run(effective, FULL, datetime.date(2026, 10, 1))
    assert "summer" not in early.values and late.values["summer"] == "s"
    assert early.values["owner"].get("winter") == "w" and "winter" not in late.values["owner"]
    assert "spring" not in early.values["pets"][0] and late.values["pets"][0]["spring"] == "p"
    assert "late" not in early.visible_pages and "late" in late.visible_pages
    assert "autumn" not in early.values and late.values["autumn"] == "a"   # on a page shown from September


def test_the_hidden_paths_are_exactly_the_hidden_fields(effective):
    outcome = run(effective, FULL, datetime.date(2026, 2, 1))
    assert outcome.hidden == {"autumn", "summer", "second", "third", "owner.street", "pets[0].chip", "pets[1].note",
                              "pets[0].spring", "pets[1].spring"}


def test_a_chain_of_conditions_is_pruned_to_its_end(effective):
    """`first` hides `second`, whose stored "yes" then no longer shows `third`."""
    outcome = run(effective, FULL, datetime.date(2026, 2, 1))
    assert "second" not in outcome.values and "third" not in outcome.values
    shown = run(effective, {**FULL, "first": "yes"}, datetime.date(2026, 2, 1))
    assert shown.values["second"] == "yes" and shown.values["third"] == "yes"


def test_an_entrys_conditions_read_its_own_answers_and_index(effective):
    outcome = run(effective, FULL, datetime.date(2026, 2, 1))
    cat, dog = outcome.values["pets"]
    assert "chip" not in cat and dog["chip"] == "2"
    assert cat["note"] == "n0" and "note" not in dog


def test_a_group_not_answered_still_hides_its_members(effective):
    outcome = run(effective, {"name": "A"}, datetime.date(2026, 6, 1))
    assert {"owner.street", "owner.winter"} <= outcome.hidden
    assert "owner.city" not in outcome.hidden and "owner.named" not in outcome.hidden
    winter = run(effective, {"name": "A"}, datetime.date(2026, 2, 1))    # the members' conditions see today
    assert "owner.winter" not in winter.hidden and "owner.street" in winter.hidden


def test_a_group_members_conditions_see_the_answers(effective):
    outcome = run(effective, {"name": "A", "owner": {"city": "Rīga", "street": "Brīvības", "named": "n"}},
                  datetime.date(2026, 6, 1))
    assert outcome.values["owner"] == {"city": "Rīga", "street": "Brīvības", "named": "n"}
    other = run(effective, {"name": "B", "owner": {"city": "Rīga", "named": "n"}}, datetime.date(2026, 6, 1))
    assert other.values["owner"] == {"city": "Rīga"} and "owner.named" in other.hidden


def test_a_service_of_two_fields_is_pruned_too(tmp_path):
    """The passes are bounded by the number of fields: two fields still get their pass."""
    text = service(fields="""
  first: {type: text, required: false, label: {lv: A, en: A}}
  second: {type: text, required: false, when: "first == 'yes'", label: {lv: B, en: B}}""",
                   pages="""
  - {id: main, title: {lv: Galvenā, en: Main}, fields: [first, second]}""", tests=None)
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.errors, catalogue.problems.errors
    outcome = evaluate(catalogue.effective("riga", "x"), {"first": "no", "second": "x"},
                       Context(today=datetime.date(2026, 2, 1)))
    assert outcome.values == {"first": "no"} and outcome.hidden == {"second"}


def fixed(result, seen: list) -> Expression:
    """A compiled condition that gives `result` (or raises it) and notes the today it was given."""
    def function(variables, today):
        seen.append(today)
        if isinstance(result, Exception):
            raise result
        return result
    return Expression("fixed", T.BOOL, frozenset(), frozenset(), function)


def test_holds_is_true_only_for_true():
    today = datetime.date(2026, 2, 1)
    assert holds(None, {}, today) is True
    for result, expected in ((True, True), (1, False), ("yes", False), (None, False),
                             (EvaluationError("a missing answer"), False), (TypeError("a value from outside"), False)):
        seen: list = []
        assert holds(fixed(result, seen), {}, today) is expected, result
        assert seen == [today]


def test_complete_adds_every_member_and_keeps_a_missing_repeat_missing(effective):
    fields = effective.service.fields
    done = complete(fields, {"owner": {"city": "Rīga"}, "pets": [{"kind": "dog"}]})
    assert done["name"] is None and done["owner"] == {"city": "Rīga", "street": None, "winter": None, "named": None}
    assert done["pets"] == [{"kind": "dog", "chip": None, "note": None, "spring": None}]
    assert complete(fields, None)["pets"] is None and complete(fields, None)["owner"]["city"] is None


def test_without_answers_drops_exactly_the_paths_named(effective):
    fields = effective.service.fields
    values = {"name": "A", "first": "x", "owner": {"city": "Rīga", "street": "Brīvības"},
              "pets": [{"kind": "dog", "chip": "1"}, {"kind": "cat", "chip": "2"}]}
    assert without_answers(fields, values, set()) == values
    assert without_answers(fields, values, {"name", "owner.street", "pets[1].chip"}) == {
        "first": "x", "owner": {"city": "Rīga"}, "pets": [{"kind": "dog", "chip": "1"}, {"kind": "cat"}]}
    assert without_answers(fields, values, {"owner", "pets"}) == {"name": "A", "first": "x"}
    assert without_answers(fields, values, {"pets[0].chip", "chip", "street"}) == {
        **values, "pets": [{"kind": "dog"}, {"kind": "cat", "chip": "2"}]}
    odd = {"owner": "not a group", "pets": "not a list"}
    assert without_answers(fields, odd, {"owner.city"}) == odd


def test_an_answer_that_failed_its_own_check_is_not_seen_by_rules(tmp_path):
    """`without_answers` is what rules see: a rule over a failed answer does not fire."""
    text = service(fields="""
  age: {type: number, required: false, max: 150, label: {lv: Vecums, en: Age}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, required: false, pattern: "[0-9]{15}", label: {lv: Čips, en: Chip}}""",
                   pages="""
  - {id: main, title: {lv: Galvenā, en: Main}, fields: [age, pets]}""",
                   rules="""
  - {id: adult, check: "age >= 18", message: {lv: Pieaugušais, en: Adult}, fields: [age]}
  - {id: chips, for_each: pets, check: "item.chip != 'abc'", message: {lv: Čips, en: Chip}}""", tests=None)
    problems = Problems()
    compiled = compile_text(text, "x.yaml", problems)
    assert compiled is not None, list(problems)
    catalogue = load(tmp_path, services={"x": text})
    effective = bind(compiled, catalogue.municipalities["riga"])
    failed = evaluate(effective, {"age": "200", "pets": [{"chip": "abc"}]}, Context(today=datetime.date(2026, 2, 1)))
    assert failed.errors and {i.rule for i in failed.errors} == {None}     # field errors only, no rule fired
    young = evaluate(effective, {"age": "10"}, Context(today=datetime.date(2026, 2, 1)))
    assert [i.rule for i in young.errors] == ["adult"]
