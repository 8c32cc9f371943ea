"""Validation details the mutation run of builder/engine/validation.py found unchecked
(docs/mutation.md): file counts, types and sizes at their limits and in their messages, bounds
that read the answers and today, a field's own words for every check, a document
problem written in Latvian only, and the problems of each of several documents in one field."""
from __future__ import annotations

import datetime

import pytest

from builder.engine import Context, evaluate
from builder.engine.validation import FieldValidator, issue_message
from builder.model import Field, Text

from .defs import TODAY, load, service

MB = 1024 * 1024
FIELDS = """
  scans: {type: file, required: false, max_files: 2, accept: [image/png, application/pdf], max_size_mb: 2, label: {lv: Skenējumi, en: Scans}}
  weight: {type: number, required: false, min: "10", max: "20", label: {lv: Svars, en: Weight}}
  start: {type: date, required: false, label: {lv: Sākums, en: Start}}
  end: {type: date, required: false, label: {lv: Beigas, en: End}}
  visit: {type: date, required: false, min: "start", max: "end", label: {lv: Vizīte, en: Visit}}
  soon: {type: date, required: false, min: "today()", label: {lv: Drīz, en: Soon}}
  nick:
    type: text
    required: false
    min_length: 3
    max_length: 5
    pattern: "^[a-z]+$"
    pattern_message: {lv: Tikai burti, en: Letters only}
    messages:
      too_short: {lv: "Vismaz 3, {name}", en: "At least 3, {name}"}
      too_long: {lv: "Līdz {string(today())} ne vairāk par 5", en: "Until {string(today())} no more than 5"}
  name: {type: text, required: false, label: {lv: Vārds, en: Name}}
  colours: {type: multi_choice, choices: colours, required: false, min_items: 2, max_items: 3, label: {lv: Krāsas, en: Colours}}
  tint: {type: choice, choices: colours, required: false, label: {lv: Tonis, en: Tint}}
  words: {type: text, required: false, min_length: 2, max_length: 4, label: {lv: Vārdi, en: Words}}
  pets:
    type: repeat
    required: false
    min: 2
    label: {lv: Dzīvnieki, en: Pets}
    max: 3
    messages:
      too_few_items: {lv: "Vismaz divi, {name}", en: "At least two, {name}"}
      too_many_items: {lv: "Ne vairāk kā trīs, {name}", en: "No more than three, {name}"}
    fields:
      tag: {type: text, required: "index == 0", label: {lv: Birka, en: Tag}}
  flock: {type: repeat, required: false, min: 2, max: 3, label: {lv: Ganāmpulks, en: Flock}, fields: {sheep: {type: text, required: false, label: {lv: A, en: S}}}}
  shade: {type: choice, choices: colours, required: "name == 'Beata'", label: {lv: Nokrāsa, en: Shade}}
  summer: {type: text, required: "today() >= date('2026-06-01')", label: {lv: Vasara, en: Summer}}
  owner:
    type: group
    label: {lv: Īpašnieks, en: Owner}
    fields:
      phone:
        type: text
        required: "name == 'Anna'"
        messages: {required: {lv: "Tālrunis, {name}", en: "Phone, {name}"}}
        label: {lv: Tālrunis, en: Phone}
  code: {type: text, required: false, min_length: 2, pattern: "^[0-9]+$", pattern_message: {lv: Cipari, en: Digits}, label: {lv: Kods, en: Code}}"""
CHOICES = "\n  colours: [{value: red, label: {lv: Sarkana, en: Red}}, {value: blue, label: {lv: Zila, en: Blue}}, " \
          "{value: green, label: {lv: Zaļa, en: Green}}, {value: white, label: {lv: Balta, en: White}}]"
FULL = {"pets": [{"tag": "A"}, {}], "flock": [{}, {}], "owner": {"phone": "20000000"}}   # all met
PAGES = "\n  - {id: main, title: {lv: A, en: A}, fields: [scans, weight, start, end, visit, soon, nick, name, colours, tint, words, pets, flock, shade, summer, owner, code]}"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    catalogue = load(tmp_path_factory.mktemp("validation"), services={"x": service(
        fields=FIELDS, pages=PAGES, tests=None, choices=CHOICES)})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    effective = catalogue.effective("riga", "x")
    return lambda answers, today=TODAY: evaluate(effective, {**FULL, **answers}, Context(today))


