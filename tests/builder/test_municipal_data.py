"""Typed municipality data: option lists whose extra columns declare their types, lists of
codes, range-checked tables, value bands with ascending thresholds, and a date that recurs
every year; each checked in the default (E409) and in every overlay (E603), at its place."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from builder.engine import Context, evaluate

from .defs import RIGA, compile_problems, line_of, load, service

PARAMETERS = """
  places:
    type: options
    columns: {park: boolean, zone: text}
    default:
      - {value: centre, label: Centrs, extra: {park: true, zone: a}}
      - {value: market, label: Tirgus, extra: {park: false}}
  districts: {type: codes, default: ["0001000", "0002000"]}
  coefficients: {type: table, min: "0", max: "5", default: {oak: "1.5"}}
  visitor_bands:
    type: bands
    default: [{from: 0, value: "10.00"}, {from: 1000, value: "50.00"}, {from: 5000, value: "120.00"}]
  deadline: {type: yearly_date, default: "03-01"}"""
FIELDS = """
  place: {type: choice, choices: param.places, label: {lv: Vieta, en: Place}}
  visitors: {type: number, decimals: 0, label: {lv: Apmeklētāji, en: Visitors}}
  district: {type: text, required: false, label: {lv: ATVK, en: ATVK}}"""
COMPUTED = """
  band_fee: {type: money, expr: "band(param.visitor_bands, visitors)"}
  in_park: {type: boolean, expr: "option_of(place).extra.park == true"}
  due: {type: date, expr: "param.deadline"}
  ours: {type: boolean, expr: "district in param.districts"}"""
PAGES = "\n  - {id: main, title: {lv: G, en: M}, fields: [place, visitors, district]}"


def _service(**changes) -> str:
    return service(**{"parameters": PARAMETERS, "fields": FIELDS, "computed": COMPUTED, "pages": PAGES,
                      "tests": None, **changes})


def _riga(parameters: str) -> str:
    return RIGA.replace("x: {enabled: true}", f"x:\n    enabled: true\n    parameters:{parameters}")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    catalogue = load(tmp_path_factory.mktemp("data"), services={"x": _service()})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = catalogue.effective("riga", "x")
    return lambda answers, today=datetime.date(2026, 1, 15): evaluate(effective, answers, Context(today))


@pytest.mark.parametrize("visitors, fee", [("0", "10.00"), ("999", "10.00"), ("1000", "50.00"), ("70000", "120.00")])
def test_a_band_lookup_takes_the_band_the_number_falls_in(run, visitors, fee):
    assert run({"place": "centre", "visitors": visitors}).computed["band_fee"] == Decimal(fee)


def test_typed_columns_codes_and_a_yearly_date_in_expressions(run):
    outcome = run({"place": "centre", "visitors": "5", "district": "0002000"})
    assert outcome.computed["in_park"] is True and outcome.computed["ours"] is True
    assert outcome.computed["due"] == datetime.date(2026, 3, 1)
    assert run({"place": "market", "visitors": "5"}, today=datetime.date(2027, 5, 1)).computed["due"] == \
        datetime.date(2027, 3, 1)


def test_a_declared_column_has_its_type_in_expressions():
    text = _service(computed='\n  odd: {type: integer, expr: "option_of(place).extra.park + 1"}')
    _, problems = compile_problems(text)
    assert [p.code for p in problems if p.is_error] == ["E305"]


@pytest.mark.parametrize("overlay, needle, why", [
    ('\n      places: [{value: park, label: Parks, extra: {park: "true"}}]', "park: \"true\"", "write true or false without quotes"),
    ('\n      visitor_bands: [{from: 0, value: "5"}, {from: 0, value: "9"}]', "visitor_bands", "thresholds must go up"),
    ('\n      coefficients: {oak: "7"}', "coefficients", "row oak: 7 is above the maximum 5"),
    ('\n      districts: ["0001000", ""]', "districts", "not a valid codes"),
    ('\n      deadline: "02-30"', "deadline", "not a valid yearly_date"),
])
def test_every_overlay_is_held_to_the_types(tmp_path, overlay, needle, why):
    riga = _riga(overlay)
    catalogue = load(tmp_path, services={"x": _service()}, municipalities={"riga": riga})
    (problem,) = [p for p in catalogue.problems if p.is_error]
    assert problem.code == "E603" and why in problem.message, problem.format()
    assert problem.line == line_of(riga, needle.split(":")[0] if needle != 'park: "true"' else "places")


def test_a_default_with_descending_bands_is_e409():
    text = _service(parameters=PARAMETERS.replace("{from: 1000,", "{from: -5,"))
    _, problems = compile_problems(text)
    (problem,) = [p for p in problems if p.is_error]
    assert problem.code == "E409" and "ascending order" in problem.message
    assert problem.line == line_of(text, "visitor_bands:") + 2
