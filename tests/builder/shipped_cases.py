"""The shipped services' definition tests as engine inputs, for tests that compare two ways
of evaluating the same answers over everything the project ships."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from builder import deftests
from builder.catalogue import load_catalogue
from builder.engine import Context
from builder.overlay import EffectiveService, bind

from .defs import TODAY

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ShippedCase:
    name: str                                   # "service:test name"
    effective: EffectiveService
    answers: dict[str, Any]                     # with the fixtures' files filled in
    context: Context
    ask: Callable[[tuple], dict]                # the registers' answers the test declares


def shipped_cases() -> Iterator[ShippedCase]:
    """Every definition test of every shipped service whose municipality is shipped too."""
    catalogue = load_catalogue(ROOT / "definitions")
    for service in catalogue.services.values():
        for case in service.tests:
            municipality = catalogue.municipalities.get(str(case.context.get("municipality")))
            if municipality is None:
                continue
            answers = deftests._with_fixtures(service.fields, case.answers, Path(catalogue.root) / "fixtures")
            registers = case.context.get("registers") or {}
            yield ShippedCase(
                f"{service.id}:{case.name}", bind(service, municipality), answers,
                Context(today=deftests._date(case.context.get("today")) or TODAY, person=case.context.get("person")),
                lambda asked, registers=registers: deftests._register_answers(asked, registers))