def only_issue(outcome):
    (issue,) = outcome.errors
    return issue.key, issue.message["en"]


def scan(size=1000, media_type="image/png"):
    return {"name": "a", "size": size, "media_type": media_type}


def test_files_up_to_their_count_and_size_are_accepted(run):
    assert run({"scans": [scan(2 * MB), scan(media_type="application/pdf")]}).valid


@pytest.mark.parametrize("scans, lv, en", [
    ([scan(), scan(), scan()], "Laukā „Skenējumi” var pievienot ne vairāk kā 2 datnes",
     "Upload no more than 2 files for “Scans”"),
    ([scan(), scan(2 * MB + 1)], "Datne ir par lielu: laukā „Skenējumi” var pievienot datni līdz 2 MB",
     "The file for “Scans” is too big: it must be smaller than 2 MB"),
])
def test_one_file_too_many_or_a_byte_too_large_is_refused_saying_the_limit(run, scans, lv, en):
    (issue,) = run({"scans": scans}).errors
    assert (issue.key, issue.message["lv"], issue.message["en"]) == ("scans", lv, en)


def test_any_file_of_a_type_not_accepted_is_refused_naming_the_types(run):
    key, text = only_issue(run({"scans": [scan(), scan(media_type="text/html")]}))
    assert key == "scans" and text.startswith("The file for “Scans” must be ") and "PDF" in text, text


def test_number_bounds_include_their_ends_and_say_them(run):
    assert run({"weight": "10"}).valid and run({"weight": "20"}).valid
    below, above = (only_issue(run({"weight": weight})) for weight in ("9.9", "20.1"))
    assert below[0] == above[0] == "weight" and "10" in below[1] and "20" in above[1], (below, above)


def test_date_bounds_read_the_answers_and_today(run):
    span = {"start": "2026-03-01", "end": "2026-03-31"}
    assert run({**span, "visit": "2026-03-01"}).valid and run({**span, "visit": "2026-03-31"}).valid
    early = only_issue(run({**span, "visit": "2026-02-28"}))
    late = only_issue(run({**span, "visit": "2026-04-01"}))
    assert early[0] == late[0] == "visit" and early[1] != late[1], (early, late)
    today = datetime.date(2026, 3, 1)
    assert run({"soon": "2026-03-01"}, today).valid
    assert only_issue(run({"soon": "2026-02-28"}, today))[0] == "soon"


def test_a_date_bound_is_said_in_words_for_dates_not_numbers(run):
    early = only_issue(run({"start": "2026-03-01", "visit": "2026-02-28"}))[1]
    fewer = only_issue(run({"weight": "9"}))[1]
    assert "or more" in fewer and "or more" not in early, (early, fewer)


def test_a_fields_own_words_are_used_for_each_check_and_read_the_answers_and_today(run):
    assert only_issue(run({"nick": "ab", "name": "Anna"})) == ("nick", "At least 3, Anna")
    today = datetime.date(2026, 3, 1)
    assert only_issue(run({"nick": "abcdef"}, today)) == ("nick", "Until 2026-03-01 no more than 5")
    assert only_issue(run({"nick": "ab1"})) == ("nick", "Letters only")


def test_the_pattern_message_is_only_for_the_pattern(run):
    short = only_issue(run({"code": "1"}))
    assert short[0] == "code" and short[1] != "Digits"
    assert only_issue(run({"code": "1a"})) == ("code", "Digits")


@pytest.mark.parametrize("answers, en", [
    ({"colours": ["red"]}, "Select at least 2 options for “Colours”"),
    ({"colours": ["red", "blue", "green", "white"]}, "Select no more than 3 options for “Colours”"),
    ({"colours": ["red", "pink"]}, "Select one of the options offered for “Colours”"),
    ({"tint": "pink"}, "Select one of the options offered for “Tint”"),
    ({"words": "a"}, "Words must be 2 characters or more"),
    ({"words": "abcde"}, "Words must be 4 characters or fewer"),
    ({"flock": [{}]}, "Add at least 2 to “Flock”"),
    ({"flock": [{}, {}, {}, {}]}, "“Flock” can have at most 3"),
    ({"shade": None, "name": "Beata"}, "Select shade"),
])
def test_each_check_says_what_it_asks_in_full(run, answers, en):
    assert only_issue(run(answers)) == (next(iter(answers)), en)


