"""`pkip validate` renders every document template a service names with each of its test
cases' answers, in each language, so that a template error is found by the author at its
line (E413), not by a resident whose permit cannot be produced."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from .catalogue import Catalogue
from .deftests import EvaluatedCase, evaluate_case
from .doctemplates import LANGUAGES, choice_labeller, sandboxed_environment, try_render
from .engine import to_json
from .model import Service
from .problems import Problems


def check_document_templates(catalogue: Catalogue, services: Iterable[Service], problems: Problems) -> None:
    folder = Path(catalogue.root) / "templates"
    if not folder.is_dir():
        return
    environment = sandboxed_environment(folder)
    reported: set[tuple[str, int]] = set()
    for service in services:
        for case in service.tests if service.documents else ():
            evaluated = evaluate_case(catalogue, service, case)
            if isinstance(evaluated, str):
                continue            # `pkip test` reports it
            for document in service.documents.values():
                for language in LANGUAGES:
                    failure = try_render(environment, folder, document.template,
                                         template_variables(service, evaluated, language))
                    if failure is not None and failure[:2] not in reported:
                        reported.add(failure[:2])
                        file, line, why = failure
                        problems.add("E413", f"template {document.template} does not render for test "
                                             f'"{case.name}" in {language}: {why}', file, line, 1)


def template_variables(service: Service, evaluated: EvaluatedCase, language: str) -> dict[str, Any]:
    """What a result document's template sees, filled from a test case (a case not yet stored:
    its reference is a sample of the format, its decision a sample text)."""
    effective, outcome = evaluated.effective, evaluated.outcome
    sample = {"reference": f"{effective.municipality.reference_code}-{service.code or 'X'}-{evaluated.today.year}-000001",
              "submitted_at": evaluated.today.isoformat(), "decided_on": evaluated.today.isoformat(),
              "decision": "…"}
    return document_variables(effective, answers=to_json(outcome.values), computed=to_json(outcome.computed),
                              fees=outcome.fees, case=sample, language=language)


def document_variables(effective: Any, *, answers: Any, computed: Any, fees: Any, case: dict[str, Any],
                       language: str) -> dict[str, Any]:
    """The variables of a result document (docs/language.md, `documents`), the same for
    `pkip validate` and for the runtime that renders a decided case's document. `case`
    holds `reference`, `submitted_at`, `decided_on` and `decision` (texts)."""
    municipality, service = effective.municipality, effective.service
    return {
        "service": service, "language": language,
        "municipality": {"id": municipality.id, "name": municipality.name, "contacts": dict(municipality.contacts),
                         "registration_number": municipality.registration_number,
                         "e_address": municipality.e_address, "iban": municipality.iban},
        "case": dict(case), "answers": answers, "computed": computed, "params": dict(effective.params),
        "fees": {"lines": [{"label": line.label, "amount": line.amount, "reference": line.reference,
                            "exemption": line.exemption} for line in (fees.lines if fees else ())],
                 "total": fees.total if fees else 0},
        "label": choice_labeller(service, effective.options, language),
    }
