"""The engine's per-service shared state lives on the immutable effective service
(builder/engine/evaluation.py `_shared`): evaluating every (municipality, service) pair of
the shipped catalogue, and copies of them up to more effective services than the old
fixed-size cache held (256), keeps each one's state; a replaced effective service gets
its own."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate
from builder.engine.evaluation import _shared

ROOT = Path(__file__).resolve().parents[2]


def test_every_pair_of_the_catalogue_keeps_its_shared_state():
    catalogue = load_catalogue(ROOT / "definitions")
    shipped = [effective for m in catalogue.municipalities for effective in catalogue.enabled_services(m)]
    pairs = list(shipped)
    while len(pairs) <= 300:     # as many as a catalogue of more municipalities binds
        pairs += [dataclasses.replace(effective) for effective in shipped]
    context = Context(today=dt.date(2026, 2, 1))
    first = []
    for effective in pairs:
        evaluate(effective, {}, context)
        first.append(_shared(effective))
    for effective in pairs:
        evaluate(effective, {}, context)
    assert all(_shared(effective) is state for effective, state in zip(pairs, first))
    replaced = dataclasses.replace(pairs[0])
    assert _shared(replaced) is not first[0] and _shared(replaced).effective is replaced
