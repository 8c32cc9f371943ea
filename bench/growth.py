"""Growth with the number of repeat entries: one evaluation of the dog-fee service (Riga)
with 1, 10 and 50 dogs, each dog with its own chip number, from the definition's first
valid test. The cost per extra dog should be flat: the figure is the cost per dog from 10
to 50 over the cost per dog from 1 to 10 (1.0 is linear; a rule comparing every pair of
dogs makes it grow with the number of dogs). Past the service's `max` of dogs the only
error is that one (the whole evaluation still runs: every field, rule and fee line)."""
from __future__ import annotations

import copy
import datetime
import statistics
import time
from pathlib import Path

from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate

from .report import Figure, emit, ratio

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1, 10, 50)


def answers_with(base: dict, dogs: int) -> dict:
    template = base["dogs"][0]
    answers = copy.deepcopy(base)
    answers["dogs"] = [{**copy.deepcopy(template), "chip": f"{900000000000000 + index:015d}",
                        "name": f"Suns {index}"} for index in range(dogs)]
    return answers


def figures(runs: int) -> list[Figure]:
    catalogue = load_catalogue(ROOT / "definitions")
    effective = catalogue.effective("riga", "dog-fee")
    case = next(c for c in effective.service.tests if c.expect.get("valid") and c.answers.get("dogs"))
    context = Context(today=datetime.date.fromisoformat(str(case.context["today"])), person=case.context.get("person"))
    medians = {}
    for size in SIZES:
        answers = answers_with(dict(case.answers), size)
        outcome = evaluate(effective, answers, context)
        if outcome.stop is not None or any(issue.key != "dogs" for issue in outcome.errors):
            raise RuntimeError(f"{size} dogs do not make a valid application: {[i.key for i in outcome.errors]}")
        times = []
        for _ in range(max(runs, 3)):
            started = time.perf_counter()
            evaluate(effective, answers, context)
            times.append((time.perf_counter() - started) * 1000)
        medians[size] = statistics.median(times)
    first, middle, last = (medians[size] for size in SIZES)
    early, late = (middle - first) / (SIZES[1] - SIZES[0]), (last - middle) / (SIZES[2] - SIZES[1])
    return [emit(Figure(
        "growth.evaluate_per_entry", "evaluation cost per repeat entry, 10 to 50 dogs / 1 to 10 dogs", ratio(late, early),
        "late / early per-entry cost", "lower",
        {**{f"evaluate_{size}_ms": round(medians[size], 3) for size in SIZES},
         "per_dog_1_to_10_ms": round(early, 4), "per_dog_10_to_50_ms": round(late, 4), "runs": max(runs, 3)}))]
