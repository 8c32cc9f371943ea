"""Catalogue facts from parameters (issue 10, item 7): `processing_days` and `price` may
come from the municipality's parameters, so one overlay value changes what the catalogue
says and what the process does, with no number written twice."""
from __future__ import annotations

from decimal import Decimal

from builder.engine.facts import catalogue_facts

from .defs import BASE_SECTIONS, RIGA, TODAY, codes, compile_problems, load, service

META = BASE_SECTIONS["service"]
PARAMS = '\n  fee: {type: money, default: "10.00"}\n  decision_days: {type: integer, default: 21, min: 0}'


def facts_of(tmp_path, meta: str, riga: str = RIGA):
    catalogue = load(tmp_path, services={"x": service(service=META + meta, parameters=PARAMS)},
                     municipalities={"riga": riga})
    assert not catalogue.problems.errors, [p.format() for p in catalogue.problems.errors]
    return catalogue_facts(catalogue.effective("riga", "x"), TODAY)


def test_processing_days_and_price_come_from_the_defaults(tmp_path):
    facts = facts_of(tmp_path, "\n  processing_days: param.decision_days"
                               "\n  price: {amount: param.fee, note: {lv: gadā, en: a year}}")
    assert facts.processing_days == 21
    assert facts.price == Decimal("10.00")
    assert facts.price_note.get_for("en") == "a year"


def test_a_municipality_overlay_changes_what_the_catalogue_says(tmp_path):
    riga = RIGA.replace("  x: {enabled: true}", '  x: {enabled: true, parameters: {decision_days: 10, fee: "8.5"}}')
    facts = facts_of(tmp_path, "\n  processing_days: param.decision_days\n  price: {amount: param.fee}", riga)
    assert (facts.processing_days, facts.price) == (10, Decimal("8.50"))


def test_a_whole_number_stays_as_it_was_and_no_price_is_not_free(tmp_path):
    facts = facts_of(tmp_path, "\n  processing_days: 5")
    assert (facts.processing_days, facts.price) == (5, None)


def test_an_expression_over_parameters_is_rounded_up_to_whole_days(tmp_path):
    facts = facts_of(tmp_path, '\n  processing_days: "param.decision_days * 0.5"\n  price: {amount: 0}')
    assert facts.processing_days == 11          # 10.5 working days: never shortened
    assert facts.price == 0                     # free of charge, said so


def test_a_catalogue_fact_may_not_read_an_answer(tmp_path):
    text = service(service=META + "\n  processing_days: \"size(pets) > 2 ? 20 : 10\"", parameters=PARAMS)
    compiled, problems = compile_problems(text)
    assert compiled is None and codes(problems) == ["E414"]
    assert "reads pets" in problems.errors[0].message


def test_a_price_that_is_not_a_number_is_a_type_error(tmp_path):
    text = service(service=META + "\n  price: {amount: \"param.decision_days > 1\"}", parameters=PARAMS)
    compiled, problems = compile_problems(text)
    assert compiled is None and codes(problems) == ["E306"]
