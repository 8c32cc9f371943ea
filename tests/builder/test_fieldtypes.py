"""The field-type registry is the one place a type is described: the JSON Schema's lists
follow it, every registered reader's value is stored as the type's JSON says, and each
type has its message and its input."""
from __future__ import annotations

import datetime
import json
import sys
import unicodedata
from types import SimpleNamespace

import jsonschema
import pytest

from builder.engine.messages import MESSAGES
from builder.fieldtypes import FIELD_TYPES, readers
from builder.fieldtypes.schema import SCHEMA_FILE, render, with_registry
from builder.model import Field, Text

SAMPLES = {
    "text": "Jānis", "long_text": "a\nb", "number": "12,5", "money": "10.00", "date": "2026-03-01",
    "datetime": "23.06.2027 18:00", "time": "18.00", "yes_no": "jā", "choice": "a",
    "multi_choice": ["a", "b"], "email": "a@b.lv", "phone": "+371 20000000",
    "personal_code": "010190-15267", "registration_number": "40003032949", "iban": "LV89 RIKO 0023 3000 0000 0",
    "address": "Rātslaukums 1",
}


def test_the_schema_file_is_written_from_the_registry():
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert render(with_registry(json.loads(text))) == text, "run python -m builder.fieldtypes"


def test_the_schema_lists_every_registered_type_and_only_those():
    field = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["$defs"]["field"]
    assert field["properties"]["type"]["enum"] == list(FIELD_TYPES)


def test_a_key_of_another_type_is_refused_by_the_schema():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    field_schema = {"$ref": "#/$defs/field", "$defs": validator.schema["$defs"]}
    check = jsonschema.Draft202012Validator(field_schema)
    assert not list(check.iter_errors({"type": "time", "min": "time('08:00')"}))
    assert list(check.iter_errors({"type": "time", "pattern": "^x$"}))
    assert list(check.iter_errors({"type": "text", "min": "1"}))


@pytest.mark.parametrize("name", [name for name, kind in FIELD_TYPES.items() if kind.reader is not None])
def test_each_read_value_is_stored_as_its_json_schema_says(name):
    kind = FIELD_TYPES[name]
    field = Field(name="f", path="f", type=name, label=Text("F"))
    stored = readers.to_json(kind.reader(field, SAMPLES[name]))
    jsonschema.validate(stored, dict(kind.json))
    assert readers.to_json(kind.reader(field, stored)) == stored     # stored values read back the same


@pytest.mark.parametrize("name", list(FIELD_TYPES))
def test_each_type_has_its_message_in_both_languages_and_an_input(name):
    assert set(MESSAGES[f"invalid_{name}"]) == {"lv", "en"}
    assert FIELD_TYPES[name].input.template


@pytest.mark.parametrize("raw, expected", [
    ("2027-06-23T18:00", datetime.datetime(2027, 6, 23, 18, 0)),
    ("2027-06-23 02:05", datetime.datetime(2027, 6, 23, 2, 5)),
    ("23.06.2027 18.00", datetime.datetime(2027, 6, 23, 18, 0)),
])
def test_date_times_are_read_in_the_forms_people_and_browsers_write(raw, expected):
    assert readers.read_datetime(None, raw) == expected


@pytest.mark.parametrize("raw", ["24:00", "18:60", "1800", "2027-06-23", "23.06.2027", "31.02.2027 10:00", True])
def test_what_is_not_a_date_time_or_time_is_refused(raw):
    with pytest.raises((ValueError, TypeError)):
        readers.read_datetime(None, raw)


def test_an_unquoted_yaml_time_is_read_as_the_time_it_was():
    assert readers.read_time(None, 18 * 60) == datetime.time(18, 0)    # YAML 1.1 reads 18:00 as 1080
    with pytest.raises(ValueError):
        readers.read_time(None, "24:00")


MOMENTS = """
  starts: {type: datetime, min: "datetime(today(), time('00:00'))", label: {lv: Sākums, en: Starts}}
  ends: {type: datetime, label: {lv: Beigas, en: Ends}}
  opens: {type: time, required: false, max: "time('22:00')", label: {lv: No, en: From}}
  closes: {type: time, required: false, label: {lv: Līdz, en: To}}"""
