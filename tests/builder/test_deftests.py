"""The definition tests' expectations: payment references (fees-level and per line) and the
process deadline, each compared exactly and able to fail."""
from __future__ import annotations

from builder.deftests import run_service_tests

from .defs import codes, load, service

FEES = """
  reference: "{name} X"
  lines:
    - {id: pet, label: {lv: Dzīvnieks, en: Pet}, for_each: pets, amount: param.fee, reference: "{name} {item.chip}"}"""


def _failures(tmp_path, expect: str, process: str | None = None) -> list[str]:
    tests = ("\n  - name: t\n    context: {municipality: riga, today: 2026-01-15}"
             "\n    answers: {name: Ozola, pets: [{chip: '001'}, {chip: '002'}]}"
             f"\n    expect: {expect}")
    text = service(fees=FEES, tests=tests, process=process)
    catalogue = load(tmp_path, services={"x": text})
    assert codes(catalogue.problems.errors) == [], [p.format() for p in catalogue.problems]
    (result,) = run_service_tests(catalogue, catalogue.services.values())
    return list(result.failures)


def test_the_fees_reference_is_compared(tmp_path):
    assert _failures(tmp_path, '{reference: "Ozola X"}') == []
    failures = _failures(tmp_path, '{reference: "Ozola Y"}')
    assert failures == ["reference: expected 'Ozola Y', got 'Ozola X'"]


def test_a_line_reference_is_compared_when_given(tmp_path):
    lines = '{fee_lines: [{id: pet, amount: "10.00", reference: "Ozola 001"}, {id: pet, amount: "10.00"}]}'
    assert _failures(tmp_path, lines) == []
    wrong = lines.replace("Ozola 001", "Ozola 002")
    (failure,) = _failures(tmp_path, wrong)
    assert failure.startswith("fee_lines:") and "reference: 'Ozola 001'" in failure


def test_a_line_without_a_reference_ignores_it(tmp_path):
    assert _failures(tmp_path, '{fee_lines: [{id: pet, amount: "10.00"}, {id: pet, amount: "10.00"}]}') == []
    (failure,) = _failures(tmp_path, '{fee_lines: [{id: pet, amount: "10.00"}, {id: pet, amount: "9.00"}]}')
    assert "reference" not in failure


def test_the_schema_refuses_an_unknown_key_in_an_expected_line(tmp_path):
    tests = ("\n  - name: t\n    context: {municipality: riga, today: 2026-01-15}"
             "\n    expect: {fee_lines: [{id: pet, amount: '1.00', ref: x}]}")
    catalogue = load(tmp_path, services={"x": service(fees=FEES, tests=tests)})
    assert "E202" in codes(catalogue.problems.errors)


PROCESS = """
  initial: submitted
  deadline_days: "size(pets) > 1 ? 20 : 10.2"
  states:
    submitted: {label: {lv: Iesniegts, en: Submitted}}
    done: {label: {lv: Gatavs, en: Done}, final: true}
  transitions:
    - {from: submitted, to: done, by: [clerk]}"""


def test_the_deadline_is_evaluated_for_the_answers(tmp_path):
    assert _failures(tmp_path, "{deadline: 20}", PROCESS) == []
    assert _failures(tmp_path, "{deadline: 10}", PROCESS) == ["deadline: expected 10, got 20"]


def test_a_fractional_deadline_is_rounded_up(tmp_path):
    one_pet = PROCESS.replace("size(pets) > 1", "size(pets) > 2")
    assert _failures(tmp_path, "{deadline: 11}", one_pet) == []


def test_without_a_process_the_deadline_is_null(tmp_path):
    assert _failures(tmp_path, "{deadline: null}") == []
    assert _failures(tmp_path, "{deadline: 5}") == ["deadline: expected 5, got None"]


def test_an_unexpectedly_invalid_case_says_which_errors_made_it_so(tmp_path):
    text = service(tests="""
  - name: t
    context: {municipality: riga, today: 2026-01-15}
    answers: {}
    expect: {valid: true}""")
    catalogue = load(tmp_path, services={"x": text})
    (result,) = run_service_tests(catalogue, catalogue.services.values())
    assert result.failures == ("valid: expected True, got False (name: Enter name)",)
