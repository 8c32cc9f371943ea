"""`Outcome.scope`: the scope the evaluation built for its relevant answers, given back
read-only so that a caller need not build it again; the same as `Evaluation.scope` of
the outcome's values, for every real service's test answers."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder import deftests
from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate
from builder.engine.evaluation import Evaluation
from builder.expressions.compiler import OPTIONS
from builder.overlay import bind

from .defs import TODAY

ROOT = Path(__file__).resolve().parents[2]


def _cases():
    catalogue = load_catalogue(ROOT / "definitions")
    for service in catalogue.services.values():
        for case in service.tests:
            municipality = catalogue.municipalities.get(str(case.context.get("municipality")))
            if municipality is None:
                continue
            answers = deftests._with_fixtures(service.fields, case.answers, Path(catalogue.root) / "fixtures")
            today = deftests._date(case.context.get("today")) or TODAY
            yield (f"{service.id}:{case.name}", bind(service, municipality), answers,
                   Context(today=today, person=case.context.get("person")))


CASES = list(_cases())


@pytest.mark.parametrize("name, effective, answers, context", CASES, ids=[c[0] for c in CASES])
def test_the_outcome_scope_is_the_scope_of_its_values(name, effective, answers, context):
    outcome = evaluate(effective, answers, context)
    expected = Evaluation(effective, context).scope(outcome.values)
    assert set(outcome.scope) == set(expected)
    for key, value in expected.items():
        if key == OPTIONS:
            continue   # the option lookup: one per evaluation, compared by identity
        assert outcome.scope[key] == value, key
    for computed in effective.service.computed:
        assert outcome.scope[computed.name] == outcome.computed[computed.name]


def test_the_outcome_scope_is_read_only():
    name, effective, answers, context = CASES[0]
    outcome = evaluate(effective, answers, context)
    with pytest.raises(TypeError):
        outcome.scope["x"] = 1   # type: ignore[index]
