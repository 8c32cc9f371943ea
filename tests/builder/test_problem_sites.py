"""Every place in builder/ that reports a problem code has a broken definition that makes
that very place report it, at the asserted file, line and column. `test_problem_codes`
has one case per code; here are the cases for the codes reported from more than one
place, and a check that no reporting place is left without a case (a code reported from
seven places and tested from one hides a broken check in the other six)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from builder import scope
from builder.expressions import types as T

from .defs import RIGA, service
from .problem_sites import recording, reporting_sites
from .test_problem_codes import (CASES, COMMISSION_PROCESS, PAGE, PETS, PROCESS, Case, assert_reported_at_its_place,
                                 commission, load_case)


@dataclass
class SiteCase(Case):
    patch: Callable[[pytest.MonkeyPatch], None] | None = None   # for a guard no input can reach


def rule(check: str) -> str:
    return f'\n  - {{id: r, check: "{check}", message: {{lv: A, en: A}}}}'


def queue(body: str) -> str:
    return service(process=PROCESS, queue=body)


def overflow(target: str) -> Callable[[pytest.MonkeyPatch], None]:
    """Make `target` (module.attribute) raise RecursionError, as a deep expression would."""
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        def deep(*_args, **_kwargs):
            raise RecursionError
        monkeypatch.setattr(target, deep)
    return patch


def forget_the_surname(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema lists the prefill sources; the compiler checks them again against the
    person's type, in case the two ever differ: make them differ."""
    fields = {k: v for k, v in scope.PERSON_TYPE.fields.items() if k != "surname"}
    monkeypatch.setattr(scope, "PERSON_TYPE", T.ObjectType(fields, "person"))


LOOKUP = '\n  company: {register: enterprise_register, key: "name"}'
NO_COUNCIL = RIGA.replace("  council: {name: {lv: Dome, en: Council}}\n", "")
CHILD_SERVICE = "\n  id: x\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}\n  audience: [child]"
CAPPED_FEE = service(parameters='\n  fee: {type: money, default: "10.00", max: "20.00"}')

