"""Fee arithmetic, exact to the cent, by the rules docs/language.md states (`fees`):
half-up rounding at each line, reductions and VAT each rounded, never below zero,
`best` / `sum` / `sequential` combination, exemptions, `for_each` and `quantity`."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.engine import Context, evaluate
from builder.engine.fees import cents

from .defs import TODAY, load, service

FIELDS = """
  name: {type: text, required: false, label: {lv: Vārds, en: Name}}
  count: {type: number, required: false, label: {lv: Skaits, en: Count}}
  price: {type: money, required: false, label: {lv: Cena, en: Price}}
  pensioner: {type: yes_no, required: false, label: {lv: Pensionārs, en: Pensioner}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, required: false, label: {lv: Čips, en: Chip}}
      sterilised: {type: yes_no, required: false, label: {lv: Sterilizēts, en: Sterilised}}"""
PAGES = "\n  - {id: main, title: {lv: A, en: A}, fields: [name, count, price, pensioner, pets]}"
PARAMETERS = """
  fee: {type: money, default: "10.00"}
  unit: {type: number, default: "0.125"}
  cut: {type: percent, default: 50}
  vat: {type: percent, default: 21}
  diameter_rate: {type: money, default: "2.00"}
  coefficients: {type: table, default: {oak: "1.5", birch: "1.0"}}"""


def fees_of(tmp_path: Path, lines: str, answers: dict | None = None, exemptions: str = ""):
    """The fee result of a service whose `fees` has `lines` (and fee-level `exemptions`)."""
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None,
                   fees=f"{exemptions}\n  lines:{lines}")
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    return evaluate(catalogue.effective("riga", "x"), answers or {}, Context(TODAY)).fees


def line(body: str) -> str:
    return f"\n    - {{label: {{lv: Maksa, en: Fee}}, {body}}}"


def test_half_up_at_the_line_not_bankers_rounding(tmp_path):
    # 3 x 0.125 = 0.375 -> 0.38; 0.025 -> 0.03 (banker's rounding would give 0.02)
    result = fees_of(tmp_path, line('id: a, quantity: "3", amount: param.unit') +
                     line('id: b, quantity: "0.2", amount: param.unit'))
    assert [l.amount for l in result.lines] == [Decimal("0.38"), Decimal("0.03")]


def test_the_total_is_the_sum_of_the_rounded_lines(tmp_path):
    # each line 0.125 -> 0.13; the total 0.26, not round(0.25) = 0.25
    result = fees_of(tmp_path, line("id: a, amount: param.unit") + line("id: b, amount: param.unit"))
    assert result.total == Decimal("0.26")


def test_a_percent_reduction_and_vat_are_each_rounded(tmp_path):
    # gross 10.05; 50 % of it = 5.025 -> 5.03; net 5.02; VAT 21 % = 1.0542 -> 1.05; 6.07
    result = fees_of(tmp_path, line('id: a, amount: price, vat_percent: param.vat, '
                                    'reductions: [{id: half, when: "true", percent: param.cut}]'),
                     {"price": "10.05"})
    (fee,) = result.lines
    assert (fee.gross, fee.reductions[0].amount, fee.vat, fee.amount) == (
        Decimal("10.05"), Decimal("5.03"), Decimal("1.05"), Decimal("6.07"))


def test_amounts_carry_exactly_two_decimal_places(tmp_path):
    result = fees_of(tmp_path, line("id: a, amount: param.fee") + line('id: b, amount: "7"'))
    assert all(l.amount.as_tuple().exponent == -2 for l in result.lines)
    assert str(result.total) == "17.00"


def test_a_line_never_goes_below_zero(tmp_path):
    result = fees_of(tmp_path, line('id: a, amount: param.fee, vat_percent: param.vat, '
                                    'reductions: [{id: big, when: "true", amount: "15"}]'))
    assert result.lines[0].amount == Decimal("0.00") and result.lines[0].vat == Decimal("0.00")


def test_a_negative_unit_amount_charges_nothing(tmp_path):
    result = fees_of(tmp_path, line("id: a, amount: price"), {"price": "-5"})
    assert result.total == Decimal("0.00")


REDUCTIONS = ('reductions: [{id: flat, when: "true", amount: "1.00"}, '
              '{id: tenth, when: "true", percent: "10"}, {id: never, when: "false", percent: "90"}]')


@pytest.mark.parametrize("combine, applied, amount", [
    ("best", [("tenth", "10.00")], "90.00"),                      # only the largest
    ("sum", [("flat", "1.00"), ("tenth", "10.00")], "89.00"),     # all, each on the gross
    ("sequential", [("flat", "1.00"), ("tenth", "9.90")], "89.10"),  # each on what is left
])
def test_reductions_combine(tmp_path, combine, applied, amount):
    result = fees_of(tmp_path, line(f'id: a, amount: "100", combine: {combine}, {REDUCTIONS}'))
    (fee,) = result.lines
    assert [(r.id, str(r.amount)) for r in fee.reductions] == applied
    assert fee.amount == Decimal(amount)


def test_summed_reductions_are_capped_at_the_gross(tmp_path):
    result = fees_of(tmp_path, line('id: a, amount: "10", combine: sum, reductions: ['
                                    '{id: p, when: "true", percent: "60"}, {id: q, when: "true", percent: "60"}]'))
    (fee,) = result.lines
    assert [str(r.amount) for r in fee.reductions] == ["6.00", "4.00"] and fee.amount == Decimal("0.00")


def test_a_line_exemption_keeps_the_line_at_zero_with_its_label(tmp_path):
    result = fees_of(tmp_path, line('id: a, amount: param.fee, vat_percent: param.vat, exemptions: '
                                    '[{id: pensioner, when: "pensioner == true", label: {lv: Pensionārs, en: Pensioner}}]'),
                     {"pensioner": "yes"})
    (fee,) = result.lines
    assert fee.exemption[0] == "pensioner" and fee.exemption[1]["en"] == "Pensioner"
    assert (fee.gross, fee.vat, fee.amount, fee.reductions) == (Decimal("10.00"), Decimal("0.00"), Decimal("0.00"), ())


def test_a_fee_level_exemption_exempts_every_line(tmp_path):
    exemptions = '\n  exemptions: [{id: all, when: "pensioner == true", label: {lv: Visi, en: All}}]'
    result = fees_of(tmp_path, line("id: a, amount: param.fee") + line('id: b, amount: "3"'),
                     {"pensioner": True}, exemptions)
    assert [(l.exemption[0], l.amount) for l in result.lines] == [("all", 0), ("all", 0)]
    assert result.total == Decimal("0.00")


def test_for_each_charges_per_entry_with_its_own_conditions(tmp_path):
    pets = [{"chip": "1", "sterilised": True}, {"chip": "2", "sterilised": False}, {"chip": "3"}]
    result = fees_of(tmp_path, line('id: pet, for_each: pets, when: "item.chip != \'3\'", amount: param.fee, '
                                    'reductions: [{id: st, when: "item.sterilised", percent: param.cut}]'),
                     {"pets": pets})
    assert [(l.item_index, l.amount) for l in result.lines] == [(0, Decimal("5.00")), (1, Decimal("10.00"))]
    assert result.total == Decimal("15.00")


def test_quantity_multiplies_the_unit_amount(tmp_path):
    result = fees_of(tmp_path, line('id: a, quantity: "count", amount: param.fee'), {"count": "2.5"})
    assert (result.lines[0].quantity, result.lines[0].amount) == (Decimal("2.5"), Decimal("25.00"))


def test_a_line_whose_amount_or_quantity_needs_a_missing_answer_is_not_charged(tmp_path):
    result = fees_of(tmp_path, line("id: a, amount: price") + line('id: b, quantity: "count", amount: "1"') +
                     line('id: c, amount: "2"'))
    assert [l.id for l in result.lines] == ["c"] and result.total == Decimal("2.00")


def test_the_tree_felling_worked_example_is_exact(tmp_path):
    """51 cm x 2.00 EUR/cm x 1.5 (oak) x 2 (location) x 0.8 (condition) = 244.80 exactly;
    binary floats would carry 244.80000000000004 into the sum."""
    result = fees_of(tmp_path, line('id: tree, quantity: "count", amount: '
                                    '"param.diameter_rate * lookup(param.coefficients, name) * 2 * 0.8"'),
                     {"count": "51", "name": "oak"})
    assert result.total == Decimal("244.80") and isinstance(result.total, Decimal)
    assert str(result.lines[0].amount) == "244.80"


def test_cents_rounds_half_up_in_both_directions():
    assert [cents(Decimal(v)) for v in ("0.005", "0.004", "-0.005", "2.675")] == [
        Decimal("0.01"), Decimal("0.00"), Decimal("-0.01"), Decimal("2.68")]


amounts = st.decimals(min_value=Decimal("-50"), max_value=Decimal("10000"), places=3)
percents = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=40, deadline=None)
@given(amount=amounts, first=percents, second=percents, vat=percents,
       combine=st.sampled_from(["best", "sum", "sequential"]))
def test_any_line_is_whole_cents_at_or_above_zero(tmp_path_factory, amount, first, second, vat, combine):
    result = fees_of(tmp_path_factory.mktemp("fees"), line(
        f'id: a, amount: "{amount}", combine: {combine}, vat_percent: "{vat}", reductions: ['
        f'{{id: p, when: "true", percent: "{first}"}}, {{id: q, when: "true", percent: "{second}"}}]'))
    (fee,) = result.lines
    assert fee.amount >= 0 and fee.amount.as_tuple().exponent == -2
    assert fee.gross - sum(r.amount for r in fee.reductions) >= 0
    assert fee.amount == max(Decimal(0), fee.gross - sum(r.amount for r in fee.reductions)) + fee.vat
    assert result.total == fee.amount


@pytest.mark.parametrize("combine", ["best", "sum", "sequential"])
def test_a_reduction_that_comes_out_negative_counts_as_zero(tmp_path, combine):
    """A reduction never raises a line: `price` answered negative gives 0, not +5.00."""
    result = fees_of(tmp_path, line(
        f'id: a, amount: param.fee, combine: {combine}, reductions: ['
        '{id: by_amount, when: "true", amount: "price"}, {id: by_percent, when: "true", percent: "0 - count"}]'),
        {"price": "-5.00", "count": "30"})
    (fee,) = result.lines
    assert fee.amount == Decimal("10.00")
    assert all(r.amount == 0 for r in fee.reductions)


def test_a_constant_negative_reduction_is_a_build_error(tmp_path):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None, fees="\n  lines:" + line(
        'id: a, amount: param.fee, reductions: [{id: p, when: "true", amount: "2 - 3"}, '
        '{id: q, when: "true", percent: "param.cut - 60"}]'))
    problems = load(tmp_path, services={"x": text}).problems
    assert [p.code for p in problems.errors] == ["E411"]      # param.cut - 60 depends on the municipality
    assert "reductions[0].amount" in problems.errors[0].message


def test_a_reduction_sees_the_line_gross_as_line_amount(tmp_path):
    """"Pensioners pay a fixed 1.42": the reduction is the gross less 1.42, per line."""
    result = fees_of(tmp_path, line(
        'id: a, quantity: "count", amount: param.fee, reductions: ['
        '{id: fixed, when: "line_amount > 15", amount: "line_amount - 1.42"}]'), {"count": "3"})
    (fee,) = result.lines
    assert fee.gross == Decimal("30.00") and fee.amount == Decimal("1.42")
    assert [r.amount for r in fee.reductions] == [Decimal("28.58")]
    result = fees_of(tmp_path / "one", line(
        'id: a, quantity: "count", amount: param.fee, reductions: ['
        '{id: fixed, when: "line_amount > 15", amount: "line_amount - 1.42"}]'), {"count": "1"})
    assert result.lines[0].amount == Decimal("10.00")          # `when` saw 10.00: no reduction


def test_line_amount_stays_the_gross_in_sequential_reductions(tmp_path):
    result = fees_of(tmp_path, line(
        'id: a, amount: param.fee, combine: sequential, reductions: ['
        '{id: half, when: "true", percent: "50"}, {id: quarter, when: "true", amount: "line_amount / 4"}]'))
    assert [r.amount for r in result.lines[0].reductions] == [Decimal("5.00"), Decimal("2.50")]


def test_line_amount_is_unknown_outside_reductions(tmp_path):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None,
                   fees="\n  lines:" + line('id: a, amount: "line_amount + 1"'))
    problems = load(tmp_path, services={"x": text}).problems
    assert [p.code for p in problems.errors] == ["E302"]
