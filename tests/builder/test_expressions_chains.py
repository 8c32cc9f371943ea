"""A chain of record members (`owner.address.city`) is read by one closure
(`compiler.FUSE_RECORD_CHAINS`), a two-argument call without building a list, and `==`,
`!=`, `&&`, `||` with their helpers inlined (`compiler.INLINE_EQUALITY_AND_TRUTH`): each
compiled the other way too, the same value or the same error for every variable tried.
A template (a payment reference) renders as part by part `evaluate` does."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from builder.expressions import EvaluationError, compile_expression, compile_template, compiler, types as T

TODAY = dt.date(2026, 2, 1)
ADDRESS = T.ObjectType({"city": T.STRING, "zip": T.STRING}, "address")
SCOPE = {
    "owner": T.ObjectType({"surname": T.STRING, "address": ADDRESS, "pensioner": T.BOOL,
                           "codes": T.MapType(T.STRING, T.NUMBER)}, "owner"),
    "item": T.ObjectType({"chip": T.STRING, "birth_date": T.DATE}, "dog"),
    "name": T.STRING,
}
SOURCES = [
    "owner.surname", "owner.address", "owner.address.city", "owner.address.zip == '1050'",
    "owner.pensioner && owner.address.city == 'Rīga'", "item.chip", "owner.codes.oak",
    "owner.codes['oak']", "size(owner.address.city)", "item.birth_date < date('2026-01-01')",
    "owner.surname.startsWith(owner.address.city)", "owner.address.city.endsWith(name)",
    "owner.address.city + item.chip", "owner.address.city.contains(name)",
    "owner.pensioner || owner.surname == name", "owner.surname != 'Ozols' && owner.pensioner",
    "owner.pensioner == true", "owner.pensioner != false", "owner.surname == null", "owner.codes.oak == 1.5",
    "owner.codes.oak == 1",
    "owner.codes.oak != 1 || owner.pensioner", "!owner.pensioner && owner.address.zip != name",
    "(owner.pensioner || owner.codes.oak > 1) && owner.address.city == owner.surname",
    "owner.address == null || owner.address.city != 'Rīga'", "owner.pensioner == (name == 'Rī')",
]
OWNERS = [None, {}, "text", [1], {"surname": "Ozols", "pensioner": True},
          {"surname": "Rīga", "address": None, "codes": {"oak": Decimal("1.5")}},
          {"surname": "Rīgas", "address": "Brīvības 1", "codes": {}},
          {"surname": None, "address": {"city": "Rīga", "zip": "1050"}, "pensioner": False, "codes": None},
          {"surname": "Rīgas", "address": {"city": "Rīga"}}, {"address": {"city": None}}, {"address": {"city": 5}},
          {"surname": "Rī", "pensioner": 1, "codes": {"oak": True}}, {"pensioner": "yes", "codes": {"oak": 1}}]
ITEMS = [None, {}, {"chip": "123", "birth_date": dt.date(2019, 5, 1)}, {"chip": None, "birth_date": "x"}, 7]
NAMES = [None, "Rī", ""]


def _outcome(expression, variables):
    try:
        return "value", expression.evaluate(variables, TODAY)
    except EvaluationError as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize("source", SOURCES)
def test_fused_chains_and_calls_evaluate_as_the_nested_closures(source, monkeypatch):
    fused = compile_expression(source, SCOPE)
    monkeypatch.setattr(compiler, "FUSE_RECORD_CHAINS", False)
    monkeypatch.setattr(compiler, "SPECIAL_TWO_ARGUMENT_CALLS", False)
    monkeypatch.setattr(compiler, "INLINE_EQUALITY_AND_TRUTH", False)
    nested = compile_expression(source, SCOPE)
    tried = [{"owner": o, "item": i, "name": n} for o, i, n in itertools.product(OWNERS, ITEMS, NAMES)]
    assert [_outcome(fused, v) for v in tried] == [_outcome(nested, v) for v in tried]
    assert any(kind == "value" for kind, _ in map(lambda v: _outcome(fused, v), tried))


def test_a_chain_is_one_closure():
    expression = compile_expression("owner.address.city", SCOPE)
    assert expression._function.__name__ == "record_chain"
    assert compile_expression("owner.codes.oak", SCOPE)._function.__name__ == "map_member"


TEMPLATES = ["{owner.surname} {owner.address.city}{item.chip}", "a {owner.pensioner ? owner.surname : ''} b",
             "{owner.codes.oak}/{owner.codes['oak']} {item.birth_date} {name}", "plain text", "{owner.address}"]


def _rendered(template, variables):
    try:
        return "value", template.render(variables, TODAY)
    except EvaluationError as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize("source", TEMPLATES)
def test_a_template_renders_as_its_parts_evaluate(source):
    """`Template.render` (closures called as they are, texts put in as they are) gives
    the text or the error of rendering part by part through `evaluate` and `to_text`."""
    template = compile_template(source, SCOPE)
    tried = [{"owner": o, "item": i, "name": n} for o, i, n in itertools.product(OWNERS, ITEMS, NAMES)]
    by_parts = []
    for variables in tried:
        try:
            by_parts.append(("value", template._render_by_parts(variables, TODAY)))
        except EvaluationError as error:
            by_parts.append((type(error).__name__, str(error)))
    assert [_rendered(template, v) for v in tried] == by_parts
    assert any(kind == "value" for kind, _ in by_parts) and (source == "plain text" or any(
        kind != "value" for kind, _ in by_parts))
