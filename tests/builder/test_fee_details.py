"""Fee details the first mutation run found unchecked (docs/mutation.md): the labels a
line and its reductions carry to the resident, the unit amount, conditions that read
today or an entry's index, an exempted line that takes no reduction; and from the second
run the amounts staff set (`fees.assessed`), the due date and a per-entry line's name."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from builder.engine import Context, evaluate
from builder.engine.fees import entry_title

from .defs import TODAY, load, service
from .test_fees import FIELDS, PAGES, PARAMETERS, fees_of, line


def test_a_line_and_its_reductions_carry_their_labels_in_every_combination(tmp_path):
    for combine in ("best", "sum", "sequential"):
        result = fees_of(tmp_path / combine, line(
            f'id: a, amount: "10", combine: {combine}, reductions: '
            '[{id: half, when: "true", percent: "50", label: {lv: Puse, en: Half}}]'))
        (fee,) = result.lines
        assert fee.label["en"] == "Fee" and fee.unit_amount == Decimal("10.00")
        assert [(r.id, r.label["en"]) for r in fee.reductions] == [("half", "Half")], combine


def test_an_exempted_line_takes_no_reduction(tmp_path):
    result = fees_of(tmp_path, line(
        'id: a, amount: "10", exemptions: [{id: p, when: "pensioner == true", label: {lv: P, en: P}}], '
        'reductions: [{id: half, when: "true", percent: "50"}]'), {"pensioner": "yes"})
    (fee,) = result.lines
    assert fee.exemption[0] == "p" and fee.reductions == () and fee.amount == Decimal("0.00")


def test_a_per_entry_line_can_read_the_entrys_index(tmp_path):
    result = fees_of(tmp_path, line('id: tag, for_each: pets, when: "index > 0", amount: param.fee'),
                     {"pets": [{"chip": "1"}, {"chip": "2"}, {"chip": "3"}]})
    assert [l.item_index for l in result.lines] == [1, 2] and result.total == Decimal("20.00")


@pytest.mark.parametrize("today, lines, total", [
    (datetime.date(2026, 2, 1), 1, "10.00"),     # before the summer: no summer line, no reduction
    (datetime.date(2026, 7, 1), 2, "15.00"),     # the summer line, and the reduction from July
])
def test_line_and_reduction_conditions_read_the_evaluations_today(tmp_path, today, lines, total):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None, fees=(
        "\n  lines:" + line('id: base, amount: param.fee')
        + line('id: summer, when: "today() >= date(\'2026-06-01\')", amount: "10", '
               'reductions: [{id: july, when: "today() >= date(\'2026-07-01\')", percent: "50"}]')))
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    result = evaluate(catalogue.effective("riga", "x"), {}, Context(today)).fees
    assert len(result.lines) == lines and result.total == Decimal(total)


def today_fees(tmp_path, today: datetime.date, lines: str, reference: str = ""):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None,
                   fees=f"{reference}\n  lines:{lines}")
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    return evaluate(catalogue.effective("riga", "x"), {}, Context(today)).fees


SUMMER = "today() >= date('2026-06-01')"


@pytest.mark.parametrize("today, exempt, amount, reference", [
    (datetime.date(2026, 2, 1), False, "10.00", "W 2026-02-01"),
    (datetime.date(2026, 7, 1), True, "0.00", "S 2026-07-01"),
])
def test_amounts_exemptions_and_references_read_the_evaluations_today(tmp_path, today, exempt, amount, reference):
    result = today_fees(tmp_path, today,
                        line(f'id: a, amount: "{SUMMER} ? 20 : 10", '
                             f'exemptions: [{{id: summer, when: "{SUMMER}", label: {{lv: V, en: S}}}}]'),
                        reference=f'\n  reference: "{{{SUMMER} ? \'S\' : \'W\'}} {{string(today())}}"')
    (fee,) = result.lines
    assert (fee.exemption is not None, fee.amount) == (exempt, Decimal(amount))
    assert result.reference == reference and result.currency == "EUR"


def test_an_exemption_whose_condition_is_false_exempts_nothing(tmp_path):
    result = fees_of(tmp_path, line('id: a, amount: "10", exemptions: [{id: never, when: "false", label: {lv: N, en: N}}]'))
    (fee,) = result.lines
    assert fee.exemption is None and fee.amount == Decimal("10.00")


@pytest.mark.parametrize("amount, due", [
    ('"10"', datetime.date(2026, 2, 13)),    # the 10th working day after Sunday 1 February
    ('"0.50"', datetime.date(2026, 2, 13)),  # any amount to pay has one
    ('"0"', None),                           # nothing to pay: no due date
])
def test_the_due_date_is_worked_out_on_the_day_of_submission(tmp_path, amount, due):
    result = today_fees(tmp_path, datetime.date(2026, 2, 1), line(f"id: a, amount: {amount}"),
                        reference='\n  due: "working_days_add(today(), 10)"')
    assert result.due == due


def test_a_due_date_that_is_not_a_date_is_refused(tmp_path):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None,
                   fees='\n  due: "10"\n  lines:' + line('id: a, amount: "10"'))
    catalogue = load(tmp_path, services={"x": text})
    assert any("fees.due" in p.format() for p in catalogue.problems if p.severity == "error"), \
        [p.format() for p in catalogue.problems]


def test_without_a_due_rule_there_is_no_due_date(tmp_path):
    assert fees_of(tmp_path, line('id: a, amount: "10"')).due is None


def test_the_due_date_can_read_the_answers(tmp_path):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None,
                   fees='\n  due: "working_days_add(today(), pensioner == true ? 3 : 10)"\n  lines:'
                   + line('id: a, amount: "10"'))
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    fees = evaluate(catalogue.effective("riga", "x"), {"pensioner": "yes"}, Context(datetime.date(2026, 2, 1))).fees
    assert fees.due == datetime.date(2026, 2, 4)     # the 3rd working day after Sunday 1 February


@pytest.mark.parametrize("entry, title", [
    ({"name": " Reksis ", "dog_name": "Duksis"}, "Reksis"),       # `name` first, trimmed
    ({"name": "  ", "dog_name": "Duksis"}, "Duksis"),             # a blank `name` gives way
    ({"chip": "123", "dog_name": "Duksis"}, "Duksis"),            # only fields called ...name
    ({"z_name": "Zeta", "a_name": "Alfa"}, "Alfa"),               # in the order of their names
    ({"dog_name": 7, "cat_name": None, "pet_name": "Murka"}, "Murka"),   # text only
    ({"chip": "123"}, None),
    ({"name": ""}, None),
    (["name", "Reksis"], None),                                   # not an entry
    ("Reksis", None),
])
def test_a_repeat_entry_is_called_by_its_name_answer(entry, title):
    assert entry_title(entry) == title


def test_a_per_entry_line_carries_the_entrys_name(tmp_path):
    fields = FIELDS.replace("      chip:", "      dog_name: {type: text, required: false, label: {lv: V, en: N}}\n      chip:")
    text = service(parameters=PARAMETERS, fields=fields, pages=PAGES, tests=None,
                   fees="\n  lines:" + line('id: tag, for_each: pets, amount: param.fee') + line('id: base, amount: "1"'))
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    answers = {"pets": [{"chip": "1", "dog_name": "Reksis"}, {"chip": "2"}]}
    result = evaluate(catalogue.effective("riga", "x"), answers, Context(TODAY)).fees
    assert [(l.id, l.item_index, l.item_title) for l in result.lines] == [
        ("tag", 0, "Reksis"), ("tag", 1, None), ("base", None, None)]


def test_amounts_staff_set_are_listed_when_owed_with_their_label_and_reference(tmp_path):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, tests=None, fees=(
        '\n  reference: "MAKSA {name}"'
        '\n  assessed:'
        '\n    - {id: own, when: "pensioner == true", label: {lv: Kompensācija, en: Compensation}, reference: "KOMP {name}"}'
        '\n    - {id: shared, when: "true", label: {lv: Nodeva, en: Duty}}'
        '\n    - {id: never, when: "false", label: {lv: Nekad, en: Never}}'
        '\n    - {id: dated, when: "today() > date(\'2000-01-01\')", label: {lv: Datēta, en: Dated}}'
        '\n  lines:' + line('id: a, amount: "10"')))
    catalogue = load(tmp_path, services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    fees = evaluate(catalogue.effective("riga", "x"), {"pensioner": "yes", "name": "Anna"}, Context(TODAY)).fees
    assert [(a.id, a.label["en"], a.reference) for a in fees.to_assess] == [
        ("own", "Compensation", "KOMP Anna"), ("shared", "Duty", "MAKSA Anna"),
        ("dated", "Dated", "MAKSA Anna")]
    assert fees.total == Decimal("10.00")       # in no total until staff set them