def test_counts_and_lengths_include_their_ends(run):
    assert run({"colours": ["red", "blue"]}).valid and run({"colours": ["red", "blue", "green"]}).valid
    assert run({"words": "ab"}).valid and run({"words": "abcd"}).valid


def test_a_repeats_own_words_read_the_answers_and_its_entries_read_their_index(run):
    assert only_issue(run({"name": "Anna", "pets": [{"tag": "A"}]})) == ("pets", "At least two, Anna")
    assert run({"pets": [{"tag": "A"}, {}]}).valid
    assert only_issue(run({"pets": [{}, {"tag": "B"}]}))[0] == "pets[0].tag"
    too_many = run({"name": "Anna", "pets": [{"tag": "A"}, {}, {}, {}]})
    assert only_issue(too_many) == ("pets", "No more than three, Anna")


def test_a_groups_members_are_required_by_the_answers_in_their_own_words(run):
    assert only_issue(run({"name": "Anna", "owner": {}})) == ("owner.phone", "Phone, Anna")
    assert run({"name": "Beata", "shade": "red", "owner": {}}).valid
    assert run({"name": "Anna", "owner": {"phone": "20000000"}}).valid


def test_a_condition_for_being_required_reads_today(run):
    assert run({}, datetime.date(2026, 5, 31)).valid
    assert only_issue(run({}, datetime.date(2026, 6, 1)))[0] == "summer"


def test_without_its_own_list_of_values_a_validator_asks_the_options():
    option = type("Option", (), {"value": "red"})
    seen = []
    field = Field(name="tint", type="choice", label=Text({"lv": "Tonis", "en": "Tint"}), path="tint")
    validator = FieldValidator(lambda f, scope: (option,) if (f, scope) == (field, {"x": 1}) else (),
                               {}, TODAY, lambda path, f, key, values: seen.append((path, key)))
    validator.field(field, "red", "tint", set(), {"x": 1})
    validator.field(field, "blue", "tint", set(), {"x": 1})
    assert seen == [("tint", "not_an_option")]


def test_a_document_problem_in_latvian_only_is_shown_in_latvian_in_english_too():
    field = Field(name="invoice", type="file", label={"lv": "Rēķins", "en": "Invoice"}, path="invoice")
    only_lv = issue_message(field, "document_problem", {"rule": "BR-01", "problem": {"lv": "Nav numura"}})
    assert dict(only_lv) == {"lv": "BR-01: Nav numura", "en": "BR-01: Nav numura"}
    neither = issue_message(field, "document_problem", {"rule": "BR-02", "problem": {"de": "Fehlt"}})
    assert dict(neither) == {"lv": "BR-02: ", "en": "BR-02: "}


def test_each_file_of_a_field_read_as_documents_brings_its_own_fatal_problems():
    field = Field(name="invoices", type="file", label=Text({"lv": "Rēķini", "en": "Invoices"}), path="invoices",
                  document="en16931", max_files=3, accept=("application/xml",))
    seen = []
    validator = FieldValidator(lambda f, scope: (), {}, TODAY, lambda path, f, key, values: seen.append((path, key, values)))

    def invoice(*problems):
        return {"name": "r.xml", "size": 1000, "media_type": "application/xml", "document_problems": [
            {"rule_id": rule, "severity": severity, "message": {"lv": rule, "en": rule}} for rule, severity in problems]}

    files = [invoice(("BR-01", "fatal")), invoice(("PKIP-ID-0218", "warning"), ("BR-16", "fatal")), invoice()]
    validator.field(field, files, "invoices", set(), {})
    assert [(path, key, values["rule"]) for path, key, values in seen] == [
        ("invoices", "document_problem", "BR-01"), ("invoices", "document_problem", "BR-16")]
    seen.clear()
    validator.field(field, invoice(("BR-04", "fatal")), "invoices", set(), {})   # one file, not in a list
    assert [values["rule"] for _, _, values in seen] == ["BR-04"]
