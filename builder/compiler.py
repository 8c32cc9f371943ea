"""The builder pipeline for one service: YAML -> JSON Schema -> semantic checks ->
an immutable `Service`. All problems are collected; nothing raises on a bad definition."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Mapping

from . import checks, compile_flow, compile_logic, compile_lookups, compile_meta
from .compile_fields import ChoiceLists, choice_types, compile_fields, compile_options, walk
from .expressions import types as T
from .expressions.checker import CHOICES
from .model import ChoiceOption, LegalAct, Service, frozen_map
from .problems import Problems
from .schemacheck import check_document
from .scope import base_scope
from .unit import Unit
from .yamlload import Document, load_text


def compile_text(text: str, path: str, problems: Problems,
                 codelists: Mapping[str, tuple[ChoiceOption, ...]] | None = None,
                 templates: Path | None = None) -> Service | None:
    """Compile the service definition `text` (read from `path`); None if it has errors.
    `templates` is the definitions' templates folder, when known: each document's template
    must be a file there (E412)."""
    doc = load_text(text, path, problems)
    if doc is None or not check_document(doc, "service", problems):
        return None
    errors_before = len(problems.errors)
    service = _compile(Unit(doc, problems, base_scope(doc.data)), codelists or {}, templates)
    service = _with_source(service, doc, text)
    return service if len(problems.errors) == errors_before else None


def _compile(unit: Unit, codelists: Mapping[str, tuple[ChoiceOption, ...]], templates: Path | None) -> Service:
    checks.check_names(unit)
    checks.check_pages(unit)
    checks.check_for_each(unit)
    parameters = compile_logic.compile_parameters(unit)
    inline = {name: compile_options(unit, ("choices", name)) for name in unit.get(("choices",), {})}
    option_params = {name: p.default or () for name, p in parameters.items() if p.type == "options"}
    columns = {name: p.columns for name, p in parameters.items() if p.type == "options" and p.columns}
    lists = ChoiceLists(inline, codelists, option_params, columns)
    unit.scope = {**unit.scope, CHOICES: T.ObjectType(choice_types(unit.get(("fields",), {}), lists), "choices")}
    fields = compile_fields(unit, lists)
    index = {field.path: field for field in walk(fields)}
    checks.check_rule_fields(unit, index)
    compile_lookups.check_reserved(unit)
    lookups = compile_lookups.compile_lookups(unit, index)
    checks.check_bounds(unit, index.values())
    computed = checks.computed_order(unit, compile_logic.compile_computed(unit))
    documents = compile_flow.compile_documents(unit)
    if templates is not None:
        checks.check_templates(unit, documents, templates)
    process = compile_flow.compile_process(unit)
    checks.check_process(unit, process, documents)
    meta = unit.get(("service",))
    service = Service(
        id=meta["id"], code=meta["code"], version=str(meta["version"]),
        title=unit.text(("service", "title")), summary=unit.text(("service", "summary")),
        audience=tuple(meta.get("audience", ("any",))), processing_days=_whole(meta.get("processing_days")),
        result=unit.text(("service", "result")), channels=tuple(meta.get("channels", ("e_service",))),
        legal_basis=tuple(LegalAct(**{k: str(v) for k, v in act.items()}) for act in meta.get("legal_basis", [])),
        appeal=unit.text(("service", "appeal")), keywords=tuple(meta.get("keywords", ())),
        parameters=frozen_map(parameters), fields=fields, field_index=frozen_map(index),
        computed=computed, pages=compile_logic.compile_pages(unit), rules=compile_logic.compile_rules(unit),
        fees=compile_logic.compile_fees(unit), routing=compile_flow.compile_routing(unit),
        process=process, documents=frozen_map(documents), queue=compile_flow.compile_queue(unit),
        tests=compile_flow.compile_tests(unit),
        processing_days_expr=compile_meta.compile_processing_days(unit), price=compile_meta.compile_price(unit),
        asks_declaration=unit.get(("declaration",)) is not False, declaration_text=_declaration(unit),
        lookups=lookups,
        topic=meta.get("topic", "other"), example=bool(meta.get("example", False)),
        subject=compile_meta.compile_subject(unit, index),
    )
    checks.check_tests(unit, service)
    checks.check_pages_shown(unit, service)
    return service


def _declaration(unit: Unit):
    """The definition's own wording of the declaration (`declaration: {lv: ..., en: ...}`)."""
    return None if isinstance(unit.get(("declaration",)), bool) else unit.text(("declaration",))


def _whole(days) -> int | None:
    """A whole number of `processing_days`; None when it is an expression (compile_meta)."""
    return days if isinstance(days, int) else None


def _with_source(service: Service, doc: Document, text: str) -> Service:
    from dataclasses import replace
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return replace(service, source_path=doc.path, source_hash=digest, source_text=text)
