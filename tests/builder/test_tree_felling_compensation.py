"""The tree-felling compensation of the real service: the national method (trunk diameter x
base rate x species, location and condition coefficients) times the municipality's own
coefficient, computed only where the municipality has the form calculate it. No real
municipality does yet (its coefficient is not known), so a synthetic overlay sets it here."""
from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate

ROOT = Path(__file__).resolve().parents[2] / "definitions"
OVERLAY = """\
format: 1
municipality:
  id: testa-novads
  name: {lv: Testa novads, en: Test Municipality}
  kind: novads
  atvk: "0099000"
  iso: LV-999
institutions:
  council: {name: {lv: Testa novada pašvaldība, en: Test Municipality}}
services:
  tree-felling-permit:
    enabled: true
    parameters: {calculate_compensation: true, municipal_coefficient: "%s"}
"""
OAK = {"species": "oak", "trunk_diameter_cm": 51, "stump_diameter_cm": 60, "reason": "landscaping",
       "condition": "weakened"}
ANSWERS = {
    "applicant_kind": "person",
    "individual": {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"},
    "contacts": {"address": "Brīvības iela 1", "email": "janis@example.lv"},
    "applicant_role": "owner",
    "land": {"cadastral_designation": "0100 012 0034", "address": "Brīvības iela 1", "in_city_or_village": True,
             "location_zone": "centre", "ownership": "private", "protected_area": False,
             "multi_apartment": False, "municipality_financed": False},
    "felling_date": "2026-09-01",
    "site_plan": {"name": "plans.pdf", "size": 200000, "media_type": "application/pdf"},
    "photos": [{"name": "ozols.jpg", "size": 900000, "media_type": "image/jpeg"}],
}


def outcome(tmp_path: Path, coefficient: str, trees: list[dict], **land):
    root = tmp_path / "definitions"
    shutil.copytree(ROOT, root)
    (root / "municipalities" / "testa-novads.yaml").write_text(OVERLAY % coefficient, encoding="utf-8")
    catalogue = load_catalogue(root)
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems.errors]
    answers = {**ANSWERS, "trees": trees, "land": {**ANSWERS["land"], **land}}
    return evaluate(catalogue.effective("testa-novads", "tree-felling-permit"), answers,
                    Context(today=datetime.date(2026, 3, 2)))


@pytest.mark.parametrize("coefficient, amount", [("1", "244.80"), ("1.5", "367.20"), ("0.5", "122.40")])
def test_compensation_is_the_national_method_times_the_municipal_coefficient(tmp_path, coefficient, amount):
    # 51 cm x 2.00 x oak 1.5 x centre 2.0 x weakened 0.8 = 244.80 (the placeholder national
    # tables reproduce DOMAIN.md's illustration), then x the municipality's coefficient
    result = outcome(tmp_path, coefficient, [OAK])
    assert result.valid, [issue.key for issue in result.errors]
    assert [(line.id, line.amount) for line in result.fees.lines] == [("compensation", Decimal(amount))]
    assert "compensation_by_municipality" not in {issue.key for issue in result.warnings}


def test_dead_trees_and_land_outside_cities_pay_no_compensation(tmp_path):
    dead = {**OAK, "reason": "dead", "condition": "dead"}
    assert outcome(tmp_path / "a", "1.5", [dead]).fees.total == Decimal("0.00")
    assert outcome(tmp_path / "b", "1.5", [OAK], in_city_or_village=False).fees.total == Decimal("0.00")
