"""`Outcome.scope`: the scope the evaluation built for its relevant answers, given back
read-only so that a caller need not build it again; the same as `Evaluation.scope` of
the outcome's values, for every real service's test answers."""
from __future__ import annotations

import pytest

from builder.engine import evaluate
from builder.engine.evaluation import Evaluation
from builder.expressions.compiler import OPTIONS

from .shipped_cases import shipped_cases

CASES = [(c.name, c.effective, c.answers, c.context) for c in shipped_cases()]


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
