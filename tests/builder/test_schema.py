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


def test_the_doc_example_of_commissions_validates_as_an_overlay():
    [block] = [b for b in _yaml_blocks() if b.startswith("format:") and "commissions:" in b]
    assert _check(block, "municipality") == []
    assert _check(block.replace("institution: environment", "institution: [environment]"), "municipality")


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


HEAD = """format: 1
service:
  id: dog-fee
  code: SUN
  version: 1.0.0
  title: Suns
pages:
  - {id: main, title: Galvenā, fields: [name]}
"""  # 8 lines; the `fields` under test follow from line 9


def _service(fields_yaml: str) -> str:
    return HEAD + fields_yaml


def test_a_minimal_service_is_valid():
    assert _check(_service("fields:\n  name: {type: text}\n")) == []


def test_e201_missing_key_points_at_the_object_and_names_the_key():
    found = _check(_service("fields:\n  kind: {type: choice}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E201", 10, 3)]
    assert "`choices`" in found[0][3] and "`fields.kind`" in found[0][3] and "choice" in found[0][3]


def test_e201_for_a_missing_top_level_section():
    found = _check("format: 1\nservice: {id: a, code: AB, version: 1.0.0, title: A}\nfields: {a: {type: text}}\n")
    assert [(c, line, col) for c, line, col, _ in found] == [("E201", 1, 1)]
    assert "`pages`" in found[0][3] and "the top level" in found[0][3]


def test_e202_unknown_key_points_at_the_key_and_suggests_the_spelling():
    found = _check(_service("fields:\n  name:\n    type: text\n    requried: false\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E202", 12, 5)]
    assert 'Did you mean "required"?' in found[0][3]
    assert "`fields.name`" in found[0][3]


def test_e202_in_a_text_map_language_keys_are_two_letters():
    found = _check(_service("fields:\n  name: {type: text, label: {lv: Vārds, english: Name}}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E202", 10, 41)]


def test_e203_wrong_type_with_a_quoting_hint():
    found = _check(HEAD.replace("version: 1.0.0", "version: 1.0") + "fields:\n  name: {type: text}\n")
    assert [(c, line, col) for c, line, col, _ in found] == [("E203", 5, 3)]
    assert "quote it" in found[0][3]


def test_e203_a_text_that_is_neither_string_nor_language_map():
    found = _check(_service("fields:\n  name: {type: text, label: 5}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E203", 10, 22)]
    assert "{lv:" in found[0][3]


def test_e204_enum_lists_the_allowed_values():
    found = _check(_service("fields:\n  name: {type: txt}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E204", 10, 10)]
    assert "long_text" in found[0][3] and "'txt'" in found[0][3]


def test_e205_pattern_uses_the_schemas_friendly_words():
    found = _check(HEAD.replace("code: SUN", "code: sun") + "fields:\n  name: {type: text}\n")
    assert [(c, line, col) for c, line, col, _ in found] == [("E205", 4, 3)]
    assert "2-6 capital letters" in found[0][3]


def test_e205_an_impossible_date_is_one_problem():
    found = _check(_service("fields:\n  name: {type: text}\n") + "tests:\n  - name: t\n    context: {municipality: riga, today: 2026-02-30}\n    expect: {valid: true}\n")
    assert [(c, line, col) for c, line, col, _ in found] == [("E205", 13, 35)]


def test_e205_a_bad_name_as_a_key_points_at_the_key():
    found = _check(_service("fields:\n  Name: {type: text}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E205", 10, 3)]
    assert "`Name`" in found[0][3]


def test_e206_out_of_range():
    found = _check(_service("fields:\n  name: {type: text, max_length: 0}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E206", 10, 22)]
    assert "1 or more" in found[0][3]