SITE_CASES = [
    # yamlload
    SiteCase("E102", service() + "note: \x07\n", None, says="not valid YAML"),
    SiteCase("E102", service() + "? [a, b]\n: c\n", "? [a, b]", "[a, b]", says="plain word"),
    SiteCase("E105", service() + "base: {a: 1}\nmore:\n  <<: {b: 2}\n", "<<", "<<", says="merge keys"),
    SiteCase("E105", service() + "list: !things [a]\n", "!things", "!things", says="!things"),
    SiteCase("E105", service() + 'note: !quoted "a"\n', "!quoted", "!quoted", says="!quoted"),
    SiteCase("E105", service() + "note: !plain a\n", "!plain", "!plain", says="!plain"),
    # references, ids and structure
    SiteCase("E401", service(), None, file="services/y.yaml", says="is also used by"),
    SiteCase("E401", service(lookups=LOOKUP, computed='\n  lookup: {type: integer, expr: "1"}'),
             "lookup: {type: integer", "lookup", says="names the look-ups"),
    SiteCase("E402", service(lookups=LOOKUP.replace('key: "name"}', 'key: "name", fill: {nmae: name}}')), "nmae: name",
             "nmae", says="is not a field outside a repeat"),
    SiteCase("E303", service(lookups=LOOKUP.replace('key: "name"}', 'key: "name", fill: {name: nmae}}')), "name: nmae",
             "name: nmae", says="answers no"),
    SiteCase("E306", service(lookups=LOOKUP.replace('key: "name"}', 'key: "name", fill: {name: active}}')), "name: active",
             "name: active", says="cannot hold"),
    SiteCase("E402", service(lookups=LOOKUP.replace('key: "name"}', 'key: "name", fields: [nmae]}')), "[nmae]", "nmae", says="lookups.company.fields"),
    SiteCase("E401", service(computed='\n  name: {type: integer, expr: "1"}'), "name: {type: integer", "name",
             says="has the name of a field"),
    SiteCase("E401", service(parameters='\n  fee: {type: money, default: "10.00"}\n  item: {type: money, default: "1.00"}'),
             "item:", "item", says="reserved name"),
    SiteCase("E402", service(computed='\n  total: {type: integer, expr: "1"}',
                             pages=PAGE.replace("pets]}", "pets], show: [totl]}")), "totl", "totl",
             says='shows "totl"'),
    SiteCase("E402", service(rules='\n  - {id: r, check: "true", fields: [nmae], message: {lv: A, en: A}}'),
             "nmae", "nmae", says='points at field "nmae"'),
    SiteCase("E402", service(fields=PETS.replace("name: {type: text,", "name: {type: text, prefill: person.surname,")),
             "prefill", "prefill", says="prefill: unknown source", patch=forget_the_surname),
    SiteCase("E402", queue("\n  order_by: [nmae]\n  active_states: [submitted]"), "nmae", "nmae", says="is not a field"),
    SiteCase("E402", queue("\n  partition_by: name\n  order_by: [pets.chip]\n  active_states: [submitted]"),
             "pets.chip", "pets.chip", says="passes through a repeat"),
    SiteCase("E402", queue("\n  partition_by: pets\n  order_by: [submitted_at]\n  active_states: [submitted]"),
             "partition_by", "partition_by", says="is a repeat field"),
    SiteCase("E402", service(service=CHILD_SERVICE + "\n  subject: nmae"), "subject: nmae", "subject",
             says='names field "nmae"'),
    SiteCase("E415", service(service=CHILD_SERVICE), "audience: [child]", "audience",
             says="must name the child's personal_code"),
    SiteCase("E405", queue("\n  order_by: [submitted_at]\n  active_states: [submited]"), "submited", "submited",
             says="queue.active_states"),
    SiteCase("E405", service(process=PROCESS.replace("initial: submitted", "initial: submited")), "initial:", "initial",
             says="process.initial"),
    SiteCase("E405", service(process=PROCESS + "\n  information_requests:\n    waiting: wiating"), "wiating", "waiting",
             says="process.information_requests.waiting"),
    SiteCase("E409", service(parameters='\n  fee: {type: money, default: "10.00"}\n  cut: {type: integer, default: 5, max: 3}'),
             "cut:", "default", says="parameters.cut.default"),
    # overlays
    SiteCase("E603", 'format: 1\n' + RIGA.removeprefix("format: 1\n").replace("x: {enabled: true}", 'x: {enabled: true, parameters: {fee: "30.00"}}'),
             "30.00", "fee:", file="municipalities/riga.yaml", others={"services/x.yaml": CAPPED_FEE}),
    SiteCase("E607", commission(service_id="dog-tax"), "service: dog-tax", "service", file="municipalities/riga.yaml",
             says='no service "dog-tax"'),
    SiteCase("E607", commission(state="sent"), "state: sent", "state", file="municipalities/riga.yaml",
             others={"services/x.yaml": service(process=COMMISSION_PROCESS)}, says='no state "sent"'),
    SiteCase("E607", commission(), "state: submitted", "state", file="municipalities/riga.yaml",
             others={"services/x.yaml": service(process=PROCESS)}, says="gives no step"),
    SiteCase("E604", NO_COUNCIL, "  x: {enabled", "x:", file="municipalities/riga.yaml", says="sends cases to"),
    # expressions: syntax, nesting and templates
    SiteCase("E301", service(rules=rule(" ")), "check:", None, says="is empty"),
    SiteCase("E301", service(rules=rule("(" * 3000 + "1" + ")" * 3000)), "check:", "(", says="nested too deeply"),
    SiteCase("E301", service(rules=rule("true")), "check:", "true", says="nested too deeply",
             patch=overflow("builder.expressions.syntax._Converter.convert")),     # as above, seen by the recorder
    SiteCase("E301", service(rules=rule("Pet{a: 1} == null")), "check:", "{a: 1}", says="Object construction"),
    SiteCase("E301", service(rules=rule("true")), "check:", "true", says="nested too deeply",
             patch=overflow("builder.expressions.expression.Checker.check")),
    SiteCase("E301", service(rules=rule("true")), "check:", "true", says="nested too deeply",
             patch=overflow("builder.expressions.expression.compile_node")),
    SiteCase("E301", service(fees='\n  lines:\n    - {id: a, label: {lv: A, en: A}, amount: param.fee}\n  reference: "R {name"'),
             "reference", "{name", says="never closed"),
    # expressions: members, indexes, calls and operators
    SiteCase("E303", service(rules=rule("{1: 'a'}.x == 'a'")), "check:", "x ==", says="use [key]"),
    SiteCase("E303", service(rules=rule("name.first == 'a'")), "check:", "first", says="only groups"),
    SiteCase("E305", service(rules=rule("name[1] == 'a'")), "check:", "[1]", says="Cannot index"),
    SiteCase("E304", service(rules=rule("has(name)")), "check:", "has", says="has() takes one member"),
    SiteCase("E304", service(rules=rule("option_of(name, name) == null")), "check:", "option_of",
             says="takes one choice field"),
    SiteCase("E304", service(rules=rule("option_of(name) == null")), "check:", "name)", says="is not one"),
    SiteCase("E304", service(rules=rule("name.sizee() > 1")), "check:", "sizee", says="Unknown method"),
    SiteCase("E304", service(rules=rule("size(1, 2) > 1")), "check:", "size", says="Wrong arguments"),
    SiteCase("E304", service(rules=rule("matches(name, '[')")), "check:", "'['", says="Bad argument"),
    SiteCase("E304", service(rules=rule("pets.all(1)")), "check:", "all", says="is written"),
    SiteCase("E305", service(rules=rule("name.all(x, true)")), "check:", "all", says="needs a list"),
    SiteCase("E305", service(rules=rule("pets.all(p, 1)")), "check:", "1)", says="must be true/false"),
    SiteCase("E305", service(rules=rule("!1")), "check:", "!1", says='"!" needs'),
    SiteCase("E305", service(rules=rule("1 && true")), "check:", "&&", says='"&&" needs'),
    SiteCase("E305", service(rules=rule("(1 ? true : false)")), "check:", "?", says="before ?"),
    SiteCase("E305", service(rules=rule("true ? 1 : 'a'")), "check:", "?", says="two branches"),
]


@pytest.mark.parametrize("case", SITE_CASES, ids=lambda case: f"{case.code}-{case.says}")
def test_each_reporting_place_reports_at_its_place(case: SiteCase, tmp_path: Path, monkeypatch):
    if case.patch:
        case.patch(monkeypatch)
    assert_reported_at_its_place(case, tmp_path)


def test_every_reporting_place_in_the_builder_has_a_case(tmp_path_factory):
    calls: set[tuple[str, int]] = set()
    for case in [*CASES, *SITE_CASES]:
        with pytest.MonkeyPatch.context() as monkeypatch, recording() as reported:
            if getattr(case, "patch", None):
                case.patch(monkeypatch)
            load_case(case, tmp_path_factory.mktemp("site"))
        calls |= reported
    sites = reporting_sites()
    assert len(sites) > 60, "the scan found too few reporting places: has the reporting call changed?"
    missing = [str(site) for site in sites if (site.file, site.line) not in calls]
    assert not missing, "no case makes these places report: " + ", ".join(missing)
