"""The field types, in one registry: for each type its stored JSON value, its type in
expressions, how a raw answer is read and checked, its default message, the keys it
takes, and how it is shown (the input, and the kind of formatting a summary or PDF uses;
the runtime keeps one small formatter per `shown` name).

Adding a type is an entry here (and its reader or check, if new), a formatter in the
runtime when its `shown` kind is new, and `python -m builder.fieldtypes` to write the
JSON Schema's per-type key lists, which a test holds to this registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..expressions import types as T
from . import checks, readers

Reader = Callable[[Any, Any], Any]                 # (field, raw) -> typed value
Check = Callable[[Any, Any], "tuple[str, dict] | None"]   # (field, value) -> failure


@dataclass(frozen=True)
class Input:
    """How the resident enters it: the field macro (`templates/fields/_macros.html`),
    the HTML input type, `autocomplete`, `inputmode`, and whether spell-checking is off."""

    template: str = "input"
    html_type: str = "text"
    autocomplete: str | None = None
    inputmode: str | None = None
    no_spellcheck: bool = False


@dataclass(frozen=True)
class FieldType:
    name: str
    json: Mapping[str, Any]             # JSON Schema of the stored answer
    expr: T.Type | None                 # type in expressions; None: from the declaration (scope.py)
    reader: Reader | None               # None: read by the engine (files, groups, repeats)
    invalid: Mapping[str, str]          # the message when the answer cannot be read or fails `check`
    keys: frozenset[str] = frozenset()  # type-specific keys of the declaration
    check: Check | None = None
    bound: T.Type | None = None         # the type of `min`/`max` (values, not entry counts)
    bound_messages: tuple[str, str] = ("below_min", "above_max")
    bound_schema: str = "expression"    # how the schema checks `min`/`max`: a `decimal` or an `expression`
    choose: bool = False                # answered by choosing: "Select ..." when missing
    text: bool = False                  # its value is a string with lengths and patterns
    input: Input = Input()
    shown: str = "text"                 # the runtime's formatter for summaries and PDFs


_STRING = MappingProxyType({"type": "string"})
_DECIMAL = MappingProxyType({"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"})
_TEXT_KEYS = frozenset({"min_length", "max_length", "pattern", "pattern_message", "normalise"})
_BOUNDS = frozenset({"min", "max"})
_CHOICE_KEYS = frozenset({"choices", "choice_filter"})
_IDENTIFIER = Input(no_spellcheck=True, autocomplete="off")
_TEXT_MESSAGE = {"lv": "Laukā „{label}” ievadiet tekstu", "en": "{label} must be text"}
_SHAPE_MESSAGE = {"lv": "Laukā „{label}” ir nederīgi dati", "en": "{label} has data of the wrong shape"}
_MOMENT_MESSAGES = ("moment_before", "moment_after")


def _entered() -> tuple[FieldType, ...]:
    """Typed in: text, and values with bounds (numbers, amounts, dates and times)."""
    return (
        FieldType("text", _STRING, T.STRING, readers.read_text, _TEXT_MESSAGE, _TEXT_KEYS, text=True),
        FieldType("long_text", _STRING, T.STRING, readers.read_text, _TEXT_MESSAGE, _TEXT_KEYS, text=True,
                  input=Input(template="textarea")),
        FieldType("number", _DECIMAL, T.NUMBER, readers.read_number,
                  {"lv": "Laukā „{label}” ievadiet skaitli, piemēram, 12 vai 12,5",
                   "en": "{label} must be a number, like 12 or 12.5"},
                  _BOUNDS | {"decimals", "unit"}, bound=T.NUMBER, bound_schema="decimal",
                  input=Input(autocomplete="off", inputmode="decimal", no_spellcheck=True), shown="number"),
        FieldType("money", _DECIMAL, T.NUMBER, readers.read_number,
                  {"lv": "Laukā „{label}” ievadiet summu eiro, piemēram, 10,00",
                   "en": "{label} must be an amount in euro, like 10.00"},
                  _BOUNDS, bound=T.NUMBER, bound_schema="decimal",
                  input=Input(autocomplete="off", inputmode="decimal", no_spellcheck=True), shown="money"),
        FieldType("date", MappingProxyType({"type": "string", "format": "date"}), T.DATE, readers.read_date,
                  {"lv": "Laukā „{label}” ievadiet īstu datumu", "en": "{label} must be a real date"},
                  _BOUNDS, bound=T.DATE, bound_messages=("date_before", "date_after"),
                  input=Input(template="date"), shown="date"),
        FieldType("datetime", MappingProxyType({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"}),
                  T.DATETIME, readers.read_datetime,
                  {"lv": "Laukā „{label}” ievadiet īstu datumu un laiku, piemēram, 23.06.2027 18:00",
                   "en": "{label} must be a real date and time, like 23.06.2027 18:00"},
                  _BOUNDS, bound=T.DATETIME, bound_messages=_MOMENT_MESSAGES,
                  input=Input(html_type="datetime-local", no_spellcheck=True), shown="datetime"),
        FieldType("time", MappingProxyType({"type": "string", "pattern": r"^\d{2}:\d{2}$"}),
                  T.TIME, readers.read_time,
                  {"lv": "Laukā „{label}” ievadiet laiku no 00:00 līdz 23:59, piemēram, 18:00",
                   "en": "{label} must be a time from 00:00 to 23:59, like 18:00"},
                  _BOUNDS, bound=T.TIME, bound_messages=_MOMENT_MESSAGES,
                  input=Input(html_type="time", no_spellcheck=True), shown="time"),
    )


def _chosen() -> tuple[FieldType, ...]:
    """Answered by choosing."""
    return (
        FieldType("yes_no", MappingProxyType({"type": "boolean"}), T.BOOL, readers.read_bool,
                  {"lv": "Laukā „{label}” izvēlieties „Jā” vai „Nē”", "en": "Select yes or no for “{label}”"},
                  choose=True, input=Input(template="radios"), shown="yes_no"),
        FieldType("choice", _STRING, T.STRING, readers.read_text,
                  {"lv": "Laukā „{label}” izvēlieties kādu no piedāvātajām iespējām",
                   "en": "Select one of the options offered for “{label}”"},
                  _CHOICE_KEYS | {"display"}, choose=True, input=Input(template="radios"), shown="option"),
        FieldType("multi_choice", MappingProxyType({"type": "array", "items": {"type": "string"}}),
                  T.ListType(T.STRING), readers.read_multi,
                  {"lv": "Laukā „{label}” izvēlieties no piedāvātajām iespējām", "en": "Select from the options offered for “{label}”"},
                  _CHOICE_KEYS | {"min_items", "max_items"}, choose=True,
                  input=Input(template="checkboxes"), shown="options"),
    )


def _checked_strings() -> tuple[FieldType, ...]:
    """Strings of a form that is checked (or, for an address, only filled in)."""
    return (
        FieldType("email", _STRING, T.STRING, readers.read_text,
                  {"lv": "Laukā „{label}” ievadiet e-pasta adresi, piemēram, vards@example.lv",
                   "en": "{label} must be an email address, like name@example.com"},
                  check=checks.email, input=Input(html_type="email", autocomplete="email", no_spellcheck=True)),
        FieldType("phone", _STRING, T.STRING, readers.read_text,
                  {"lv": "Laukā „{label}” ievadiet tālruņa numuru, piemēram, +371 20000000",
                   "en": "{label} must be a phone number, like +371 20000000"},
                  check=checks.phone, input=Input(html_type="tel", autocomplete="tel", no_spellcheck=True)),
        FieldType("personal_code", _STRING, T.STRING, readers.read_compact,
                  {"lv": "Laukā „{label}” ievadiet derīgu personas kodu, piemēram, 010190-15267",
                   "en": "{label} must be a valid personal code, like 010190-15267"},
                  check=checks.personal_code, input=_IDENTIFIER),
        FieldType("registration_number", _STRING, T.STRING, readers.read_compact,
                  {"lv": "Laukā „{label}” ievadiet derīgu 11 ciparu reģistrācijas numuru",
                   "en": "{label} must be a valid 11-digit registration number"},
                  check=checks.registration_number,
                  input=Input(autocomplete="off", inputmode="numeric", no_spellcheck=True)),
        FieldType("iban", _STRING, T.STRING, readers.read_compact,
                  {"lv": "Laukā „{label}” ievadiet derīgu IBAN kontu, piemēram, LV89RIKO0023300000000",
                   "en": "{label} must be a valid IBAN, like LV89RIKO0023300000000"},
                  frozenset({"country"}), check=checks.iban, input=_IDENTIFIER),
        FieldType("address", _STRING, T.STRING, readers.read_text,
                  {"lv": "Laukā „{label}” ievadiet adresi tekstā", "en": "{label} must be an address written as text"},
                  input=Input(autocomplete="street-address")),
    )


def _containers() -> tuple[FieldType, ...]:
    """Read by the engine: uploads, groups and repeats."""
    return (
        FieldType("file", MappingProxyType({"type": ["object", "array"]}), None, None,
                  {"lv": "Datni laukā „{label}” nevar nolasīt: pievienojiet citu", "en": "The file for “{label}” cannot be read: upload another"},
                  frozenset({"accept", "max_size_mb", "max_files", "document"}), input=Input(template="file"), shown="file"),
        FieldType("group", MappingProxyType({"type": "object"}), None, None, _SHAPE_MESSAGE,
                  frozenset({"fields"}), input=Input(template="group"), shown="group"),
        FieldType("repeat", MappingProxyType({"type": "array", "items": {"type": "object"}}), None, None,
                  _SHAPE_MESSAGE, frozenset({"fields", "min", "max", "item_label"}),
                  input=Input(template="repeat"), shown="repeat"),
    )


def _types() -> tuple[FieldType, ...]:
    return _entered() + _chosen() + _checked_strings() + _containers()


FIELD_TYPES: Mapping[str, FieldType] = MappingProxyType({t.name: t for t in _types()})
assert len(FIELD_TYPES) == len(_types()), "two field types share a name"

TEXT = FIELD_TYPES["text"]


def field_type(name: str) -> FieldType:
    """The registry's entry for `name` (plain text for a name the schema already refused)."""
    return FIELD_TYPES.get(name, TEXT)


def names() -> list[str]:
    return list(FIELD_TYPES)


def types_with_key(key: str) -> list[str]:
    return [t.name for t in FIELD_TYPES.values() if key in t.keys]


def names_of(predicate: Callable[[FieldType], bool]) -> frozenset[str]:
    return frozenset(t.name for t in FIELD_TYPES.values() if predicate(t))


BOUNDED = names_of(lambda t: t.bound is not None)
CHOSEN = names_of(lambda t: t.choose)
