"""Fees as charged (runtime/fees.py): stored as JSON and read back unchanged."""
from __future__ import annotations

import json
from datetime import date

from builder.engine import Context, evaluate

from runtime.fees import charged_fees, fees_from_json, fees_to_json

from .support_documents import PET_ANSWERS, real_catalogue


def test_fees_with_reductions_survive_a_trip_through_json():
    effective = real_catalogue().effective("riga", "example-pet-registration")
    fees = evaluate(effective, PET_ANSWERS, Context(today=date(2026, 2, 1))).fees
    assert any(line.reductions for line in fees.lines)          # the pensioner's reduction is there
    stored = json.loads(json.dumps(fees_to_json(fees)))
    assert fees_from_json(stored) == fees


def test_a_submission_without_stored_fees_falls_back_to_the_outcome():
    class Old:
        fees = None

    class Outcome:
        fees = "fresh"

    assert charged_fees(Old(), Outcome()) == "fresh" and charged_fees(Old()) is None
