"""The evaluation of one question page (builder/engine `evaluate_page`) against the full
evaluation: for every page of every shipped service, over each definition test's answers,
none, the answers of the pages up to each page, and the answers spoiled (every given value
made wrong, so that field checks fail everywhere), what the page reads (its errors and
warnings, hidden paths, visible pages, values, computed values, stop, look-ups, the scope
its choice filters see) is the full evaluation's. A page whose rule or shown value depends
on another page still shows it, and an answer failing on another page keeps a rule over
it from firing here too."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from builder.catalogue import load_catalogue
from builder.engine import Context, PageOutcome, evaluate, evaluate_asking, evaluate_page
from builder.expressions.compiler import OPTIONS

from .defs import TODAY, load, service
from .shipped_cases import shipped_cases

ROOT = Path(__file__).resolve().parents[2]


def spoiled(value: Any) -> Any:
    """Every given answer made wrong for its field: texts too long and in no choice list,
    numbers out of any bound, booleans as texts; the shape (groups, entries) kept."""
    if isinstance(value, dict):
        return {key: spoiled(member) for key, member in value.items()}
    if isinstance(value, list):
        return [spoiled(member) for member in value]
    if isinstance(value, bool):
        return "perhaps"
    if isinstance(value, (int, float)):
        return -99999999
    return "?" * 1001 if isinstance(value, str) else value


def answer_sets(service, answers: dict) -> list[dict]:
    """The case's answers, none, those of the pages up to each page, and the answers spoiled."""
    sets, shown = [answers, {}, spoiled(answers)], set()
    for page in service.pages:
        shown |= set(page.fields)
        sets.append({name: value for name, value in answers.items() if name in shown})
    return sets


def what_the_page_reads(outcome, page_id: str) -> dict:
    """Also the scope a drawn page's (or a reveal's) choice filters and `required:`
    expressions see, but for the options helper each evaluation makes of its own."""
    return {"errors": outcome.errors_on(page_id), "warnings": outcome.warnings_on(page_id),
            "hidden": outcome.hidden, "visible_pages": outcome.visible_pages, "values": outcome.values,
            "computed": outcome.computed, "stop": outcome.stop, "lookups": outcome.lookups,
            "scope": {name: value for name, value in outcome.scope.items() if name != OPTIONS}}


def test_every_page_of_every_shipped_service_reads_what_the_full_evaluation_gives():
    compared = errors_seen = 0
    services = set()
    for case in shipped_cases():
        effective, answers, context, ask = case.effective, case.answers, case.context, case.ask
        services.add(effective.service.id)
        for given in answer_sets(effective.service, answers):
            full = evaluate_asking(effective, given, context, ask)
            for page in effective.service.pages:
                scoped = evaluate_asking(effective, given, context, ask, page=page.id)
                assert isinstance(scoped, PageOutcome)
                expected = what_the_page_reads(full, page.id)
                assert what_the_page_reads(scoped, page.id) == expected, (effective.service.id, page.id, given)
                compared += 1
                errors_seen += bool(expected["errors"])
    assert len(services) >= 6 and compared > 1000
    assert errors_seen > 100      # the pages compared do show errors, not only empty lists


def test_the_shipped_pages_check_less_than_the_whole_service():
    """Not a vacuous speed-up: some page of the dog-fee service leaves other pages' fields unchecked."""
    from builder.engine.evaluation import Evaluation
    from builder.engine.pages import page_needs
    catalogue = load_catalogue(ROOT / "definitions")
    effective = catalogue.effective("riga", "dog-fee")
    run = Evaluation(effective, Context(TODAY))
    needs = [page_needs(effective.service, page.id, run.rule_fields) for page in effective.service.pages]
    everything = {field.name for field in effective.service.fields}
    assert any(n.fields is not None and n.fields < everything for n in needs)
    assert any(len(n.rules) < len(effective.service.rules) for n in needs)


CROSS = service(
    fields="""
  count: {type: number, min: "0", max: "100", label: {lv: Skaits, en: Count}}
  name: {type: text, label: {lv: Vārds, en: Name}}
  note: {type: text, required: false, label: {lv: Piezīme, en: Note}}""",
    computed="""
  twice: {type: number, expr: "count * 2", label: {lv: Divreiz, en: Twice}}""",
    pages="""
  - {id: first, title: {lv: P, en: F}, fields: [count]}
  - {id: second, title: {lv: O, en: S}, fields: [name], show: [twice]}
  - {id: third, title: {lv: T, en: T}, fields: [note]}""",
    rules="""
  - {id: small, check: "twice < 50", message: {lv: "Par daudz: {count}", en: "Too many: {count}"}, fields: [name]}
  - {id: long, severity: warning, check: "name != 'x'", message: {lv: Īss, en: Short}, fields: [name]}
  - {id: closed, severity: stop, check: "count != 13", message: {lv: Slēgts, en: Closed}, fields: [count]}""",
    fees=None, routing=None, tests=None,
)


@pytest.fixture(scope="module")
def cross(tmp_path_factory):
    catalogue = load(tmp_path_factory.mktemp("pages"), services={"x": CROSS})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = catalogue.effective("riga", "x")

    def both(answers: dict, page_id: str):
        return evaluate_page(effective, answers, Context(TODAY), page_id), evaluate(effective, answers, Context(TODAY))
    return both


def test_a_rule_and_a_shown_value_over_another_page_are_on_this_page(cross):
    page, full = cross({"count": 30, "name": "x"}, "second")
    assert [issue.rule for issue in page.errors] == ["small"] == [i.rule for i in full.errors_on("second")]
    assert page.errors[0].message.get("en") == "Too many: 30"
    assert [issue.rule for issue in page.warnings] == ["long"]
    assert page.computed["twice"] == full.computed["twice"] == 60


def test_an_answer_failing_on_another_page_keeps_a_rule_over_it_quiet_here_too(cross):
    page, full = cross({"count": 300, "name": "y"}, "second")
    assert [issue.key for issue in full.errors] == ["count"]      # the count's own check, not the rule over it
    assert page.errors == full.errors_on("second") == ()


def test_another_pages_own_errors_are_not_worked_out_and_cannot_be_asked_for(cross):
    page, full = cross({"count": 300}, "third")
    assert [issue.key for issue in full.errors] == ["count", "name"]
    assert page.errors == () and page.errors_on("third") == ()
    with pytest.raises(ValueError):
        page.errors_on("first")


def test_a_stop_rule_on_another_page_stops_this_page_too(cross):
    page, full = cross({"count": 13, "name": "y"}, "third")
    assert full.stop is not None and page.stop == full.stop