MOMENT_RULES = """
  - id: ends_after_start
    check: "ends > starts"
    message: {lv: Beigas pēc sākuma, en: End after start}
  - id: short_trading
    when: "opens != null && closes != null"
    check: "hours_between(opens, closes) <= 10"
    message: {lv: Ne ilgāk par 10 stundām, en: At most 10 hours}
    severity: warning"""


@pytest.fixture(scope="module")
def moments(tmp_path_factory):
    from builder.engine import Context, evaluate
    from .defs import TODAY, load, service
    text = service(fields=MOMENTS, pages="\n  - {id: main, title: {lv: G, en: M}, fields: [starts, ends, opens, closes]}",
                   rules=MOMENT_RULES, tests=None)
    catalogue = load(tmp_path_factory.mktemp("moments"), services={"x": text})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = catalogue.effective("riga", "x")
    return lambda answers: evaluate(effective, answers, Context(TODAY))


def test_an_event_over_midnight_is_valid_and_its_times_count_forward(moments):
    outcome = moments({"starts": "2026-06-23T18:00", "ends": "2026-06-24 02:00", "opens": "18:00", "closes": "02:00"})
    assert outcome.valid and not outcome.warnings
    assert outcome.values["ends"] == datetime.datetime(2026, 6, 24, 2, 0)


def test_date_times_compare_and_bounds_speak_in_minutes(moments):
    outcome = moments({"starts": "2026-01-16T10:00", "ends": "2026-01-16T09:59", "opens": "23:00"})
    assert sorted(issue.key for issue in outcome.errors) == ["ends_after_start", "opens"]
    early = moments({"starts": "2026-01-14T10:00", "ends": "2026-01-16T09:00"})
    starts = next(issue for issue in early.errors if issue.key == "starts")
    assert starts.message["en"] == "Starts must be 15 January 2026 00:00 or later"


def test_a_rule_does_not_fire_on_an_answer_that_failed_its_field_check(moments):
    """`starts` is before its minimum: only that is said, not also that the end is before it."""
    outcome = moments({"starts": "2026-01-14T10:00", "ends": "2026-01-14T09:00"})
    assert [issue.key for issue in outcome.errors] == ["starts"]


def test_an_unreadable_time_is_one_field_error_and_no_rule_fires_on_it(moments):
    outcome = moments({"starts": "2026-06-23T18:00", "ends": "2026-06-23T24:00", "opens": "8:00", "closes": "24:00"})
    assert sorted(issue.key for issue in outcome.errors) == ["closes", "ends"]
    assert not outcome.warnings


def _refused_by_unicodedata(ch: str, allowed: str) -> bool:
    """The rule `readers.checked_text` applies, by `unicodedata` one character at a time."""
    return unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed


@pytest.mark.parametrize("kind", sorted(readers.ALLOWED_CONTROLS))
def test_checked_text_refuses_exactly_the_control_characters_unicodedata_names(kind):
    """Its character class against `unicodedata` on every code point, for text and long text."""
    field = SimpleNamespace(type=kind, path="f")
    allowed = readers.ALLOWED_CONTROLS[kind]
    disagree = []
    for point in range(sys.maxunicode + 1):
        ch = chr(point)
        try:
            readers.checked_text(field, f"a{ch}b")
            refused = False
        except readers.ControlCharacters:
            refused = True
        if refused != _refused_by_unicodedata(ch, allowed):
            disagree.append(hex(point))
    assert disagree == []


def test_a_compiled_field_keeps_its_types_registry_entry():
    """`Field.kind`, read by the engine instead of `field_type(field.type)` on every answer."""
    import dataclasses
    from pathlib import Path

    from builder.catalogue import load_catalogue
    from builder.fieldtypes import field_type

    catalogue = load_catalogue(Path(__file__).resolve().parents[2] / "definitions")
    fields = [f for service in catalogue.services.values() for f in service.field_index.values()]
    assert fields and all(f.kind is field_type(f.type) for f in fields)
    retyped = dataclasses.replace(fields[0], type="date")
    assert retyped.kind is field_type("date") and retyped == dataclasses.replace(fields[0], type="date")
