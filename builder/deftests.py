"""Definition tests: run the `tests:` cases a service carries, through the same engine the
runtime uses, and compare each expectation exactly."""
from __future__ import annotations

import datetime
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from .catalogue import Catalogue
from .engine import Context, Outcome, evaluate_asking
from .documents import file_answer
from .model import Field, Service, TestCase
from .overlay import EffectiveService, bind
from .registers import FOUND, NOT_FOUND, UNAVAILABLE, RegisterAnswer


@dataclass(frozen=True)
class CaseResult:
    service: Service
    case: TestCase
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def run_service_tests(catalogue: Catalogue, services: Iterable[Service]) -> list[CaseResult]:
    return [CaseResult(service, case, tuple(run_case(catalogue, service, case)))
            for service in services for case in service.tests]


def run_case(catalogue: Catalogue, service: Service, case: TestCase) -> list[str]:
    """The ways the outcome differs from what the case expects (empty when it passes)."""
    evaluated = evaluate_case(catalogue, service, case)
    if isinstance(evaluated, str):
        return [evaluated]
    outcome = evaluated.outcome
    return [failure for key, expected in case.expect.items()
            if (failure := _compare(key, expected, outcome)) is not None]


@dataclass(frozen=True)
class EvaluatedCase:
    effective: EffectiveService
    outcome: Outcome
    today: datetime.date


def evaluate_case(catalogue: Catalogue, service: Service, case: TestCase) -> EvaluatedCase | str:
    """The engine's outcome for a test case's answers and context, or why there is none."""
    context = case.context
    municipality = catalogue.municipalities.get(str(context.get("municipality")))
    if municipality is None:
        return f'no municipality "{context.get("municipality")}" in the definitions'
    today = _date(context.get("today")) or datetime.date.today()
    try:
        answers = _with_fixtures(service.fields, case.answers, Path(catalogue.root) / "fixtures")
    except OSError as exc:
        return f"fixture: {exc}"
    effective = bind(service, municipality)
    registers = context.get("registers") or {}
    outcome = evaluate_asking(effective, answers, Context(today=today, person=context.get("person")),
                              lambda asked: _register_answers(asked, registers))
    return EvaluatedCase(effective, outcome, today)


def _register_answers(asked, registers: Mapping[str, Any]) -> dict:
    """What the test's `context.registers` says of each key asked: `unavailable`, found (its
    members) or not found; a register the test does not name is not asked."""
    answers = {}
    for request in asked:
        held = registers.get(request.register)
        if held == "unavailable":
            answers[(request.register, request.key)] = RegisterAnswer(UNAVAILABLE)
        elif isinstance(held, Mapping):
            data = held.get(request.key)
            answers[(request.register, request.key)] = RegisterAnswer(FOUND, data) if isinstance(data, Mapping) \
                else RegisterAnswer(NOT_FOUND)
    return answers


def _compare(key: str, expected: Any, outcome: Outcome) -> str | None:
    if key == "computed":
        actual: Any = {name: outcome.computed.get(name) for name in expected}
        same = all(_same_value(expected[name], actual[name]) for name in expected)
        return None if same else f"{key}: expected {_show(expected)}, got {_show(actual)}"
    actual = _actual(key, outcome)
    if key in ("errors", "warnings", "fees_to_assess"):
        same = sorted(map(str, expected or [])) == actual
    elif key == "fee_lines":
        same = len(expected) == len(actual) and all(map(_same_line, expected, actual))
        actual = [_shown_line(e, a) for e, a in zip(expected, actual)] + actual[len(expected):]
    else:
        same = _same_value(expected, actual)
    if same:
        return None
    return f"{key}: expected {_show(expected)}, got {_show(actual)}" + (_why_invalid(outcome) if key == "valid" else "")


def _why_invalid(outcome: Outcome) -> str:
    """What made the answers invalid (or that nothing did), so a failing `valid` says why."""
    found = [f"{issue.key}: {issue.message.get('en') or issue.message.get('lv')}" for issue in outcome.errors]
    if outcome.stop is not None:
        found.append(f"stop {outcome.stop.rule}")
    return f" ({'; '.join(found)})" if found else " (no errors)"


def _same_line(expected: Mapping, actual: Mapping) -> bool:
    """A fee line matches on id and amount, and on its payment reference when the test gives one."""
    return (expected.get("id") == actual["id"] and _same_value(expected.get("amount"), actual["amount"])
            and ("reference" not in expected or expected["reference"] == actual["reference"]))


def _shown_line(expected: Mapping, actual: Mapping) -> dict:
    """The actual line as a failure shows it: the reference only where the test compares it."""
    return actual if "reference" in expected else {"id": actual["id"], "amount": actual["amount"]}


def _actual(key: str, outcome: Outcome) -> Any:
    if key in ("errors", "warnings"):
        issues = outcome.errors if key == "errors" else outcome.warnings
        return sorted({issue.rule or issue.key for issue in issues})
    return {
        "valid": lambda: outcome.valid,
        "stop": lambda: outcome.stop.rule if outcome.stop else None,
        "fee_total": lambda: outcome.fees.total,
        "fee_due": lambda: outcome.fees.due,
        "fees_to_assess": lambda: sorted(fee.id for fee in outcome.fees.to_assess),
        "fee_lines": lambda: [{"id": line.id, "amount": line.amount, "reference": line.reference}
                              for line in outcome.fees.lines],
        "route": lambda: outcome.route,
        "institution": lambda: outcome.institution.id if outcome.institution is not None else None,
        "pages": lambda: list(outcome.visible_pages),
        "reference": lambda: outcome.fees.reference,
        "deadline": lambda: outcome.deadline_days,
    }[key]()


def _with_fixtures(fields: tuple[Field, ...], answers: Any, root: Path) -> Any:
    """The answers with each file answer `{fixture: e-invoice/valid.xml}` replaced by the
    answer the runtime would store for that upload (read by the field's document reader)."""
    if not isinstance(answers, Mapping):
        return answers
    result = dict(answers)
    for field in fields:
        value = answers.get(field.name)
        if field.type == "file" and value is not None:
            result[field.name] = ([_fixture(field, v, root) for v in value] if isinstance(value, list)
                                  else _fixture(field, value, root))
        elif field.type == "group":
            result[field.name] = _with_fixtures(field.children, value, root)
        elif field.type == "repeat" and isinstance(value, list):
            result[field.name] = [_with_fixtures(field.children, entry, root) for entry in value]
    return result


def _fixture(field: Field, value: Any, root: Path) -> Any:
    if not isinstance(value, Mapping) or "fixture" not in value:
        return value
    path = (root / str(value["fixture"])).resolve()
    if not path.is_relative_to(root.resolve()):
        raise OSError(f"{value['fixture']} is outside {root}")
    data = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if field.document:
        return file_answer(field.document, path.name, media_type, data)
    return {"name": path.name, "size": len(data), "media_type": media_type}


def _same_value(expected: Any, actual: Any) -> bool:
    if isinstance(expected, list) and isinstance(actual, list):      # a per-entry computed value
        return len(expected) == len(actual) and all(map(_same_value, expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None or actual is None:
        return expected == actual
    if isinstance(actual, (Decimal, int)) and not isinstance(actual, bool):
        try:
            return Decimal(str(expected)) == Decimal(actual)
        except InvalidOperation:
            return False
    if isinstance(actual, datetime.date):
        return str(expected) == actual.isoformat()
    return expected == actual


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _date(raw: Any) -> datetime.date | None:
    if raw is None:
        return None
    return raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw))
