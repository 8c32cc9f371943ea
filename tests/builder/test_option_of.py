"""`option_of(<choice field>)`: the chosen option {value, label, extra}, typed at build time
from the field's choice list and read at evaluation from the list as the municipality offers it."""
from __future__ import annotations

from builder.engine import Context, evaluate

from .defs import TODAY, codes, load, service

FIELDS = """
  name: {type: text, label: {lv: Vārds, en: Name}}
  place: {type: choice, choices: param.places, required: false, label: {lv: Vieta, en: Place}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      species: {type: choice, choices: species, label: {lv: Suga, en: Species}}"""
PAGES = "\n  - {id: main, title: {lv: A, en: A}, fields: [name, place, pets]}"
PARAMETERS = """
  fee: {type: money, default: "10.00"}
  places: {type: options, default: [{value: centre, label: Centrs, extra: {zone: A}}]}"""


def _build(tmp_path, rules: str = "", computed: str | None = None):
    text = service(parameters=PARAMETERS, fields=FIELDS, pages=PAGES, rules=rules or None, computed=computed, tests=None)
    return load(tmp_path, services={"x": text})


def _rule(check: str, for_each: bool = True) -> str:
    each = "for_each: pets, " if for_each else ""
    return f'\n  - {{id: r, {each}check: "{check}", message: {{lv: A, en: A}}}}'


def test_extra_columns_are_typed_from_the_list(tmp_path):
    catalogue = _build(tmp_path, _rule("option_of(item.species).extra.big"))
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    catalogue = _build(tmp_path / "b", _rule("option_of(item.species).extra.big + 1 > 0"))
    assert codes(catalogue.problems.errors) == ["E305"]           # big is a bool


def test_an_unknown_column_is_an_unknown_member(tmp_path):
    problems = _build(tmp_path, _rule("option_of(item.species).extra.bgi")).problems
    assert codes(problems.errors) == ["E303"] and "big" in problems.errors[0].message


def test_only_a_choice_field_has_an_option(tmp_path):
    problems = _build(tmp_path, _rule("option_of(name).value == 'x'", for_each=False)).problems
    assert codes(problems.errors) == ["E304"] and "pets.species" in problems.errors[0].message


def test_option_of_takes_one_argument(tmp_path):
    problems = _build(tmp_path, _rule("option_of(item.species, 1).value == 'x'")).problems
    assert codes(problems.errors) == ["E304"]


def _outcome(catalogue, answers):
    return evaluate(catalogue.effective("riga", "x"), answers, Context(TODAY))


def test_the_option_is_read_per_entry_in_rules_and_macros(tmp_path):
    catalogue = _build(tmp_path, _rule("!option_of(item.species).extra.big"),
                       computed='\n  big_count: {type: integer, expr: "size(pets.filter(p, option_of(p.species).extra.big))"}'
                                '\n  first_label: {type: text, expr: "option_of(pets[0].species).label"}')
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    outcome = _outcome(catalogue, {"name": "A", "pets": [{"species": "cat"}, {"species": "dog"}]})
    assert outcome.computed == {"big_count": 1, "first_label": "Kaķis"}
    assert [issue.key for issue in outcome.errors] == ["r[1]"]


def test_a_municipality_list_gives_its_own_options(tmp_path):
    catalogue = _build(tmp_path, computed='\n  zone: {type: text, expr: "option_of(place).extra.zone"}')
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    assert _outcome(catalogue, {"name": "A", "place": "centre"}).computed == {"zone": "A"}
    assert _outcome(catalogue, {"name": "A"}).computed == {"zone": None}
