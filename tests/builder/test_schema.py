"""The JSON Schemas and their mapping to problems E201-E208.

The doc's examples are the contract: each service fragment must validate inside a
minimal service; every problem code has a small broken file with its exact position.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from builder.problems import Problems
from builder.schemacheck import check_document, load_schema
from builder.yamlload import Document, load_text

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_DOC = ROOT / "docs" / "language.md"

MINIMAL_SERVICE = {
    "format": 1,
    "service": {"id": "dog-fee", "code": "SUN", "version": "1.0.0", "title": {"lv": "Suns", "en": "Dog"}},
    "fields": {"name": {"type": "text"}},
    "pages": [{"id": "main", "title": "Galvenā", "fields": ["name"]}],
}


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", LANGUAGE_DOC.read_text(encoding="utf-8"), re.S)


def _load(text: str) -> tuple[Document, Problems]:
    problems = Problems()
    doc = load_text(text, "t.yaml", problems)
    assert doc is not None, [p.format() for p in problems]
    return doc, problems


def _check(text: str, kind: str = "service") -> list[tuple[str, int, int, str]]:
    doc, problems = _load(text)
    ok = check_document(doc, kind, problems)
    found = [(p.code, p.line, p.column, p.message) for p in problems]
    assert ok == (not found)
    return found


SERVICE_BLOCKS = [b for b in _yaml_blocks() if not b.startswith("format:")]


def test_the_doc_has_the_examples_we_expect():
    keys = {next(iter(_load(b)[0].data)) for b in SERVICE_BLOCKS}
    assert {"service", "parameters", "choices", "fields", "computed", "pages", "rules", "fees",
            "routing", "process", "documents", "queue", "tests"} <= keys


@pytest.mark.parametrize("block", SERVICE_BLOCKS, ids=lambda b: b.split(":")[0])
def test_every_doc_example_validates_inside_a_minimal_service(block):
    fragment, _ = _load(block)
    service = copy.deepcopy(MINIMAL_SERVICE)
    service.update(fragment.data)
    problems = Problems()
    assert check_document(Document("doc.yaml", service, {}, {}), "service", problems), \
        [p.format() for p in problems]


@pytest.mark.parametrize("kind", ["service", "municipality", "codelist"])
def test_schemas_are_valid_draft_2020_12_with_ids_and_closed_objects(kind):
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://pkip.lv/schema/{kind}-1.json"
    assert load_schema(kind) is schema  # read once

    def closed(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, node.get("title", sorted(node["properties"]))
            for value in node.values():
                closed(value)
        elif isinstance(node, list):
            for value in node:
                closed(value)
    closed(schema)
