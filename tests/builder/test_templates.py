"""Every document template a real service names exists (E412 keeps it so) and renders, in
Jinja's sandbox as the runtime uses it, with the answers of the service's first valid
definition test, in both languages."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate
from builder.overlay import bind

from .defs import load, service

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
CATALOGUE = load_catalogue(DEFINITIONS)
DOCUMENTS = [(s, d) for s in CATALOGUE.services.values() for d in s.documents.values()]


def _variables(svc, language: str) -> dict:
    case = next(c for c in svc.tests if c.expect.get("valid") is True)
    municipality = CATALOGUE.municipalities[case.context["municipality"]]
    effective = bind(svc, municipality)
    outcome = evaluate(effective, case.answers, Context(today=datetime.date.fromisoformat(str(case.context["today"])),
                                                         person=case.context.get("person")))
    def label(path, value):
        field = svc.field_index.get(path)
        found = [o.label.get_for(language) for o in effective.options(field) if o.value == value] if field else []
        return found[0] if found else ("" if value is None else str(value))
    return {"service": svc, "municipality": municipality, "answers": outcome.values, "computed": outcome.computed,
            "params": effective.params, "fees": outcome.fees, "language": language, "label": label,
            "case": {"reference": "RIX-XX-2026-000001", "submitted_at": "2026-02-01 10:00"}}


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("svc, document", DOCUMENTS, ids=lambda x: getattr(x, "id", ""))
def test_each_template_renders_in_the_sandbox(svc, document, language):
    environment = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(DEFINITIONS / "templates")),
                                                autoescape=select_autoescape(default=True), trim_blocks=True,
                                                lstrip_blocks=True)
    html = environment.get_template(document.template).render(**_variables(svc, language))
    assert f'<html lang="{language}">' in html and "RIX-XX-2026-000001" in html
    assert "<h1>" in html and "<table>" in html


def test_a_present_template_passes_and_a_missing_one_is_reported(tmp_path):
    documents = "\n  permit: {title: {lv: A, en: A}, template: permit.html}"
    text = service(documents=documents)
    assert [p.code for p in load(tmp_path / "a", services={"x": text}).problems.errors] == ["E412"]
    (tmp_path / "b" / "templates").mkdir(parents=True)
    (tmp_path / "b" / "templates" / "permit.html").write_text("<p></p>")
    assert load(tmp_path / "b", services={"x": text}).problems.errors == []


def test_a_template_outside_the_folder_is_refused_by_the_schema(tmp_path):
    (tmp_path / "secret.html").write_text("<p></p>")
    text = service(documents="\n  permit: {title: {lv: A, en: A}, template: ../secret.html}")
    assert [p.code for p in load(tmp_path / "defs", services={"x": text}).problems.errors] == ["E205"]