def test_e207_type_specific_key_names_the_key_and_the_type():
    found = _check(_service("fields:\n  age: {type: number, pattern: \"^[0-9]+$\"}\n"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E207", 10, 23)]
    message = found[0][3]
    assert "`pattern` is not allowed for a field of type number" in message
    assert "text, long_text" in message


def test_e207_reduction_needs_exactly_one_of_percent_or_amount():
    fees = ("fees:\n  lines:\n    - id: dog\n      label: Suns\n      amount: param.fee\n      reductions:\n"
            "        - {id: both, when: \"true\", percent: \"50\", amount: \"1\"}\n")
    found = _check(_service("fields:\n  name: {type: text}\n") + fees)
    assert [(c, line, col) for c, line, col, _ in found] == [("E207", 17, 11)]
    assert "exactly one of `percent` or `amount`" in found[0][3]


def test_e208_unsupported_format():
    found = _check(_service("fields:\n  name: {type: text}\n").replace("format: 1", "format: 2"))
    assert [(c, line, col) for c, line, col, _ in found] == [("E208", 1, 1)]


def test_an_unknown_field_type_reports_only_the_type_not_a_cascade():
    found = _check(_service("fields:\n  name: {type: nmber, pattern: x, min: 1}\n"))
    assert [c for c, *_ in found] == ["E204"]


@pytest.mark.parametrize("key, value, field_type", [
    ("pattern", '"x"', "number"), ("fields", "{a: {type: text}}", "text"), ("accept", "[image/png]", "text"),
    ("min", "1", "yes_no"), ("decimals", "2", "money"), ("display", "radios", "multi_choice"),
    ("country", "LV", "text"), ("item_label", "X", "group"), ("min_items", "1", "choice"),
])
def test_type_specific_keys_are_refused_elsewhere(key, value, field_type):
    extra = ", choices: c" if field_type in ("choice", "multi_choice") else ""
    extra += ", fields: {a: {type: text}}" if field_type == "group" else ""
    found = _check(_service(f"fields:\n  f: {{type: {field_type}, {key}: {value}{extra}}}\n"))
    assert [c for c, *_ in found] == ["E207"]
    assert f"`{key}` is not allowed for a field of type {field_type}" in found[0][3]


@pytest.mark.parametrize("field", [
    "{type: text, pattern: x, pattern_message: {lv: X}, min_length: 1, max_length: 5}",
    "{type: number, min: 0, max: \"10.5\", decimals: 1, unit: m}",
    "{type: money, min: 0.01, max: 1000}",
    "{type: date, min: \"today()\", max: \"date_add(today(), 30)\"}",
    "{type: multi_choice, choices: param.places, min_items: 1, max_items: 3, choice_filter: \"true\"}",
    "{type: choice, choices: lv-districts, display: select}",
    "{type: iban, country: LV}",
    "{type: file, accept: [application/pdf], max_size_mb: 2.5, max_files: 3}",
    "{type: repeat, min: 0, max: 3, item_label: X, fields: {a: {type: text}}}",
    "{type: yes_no, required: \"owner.pensioner == true\", when: \"true\", readonly: true, default: false}",
])
def test_type_specific_keys_are_accepted_for_their_type(field):
    assert _check(_service(f"fields:\n  f: {field}\n")) == []


def test_min_and_max_have_the_type_of_their_field():
    assert [c for c, *_ in _check(_service('fields:\n  f: {type: date, min: 2020}\n'))] == ["E203"]
    assert [c for c, *_ in _check(_service('fields:\n  f: {type: repeat, max: "3", fields: {a: {type: text}}}\n'))] == ["E203"]
    assert [c for c, *_ in _check(_service('fields:\n  f: {type: number, max: "ten"}\n'))] == ["E205"]


def test_decimals_from_the_loader_count_as_numbers():
    doc, _ = _load(_service("fields:\n  f: {type: number, min: 0.5, max: 1.25}\n"))
    assert type(doc.data["fields"]["f"]["min"]).__name__ == "Decimal"
    assert check_document(doc, "service", Problems())


def test_parameter_defaults_must_fit_their_type():
    found = _check(_service("fields:\n  name: {type: text}\n") + "parameters:\n  fee: {type: money, default: abc}\n"
                   "  n: {type: integer, default: \"1\"}\n  b: {type: boolean, default: true, min: 0}\n")
    assert sorted((c, line) for c, line, *_ in found) == [("E203", 13), ("E205", 12), ("E207", 14)]


def test_all_errors_are_reported_and_deduplicated():
    found = _check(_service("fields:\n  a: {type: text, requried: true, x: 1}\n  b: {type: choice}\n  c: {type: date, min: 5}\n"))
    assert sorted(c for c, *_ in found) == ["E201", "E202", "E202", "E203"]
    assert len(set(found)) == len(found)


MUNICIPALITY = """format: 1
municipality:
  id: riga
  name: {lv: Rīga, en: Riga}
  kind: state_city
  atvk: "0001000"
  iso: LV-RIX
  registration_number: "90011524360"
  e_address: _DEFAULT@90011524360
  iban: LV89RIKO0023300000000
  contacts: {phone: "+371 67012800", email: info@riga.lv, address: "Rātslaukums 1, Rīga, LV-1050", web: https://www.riga.lv}
  theme: {colour: "#9e1b32", coat_of_arms: riga.svg}
institutions:
  council: {name: {lv: Rīgas valstspilsētas pašvaldība, en: Riga City Council}, registration_number: "90011524360"}
  animal_register: {name: {lv: Dzīvnieku reģistrs}, e_address: _DEFAULT@90011524360}
services:
  dog-fee:
    enabled: true
    parameters: {annual_fee: "10.00", reduction_percent: 50}
    routing: {animal_register: animal_register}
"""


def test_a_valid_municipality():
    assert _check(MUNICIPALITY, "municipality") == []


def test_a_broken_municipality():
    broken = (MUNICIPALITY.replace('atvk: "0001000"', "atvk: 1000").replace("kind: state_city", "kind: city")
              .replace('"#9e1b32"', '"#9e1b3"').replace("    enabled: true\n", "    enabeld: true\n"))
    found = _check(broken, "municipality")
    assert sorted((c, line, col) for c, line, col, _ in found) == [
        ("E201", 17, 3), ("E202", 18, 5), ("E203", 6, 3), ("E204", 5, 3), ("E205", 12, 11)]
    assert any('Did you mean "enabled"?' in m for *_, m in found)


def test_the_doc_municipality_example_validates():
    block = next(b for b in _yaml_blocks() if b.startswith("format:"))
    assert _check(block, "municipality") == []


CODELIST = """format: 1
codelist: {id: lv-districts, title: {lv: Apkaimes, en: Districts}}
options:
  - {value: centrs, label: Centrs, extra: {city: riga, order: 1}}
  - {value: teika, label: {lv: Teika, en: Teika}}
"""


def test_a_codelist():
    assert _check(CODELIST, "codelist") == []
    found = _check(CODELIST.replace("{value: teika, ", "{valeu: teika, "), "codelist")
    assert sorted((c, line, col) for c, line, col, _ in found) == [("E201", 5, 5), ("E202", 5, 6)]


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        load_schema("form")
