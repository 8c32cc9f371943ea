"""The engine over one set of answers: relevance, required, each field type's checks,
rules, routing, visible pages, and coercion of bad raw input (which never raises)."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.engine import Context, evaluate

from .defs import RIGA, TODAY, load, service

SERVICE = service(
    parameters="""
  fee: {type: money, default: "10.00"}
  min_age: {type: integer, default: 18}
  places:
    type: options
    default: [{value: centre, label: Centrs, extra: {zone: a}}, {value: suburb, label: Nomale, extra: {zone: b}}]""",
    choices="""
  kinds: [{value: person, label: P}, {value: company, label: C}]
  breeds:
    - {value: mixed, label: M, extra: {species: any}}
    - {value: labrador, label: L, extra: {species: dog}}
    - {value: siamese, label: {lv: S, en: S}, extra: {species: cat}}""",
    fields="""
  kind: {type: choice, choices: kinds, label: {lv: Kas, en: Who}}
  applicant:
    type: group
    when: "kind == 'person'"
    label: {lv: Persona, en: Person}
    fields:
      code: {type: personal_code, label: {lv: Kods, en: Code}}
      email: {type: email, label: {lv: E-pasts, en: Email}}
      phone: {type: phone, required: false, label: {lv: Tālrunis, en: Phone}}
      born: {type: date, min: "date('1900-01-01')", max: "today()", label: {lv: Dzimis, en: Born}}
  company:
    type: group
    label: {lv: Uzņēmums, en: Company}
    fields:
      reg: {type: registration_number, label: {lv: Reģ. nr., en: Reg. no.}}
      iban: {type: iban, country: LV, required: false, label: {lv: Konts, en: Account}}
  pets:
    type: repeat
    min: 1
    max: 2
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      species: {type: choice, choices: species, label: {lv: Suga, en: Species}}
      breed: {type: choice, choices: breeds, choice_filter: "option.extra.species in ['any', item.species]", label: {lv: Šķirne, en: Breed}}
      chip:
        type: text
        pattern: "^[0-9]{15}$"
        pattern_message: {lv: 15 cipari, en: 15 digits}
        when: "item.species != 'cat'"
        label: {lv: Čips, en: Chip}
      weight: {type: number, min: "0.1", max: "120", decimals: 1, label: {lv: Svars, en: Weight}}
  note: {type: long_text, required: "many", min_length: 3, max_length: 10, label: {lv: Piezīme, en: Note}}
  extras: {type: multi_choice, choices: kinds, required: false, max_items: 1, label: {lv: Papildus, en: Extras}}
  district: {type: choice, choices: param.places, required: false, label: {lv: Apkaime, en: District}}
  photo: {type: file, required: false, accept: [image/png], max_size_mb: 1, label: {lv: Foto, en: Photo}}
  amount: {type: money, required: false, min: "0", max: "10.00", label: {lv: Summa, en: Amount}}
  secret: {type: text, label: {lv: Slepens, en: Secret}}""",
    computed="""
  many: {type: boolean, expr: "size(pets) > 1"}
  is_company: {type: boolean, expr: "kind == 'company'"}""",
    pages="""
  - {id: start, title: {lv: S, en: S}, fields: [kind]}
  - {id: person, title: {lv: P, en: P}, fields: [applicant]}
  - {id: company, title: {lv: U, en: C}, fields: [company], when: "is_company"}
  - {id: pets, title: {lv: D, en: P}, fields: [pets, note, extras, district, photo, amount]}
  - {id: never, title: {lv: N, en: N}, fields: [secret], when: "kind == 'nobody'"}""",
    rules="""
  - {id: adult, check: "age(applicant.born) >= param.min_age", message: {lv: Pilngadīgs, en: Adult}, fields: [applicant.born]}
  - {id: heavy, for_each: pets, severity: warning, check: "item.weight <= 50", message: {lv: Smags, en: Heavy}}
  - {id: chip_prefix, for_each: pets, when: "item.chip != null", check: "item.chip.startsWith('9')", message: {lv: Deviņi, en: Nine}}
  - {id: open, severity: stop, check: "today() >= date('2026-01-01')", message: {lv: Slēgts, en: Closed}}""",
    fees="""
  lines:
    - {id: extra, label: {lv: A, en: A}, amount: "amount * 20"}""",
    routing="""
  to: council
  rules:
    - {when: "is_company", to: trade}
    - {when: "fee_total > 100", to: finance}""",
    tests=None,
)
DOG = {"species": "dog", "breed": "labrador", "chip": "912345678901234", "weight": "30"}
CAT = {"species": "cat", "breed": "siamese", "weight": "4"}
PERSON = {"kind": "person", "applicant": {"code": "010190-15267", "email": "a@b.lv", "born": "1990-01-01"},
          "pets": [DOG]}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    catalogue = load(tmp_path_factory.mktemp("engine"), services={"x": SERVICE})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    return catalogue


@pytest.fixture(scope="module")
def run(catalogue):
    effective = catalogue.effective("riga", "x")

    def run(answers, today=TODAY, **changes):
        return evaluate(effective, {**answers, **changes}, Context(today))
    return run


def keys(outcome) -> list[str]:
    return sorted(issue.key for issue in outcome.errors)


def test_a_complete_person_application_is_valid(run):
    outcome = run(PERSON)
    assert outcome.valid, [(i.key, str(i.message)) for i in outcome.errors]
    assert outcome.visible_pages == ("start", "person", "pets")
    assert outcome.route == "council" and outcome.institution.id == "council"


# -- relevance -----------------------------------------------------------------------
def test_a_hidden_page_is_not_required_validated_or_stored(run):
    outcome = run(PERSON, company={"reg": "123", "iban": "nonsense"})
    assert outcome.valid and "company" not in outcome.values
    assert "company" in outcome.hidden and "company" not in outcome.visible_pages


def test_a_page_condition_on_a_computed_value_shows_and_requires_it(run):
    outcome = run({"kind": "company", "pets": [DOG]})
    assert "company" in outcome.visible_pages and "person" not in outcome.visible_pages
    assert keys(outcome) == ["company.reg"]


def test_a_hidden_group_hides_its_members_recursively(run):
    outcome = run({**PERSON, "kind": "company", "company": {"reg": "40003032949"}},
                  applicant={"code": "bad", "email": "bad"})
    assert outcome.valid and "applicant" not in outcome.values and "applicant" in outcome.hidden


def test_a_hidden_field_in_a_repeat_entry_is_neither_validated_nor_stored(run):
    outcome = run(PERSON, pets=[{**CAT, "chip": "not a chip"}, {**DOG, "chip": "912"}], note="two")
    assert keys(outcome) == ["pets[1].chip"]
    assert "chip" not in outcome.values["pets"][0] and "pets[0].chip" in outcome.hidden


def test_an_unreadable_answer_in_a_hidden_field_is_not_reported(run):
    assert run(PERSON, company={"reg": {"not": "text"}}).valid


def test_the_never_shown_page_is_not_required(run):
    assert "secret" in run(PERSON).hidden and run(PERSON).valid


# -- required ------------------------------------------------------------------------
def test_required_fields_are_reported_once_each(run):
    outcome = run({"kind": "person", "applicant": {}})
    assert keys(outcome) == ["applicant.born", "applicant.code", "applicant.email", "pets"]


def test_required_when_follows_its_expression(run):
    assert keys(run(PERSON, pets=[DOG, DOG])) == ["note"]
    assert run(PERSON, pets=[DOG, DOG], note="two dogs").valid
    assert run(PERSON, pets=[DOG]).valid


# -- field types ---------------------------------------------------------------------
def person_with(**person):
    return {**PERSON, "applicant": {**PERSON["applicant"], **person}}


@pytest.mark.parametrize("code, valid", [
    ("010190-15267", True), ("01019015267", True), ("150312-20180", True),
    ("320830-16610", True),           # the new format (since July 2017), no birth date
    ("320830-16611", True),           # new format: no check digit, any last digit
    ("350101-00000", True),           # 33-39 are new codes too
    ("010190-15268", False),          # old format, wrong check digit
    ("310290-15267", False), ("0101901526", False), ("abcdefghijk", False),
])
def test_personal_codes_are_checked_by_their_format(run, code, valid):
    assert ("applicant.code" not in keys(run(person_with(code=code)))) is valid


@pytest.mark.parametrize("reg, valid", [("40003032949", True), ("90011524360", True),
                                        ("40003032940", False), ("10003032949", False), ("4000303294", False)])
def test_registration_numbers(run, reg, valid):
    outcome = run({"kind": "company", "company": {"reg": reg}, "pets": [DOG]})
    assert outcome.valid is valid


@pytest.mark.parametrize("iban, valid", [("LV89RIKO0023300000000", True), ("LV89 RIKO 0023 3000 0000 0", True),
                                         ("LV89RIKO0023300000001", False), ("DE89370400440532013000", False)])
def test_ibans_by_check_digits_and_country(run, iban, valid):
    outcome = run({"kind": "company", "company": {"reg": "40003032949", "iban": iban}, "pets": [DOG]})
    assert outcome.valid is valid


@pytest.mark.parametrize("field, value, key", [
    ("email", "a@b", "applicant.email"), ("email", "a b@c.lv", "applicant.email"),
    ("phone", "call me", "applicant.phone"), ("phone", "+371 20", "applicant.phone"),
])
def test_email_and_phone(run, field, value, key):
    assert keys(run(person_with(**{field: value}))) == [key]
    assert run(person_with(email="vards@example.lv", phone="+371 20000000")).valid


def test_a_pattern_failure_shows_the_pattern_message(run):
    (issue,) = run(PERSON, pets=[{**DOG, "chip": "9123"}]).errors
    assert issue.key == "pets[0].chip" and issue.message["en"] == "15 digits" and issue.page == "pets"


@pytest.mark.parametrize("weight, key", [("0.05", "below_min"), ("121", "above_max"), ("1.25", "decimals")])
def test_number_bounds_and_decimals(run, weight, key):
    (issue,) = run(PERSON, pets=[{**DOG, "weight": weight}]).errors
    assert issue.key == "pets[0].weight"
    assert {"below_min": "or more", "above_max": "or less", "decimals": "no more than 1 decimal place"}[key] in issue.message["en"]


def test_money_bounds(run):
    assert keys(run(PERSON, amount="10.01")) == ["amount"]
    assert run(PERSON, amount="10.00").valid


def test_date_bounds_with_today(run):
    assert "applicant.born" in keys(run(person_with(born="2026-01-16")))          # tomorrow
    assert keys(run(person_with(born="1899-12-31"))) == ["applicant.born"]
    assert "applicant.born" not in keys(run(person_with(born="2026-01-15")))          # today is allowed (then: not adult)


def test_a_choice_outside_its_list_is_refused(run):
    assert keys(run(PERSON, kind="robot")) == ["kind"]


def test_a_cascading_choice_offers_only_the_filtered_options(run):
    assert keys(run(PERSON, pets=[{**DOG, "breed": "siamese"}])) == ["pets[0].breed"]
    assert run(PERSON, pets=[{**DOG, "breed": "mixed"}]).valid


def test_a_choice_from_an_options_parameter(run):
    assert run(PERSON, district="suburb").valid
    assert keys(run(PERSON, district="nowhere")) == ["district"]


def test_multi_choice_counts_and_options(run):
    assert run(PERSON, extras=["person"]).valid
    assert keys(run(PERSON, extras=["person", "company"])) == ["extras"]
    assert keys(run(PERSON, extras=["robot"])) == ["extras"]


def test_repeat_entry_counts(run):
    assert keys(run(PERSON, pets=[DOG, DOG, DOG], note="three")) == ["pets"]
    assert keys(run(PERSON, pets=[])) == ["pets"]


@pytest.mark.parametrize("photo, valid", [
    ({"name": "a.png", "size": 1000, "media_type": "image/png"}, True),
    ({"name": "a.png", "size": 2 * 1024 * 1024, "media_type": "image/png"}, False),
    ({"name": "a.pdf", "size": 1000, "media_type": "application/pdf"}, False),
    ({"name": "a.png"}, False),
])
def test_file_type_and_size(run, photo, valid):
    assert run(PERSON, photo=photo).valid is valid


# -- rules ---------------------------------------------------------------------------
def test_an_error_rule_names_its_fields_and_page(run):
    (issue,) = run(person_with(born="2010-01-01")).errors
    assert (issue.key, issue.rule, issue.fields, issue.page) == ("adult", "adult", ("applicant.born",), "person")


def test_a_rule_needing_a_missing_answer_does_not_fire(run):
    outcome = run(person_with(born=None))
    assert keys(outcome) == ["applicant.born"]           # required, but not also "adult"


def test_a_warning_does_not_block(run):
    outcome = run(PERSON, pets=[DOG, {**DOG, "weight": "60"}], note="two")
    assert outcome.valid and [(w.key, w.fields) for w in outcome.warnings] == [("heavy[1]", ("pets[1].weight",))]


def test_for_each_errors_carry_the_item_index(run):
    outcome = run(PERSON, pets=[DOG, {**DOG, "chip": "123456789012345"}], note="two")
    assert [(e.key, e.fields) for e in outcome.errors] == [("chip_prefix[1]", ("pets[1].chip",))]


def test_a_stop_rule_ends_the_application(run):
    outcome = run(PERSON, today=datetime.date(2025, 12, 31))
    assert outcome.stop.rule == "open" and not outcome.valid and not outcome.errors


# -- routing -------------------------------------------------------------------------
def test_routing_rules_in_order(run):
    assert run({"kind": "company", "company": {"reg": "40003032949"}, "pets": [DOG]}).route == "trade"
    assert run(PERSON, amount="6").route == "finance"              # 6 x 20 = 120 > 100
    assert run(PERSON, amount="5").route == "council"              # 100 is not above 100


def test_an_unmapped_role_goes_to_the_council(run):
    outcome = run({"kind": "company", "company": {"reg": "40003032949"}, "pets": [DOG]})
    assert outcome.institution.id == "council"


# -- coercion ------------------------------------------------------------------------
@pytest.mark.parametrize("answers, key, words", [
    ({"pets": [{**DOG, "weight": "heavy"}]}, "pets[0].weight", "must be a number"),
    ({"pets": [{**DOG, "weight": "1e20"}]}, "pets[0].weight", "too large"),
    ({"applicant": {**PERSON["applicant"], "born": "31.02.2020"}}, "applicant.born", "real date"),
    ({"pets": "a dog"}, "pets", "wrong shape"),
    ({"note": {"a": 1}}, "note", "must be text"),
])
def test_bad_raw_input_is_one_error_on_its_field(run, answers, key, words):
    outcome = run(PERSON, **answers)
    assert [(e.key, words in e.message["en"]) for e in outcome.errors] == [(key, True)]


def test_numbers_accept_a_decimal_comma_and_spaces(run):
    outcome = run(PERSON, pets=[{**DOG, "weight": " 30,5 "}])
    assert outcome.values["pets"][0]["weight"] == Decimal("30.5")


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=15)
FIELD_NAMES = ["kind", "applicant", "company", "pets", "note", "extras", "district", "photo", "amount", "secret"]


@settings(max_examples=150, deadline=None)
@given(answers=st.one_of(json_values, st.dictionaries(st.sampled_from(FIELD_NAMES), json_values)))
def test_any_raw_answers_give_an_outcome_never_an_exception(catalogue, answers):
    outcome = evaluate(catalogue.effective("riga", "x"), answers, Context(TODAY))
    assert outcome.fees.total >= 0
    assert all(issue.message.get_for("en") for issue in outcome.errors)


def test_without_the_council_a_route_finds_no_institution_and_says_so(tmp_path):
    riga = RIGA.replace("  council: {name: {lv: Dome, en: Council}}\n", "")
    catalogue = load(tmp_path, municipalities={"riga": riga})
    assert [p.code for p in catalogue.problems] == ["E604"]
    assert evaluate(catalogue.effective("riga", "x"), {"name": "A"}, Context(TODAY)).institution is None
