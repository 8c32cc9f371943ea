"""Summary pages and per-entry values (issue 10, item 6): a page may show computed values,
per-entry ones too, without asking anything; the check-answers declaration is worded by the
definition or turned off."""
from __future__ import annotations

from builder.engine import Context, evaluate
from builder.overlay import bind

from .defs import RIGA, TODAY, codes, column_of, compile_problems, line_of, load, service

COMPUTED = ('\n  pet_count: {type: integer, label: {lv: Skaits, en: Count}, expr: "size(pets)"}'
            '\n  chip_length: {type: integer, for_each: pets, label: {lv: Garums, en: Length}, expr: "size(item.chip)"}')
PAGES = ("\n  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, pets]}"
         "\n  - {id: overview, title: {lv: Pārskats, en: Overview}, show: [pet_count, chip_length]}")


def compiled(**sections):
    result, problems = compile_problems(service(computed=COMPUTED, pages=PAGES, **sections))
    assert result is not None, [p.format() for p in problems]
    return result


def test_a_page_that_only_shows_values_is_shown_and_asks_nothing(tmp_path):
    catalogue = load(tmp_path, services={"x": service(computed=COMPUTED, pages=PAGES)}, municipalities={"riga": RIGA})
    effective = catalogue.effective("riga", "x")
    outcome = evaluate(effective, {"name": "A", "pets": [{"chip": "123"}, {"chip": "12345"}]}, Context(today=TODAY))
    assert outcome.visible_pages == ("main", "overview")
    assert outcome.computed["chip_length"] == [3, 5]      # what the page shows, one per entry
    overview = effective.service.pages[1]
    assert overview.fields == () and not overview.asks and overview.show == ("pet_count", "chip_length")


def test_a_summary_page_follows_its_condition(tmp_path):
    pages = PAGES.replace("show: [pet_count, chip_length]}", 'show: [pet_count], when: "size(pets) > 0"}')
    catalogue = load(tmp_path, services={"x": service(computed=COMPUTED, pages=pages)}, municipalities={"riga": RIGA})
    outcome = evaluate(catalogue.effective("riga", "x"), {"name": "A", "pets": []}, Context(today=TODAY))
    assert outcome.visible_pages == ("main",)


def test_a_page_must_ask_or_show_something():
    text = service(pages="\n  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, pets]}"
                         "\n  - {id: empty, title: {lv: Tukša, en: Empty}}")
    result, problems = compile_problems(text)
    assert result is None and codes(problems) == ["E201"]
    problem = problems.errors[0]
    assert "asks for `fields`, shows computed values (`show`)" in problem.message
    assert (problem.line, problem.column) == (line_of(text, "id: empty"), column_of(text, "{id: empty"))


def test_showing_an_unknown_value_is_still_a_positioned_error():
    text = service(computed=COMPUTED, pages=PAGES.replace("chip_length]", "chip_lenght]"))
    result, problems = compile_problems(text)
    assert result is None and codes(problems) == ["E402"]
    assert 'Did you mean "chip_length"' in problems.errors[0].message
    assert problems.errors[0].line == line_of(text, "chip_lenght")


def test_the_declaration_is_built_in_unless_worded_or_turned_off():
    assert compiled().asks_declaration and compiled().declaration_text is None
    worded = compiled(declaration=" {lv: Apliecinu, en: I confirm}")
    assert worded.asks_declaration and worded.declaration_text.get_for("en") == "I confirm"
    assert not compiled(declaration=" false").asks_declaration
    assert compiled(declaration=" true").asks_declaration


def test_a_declaration_of_the_wrong_kind_says_what_it_may_be():
    result, problems = compile_problems(service(declaration=" [yes]"))
    assert result is None and codes(problems) == ["E203"]
    assert "false (no declaration), true (the built-in one) or the text" in problems.errors[0].message
