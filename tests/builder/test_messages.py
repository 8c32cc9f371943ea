"""Messages written for people: every check of every field of every shipped service gives
a message in Latvian and English that names the field and reads as a sentence, not
"Label: problem" or "Enter Label"; a field's own words (`messages:`) win."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate
from builder.engine.messages import CHECKS, check_of, in_sentence, media_names, message
from builder.fieldtypes import BOUNDED, CHOSEN, FIELD_TYPES
from builder.model import Field, Text

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue(ROOT / "definitions")
PLACEHOLDERS = ("Aizpildiet:", "Izvēlieties:", "{", "}", "None")


def _walk(fields):
    for field in fields:
        yield field
        yield from _walk(field.children)


def checks_of(field: Field) -> list[tuple[str, dict]]:
    """The message keys (with sample values) the engine can report for this field."""
    kind = FIELD_TYPES[field.type]
    keys: list[tuple[str, dict]] = [("required_choice" if field.type in CHOSEN else "required", {}),
                                    (f"invalid_{field.type}", {})]
    if kind.text:
        keys += [("too_short", {"min": 3}), ("too_long", {"max": 21}), ("pattern", {}), ("control_characters", {})]
    if field.type in BOUNDED:
        below, above = kind.bound_messages
        keys += [(below, {"min": 1}), (above, {"max": 2})]
    if field.type in ("number", "money"):
        keys += [("too_many_decimals", {"max": 0}), ("too_many_decimals", {"max": 2}), ("too_large", {})]
    if field.type in ("choice", "multi_choice"):
        keys.append(("not_an_option", {}))
    if field.type in ("multi_choice", "repeat", "file"):
        keys += [("too_few_items", {"min": 1}), ("too_many_items", {"max": 3})]
    if field.type == "file":
        keys += [("file_type", {}), ("file_too_large", {"max": 5})]
    return keys


CASES = [(service.id, field, key, values) for service in CATALOGUE.services.values()
         for field in _walk(service.fields) for key, values in checks_of(field)]


@pytest.mark.parametrize("service_id, field, key, values", CASES,
                         ids=[f"{s}:{f.path}:{k}{v.get('max', '')}" for s, f, k, v in CASES])
def test_every_message_names_its_field_and_has_no_placeholder(service_id, field, key, values):
    own = field.messages.get(check_of(key))
    for language in ("lv", "en"):
        text = message(key, field, **values).get_for(language)
        label = field.label.get_for(language)
        assert label in text or in_sentence(label) in text, (language, text)
        assert not any(p in text for p in PLACEHOLDERS), text
        assert not text.startswith(f"{label}:"), text        # "Suņa vārds: ..." is a form, not a sentence
        if in_sentence(label) != label:
            assert f"Enter {label}" not in text and f"Select {label}" not in text, text
        if own is not None:
            assert own.get_for(language) and "{" not in own.get_for(language)


def test_each_shipped_required_message_reads_as_the_definition_or_the_engine_wrote_it():
    dog_fee = CATALOGUE.services["dog-fee"]
    owner_kind = dog_fee.field_index["owner_kind"]
    name = dog_fee.field_index["dogs.name"]
    outcome = evaluate(next(e for m in CATALOGUE.municipalities for e in CATALOGUE.enabled_services(m)
                            if e.service.id == "dog-fee"), {"dogs": [{}]}, Context(today=dt.date(2026, 2, 1)))
    by_path = {issue.key: issue.message for issue in outcome.errors}
    assert by_path["owner_kind"].get_for("lv") == "Izvēlieties, kas ir suņa īpašnieks"
    assert by_path["dogs[0].name"].get_for("lv") == "Ievadiet suņa vārdu"
    assert by_path["dogs[0].name"].get_for("en") == "Enter your dog's name"
    assert by_path["dogs[0].birth_date"].get_for("lv") == "Jānorāda dzimšanas datums"
    assert owner_kind.messages and name.messages


@pytest.mark.parametrize("key, values, lv, en", [
    ("required", {}, "Jānorāda suņa vārds", "Enter suņa vārds"),
    ("too_long", {"max": 21}, "Laukā „Suņa vārds” var ievadīt ne vairāk kā 21 rakstzīmi",
     "Suņa vārds must be 21 characters or fewer"),
    ("too_long", {"max": 50}, "Laukā „Suņa vārds” var ievadīt ne vairāk kā 50 rakstzīmes", None),
    ("too_many_decimals", {"max": 0}, "Laukā „Suņa vārds” ievadiet veselu skaitli, bez daļas aiz komata",
     "Suņa vārds must be a whole number"),
    ("too_many_decimals", {"max": 1}, "Laukā „Suņa vārds” ievadiet ne vairāk kā 1 ciparu aiz komata",
     "Suņa vārds must have no more than 1 decimal place"),
    ("date_before", {"min": dt.date(2026, 12, 1)}, "Laukā „Suņa vārds” ievadiet datumu, kas nav agrāks par 01.12.2026.",
     "Suņa vārds must be on or after 1 December 2026"),
])
def test_messages_put_numbers_and_dates_in_the_readers_grammar(key, values, lv, en):
    field = Field(name="name", path="name", type="text", label=Text({"lv": "Suņa vārds"}))
    text = message(key, field, **values)
    assert text.get_for("lv") == lv
    if en is not None:
        assert text.get_for("en") == en


@pytest.mark.parametrize("label, expected", [
    ("Kas iesniedz pieteikumu?", "Atbildiet uz jautājumu „Kas iesniedz pieteikumu?”"),
    ("Suņa īpašnieks ir", "Atbildiet uz jautājumu „Suņa īpašnieks ir”"),
    ("Invaliditātes grupa", "Jāizvēlas invaliditātes grupa"),
    ("IBAN konts", "Jāizvēlas IBAN konts"),
])
def test_a_question_is_quoted_and_a_noun_is_named_in_the_sentence(label, expected):
    field = Field(name="x", path="x", type="choice", label=Text(label))
    assert message("required_choice", field).get_for("lv") == expected


def test_an_upload_message_names_the_allowed_types_and_the_size():
    field = Field(name="f", path="f", type="file", label=Text({"lv": "Pilnvara", "en": "Power of attorney"}),
                  accept=("application/pdf", "image/jpeg", "image/png"))
    assert message("required", field).get_for("lv") == "Jāpievieno pilnvara"
    assert message("file_type", field).get_for("lv") == "Datni laukā „Pilnvara” nevar pievienot: der tikai PDF, JPG vai PNG"
    assert message("file_type", field).get_for("en") == "The file for “Power of attorney” must be PDF, JPG or PNG"
    assert "5 MB" in message("file_too_large", field, max=5).get_for("lv")
    assert media_names(("application/vnd.etsi.asic-e+zip",), "lv") == "EDOC"


def test_the_schema_lets_a_field_word_each_check_and_no_other_key():
    import json
    schema = json.loads((ROOT / "builder" / "schema" / "service.schema.json").read_text())
    assert set(schema["$defs"]["field"]["properties"]["messages"]["properties"]) == set(CHECKS)
    assert {check_of(key) for key, _ in checks_of(CATALOGUE.services["dog-fee"].field_index["dogs.name"])} <= set(CHECKS) | {"control_characters"}
