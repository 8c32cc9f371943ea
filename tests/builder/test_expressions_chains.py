"""A chain of record members (`owner.address.city`) is read by one closure
(`compiler.FUSE_RECORD_CHAINS`) and a two-argument call without building a list: each
compiled the other way too, the same value or the same error for every variable tried."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from builder.expressions import EvaluationError, compile_expression, compiler, types as T

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
]
OWNERS = [None, {}, "text", [1], {"surname": "Ozols", "pensioner": True},
          {"surname": "Rīga", "address": None, "codes": {"oak": Decimal("1.5")}},
          {"surname": "Rīgas", "address": "Brīvības 1", "codes": {}},
          {"surname": None, "address": {"city": "Rīga", "zip": "1050"}, "pensioner": False, "codes": None},
          {"surname": "Rīgas", "address": {"city": "Rīga"}}, {"address": {"city": None}}, {"address": {"city": 5}}]
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
    nested = compile_expression(source, SCOPE)
    tried = [{"owner": o, "item": i, "name": n} for o, i, n in itertools.product(OWNERS, ITEMS, NAMES)]
    assert [_outcome(fused, v) for v in tried] == [_outcome(nested, v) for v in tried]
    assert any(kind == "value" for kind, _ in map(lambda v: _outcome(fused, v), tried))


def test_a_chain_is_one_closure():
    expression = compile_expression("owner.address.city", SCOPE)
    assert expression._function.__name__ == "record_chain"
    assert compile_expression("owner.codes.oak", SCOPE)._function.__name__ == "map_member"
