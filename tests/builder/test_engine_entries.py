"""A repeat entry's page evaluated by its page alone (`evaluate_page`) where the engine's
`entries_on_page` allows it, against the full evaluation: for every repeat on a page of
every shipped service, over each definition test's answers (and those of the pages up to
the repeat's only), each entry kept, emptied, spoiled and made a copy of another, and a new
entry empty, copied or spoiled, what the entry's page reads (the errors and warnings that
name a field of the entry, the stop, the values saved, the hidden paths, the computed
values) is the full evaluation's; with an entry removed, the values saved are. A rule on another page whose issue names the entry's
field (a uniqueness rule there) keeps the entry on the full evaluation."""
from __future__ import annotations

from typing import Any

import pytest

from builder.engine import Context, entries_on_page, evaluate, evaluate_asking, evaluate_page, to_json

from .defs import TODAY, load, service
from .shipped_cases import shipped_cases
from .test_engine_pages import spoiled


def page_repeats(fields):
    """The repeats among a page's fields, inside groups too (not inside repeats), as the
    runtime's entry pages find them."""
    for field in fields:
        if field.type == "group":
            yield from page_repeats(field.children)
        elif field.type == "repeat":
            yield field


def entries_at(answers: dict, path: str) -> list[dict]:
    found: Any = answers
    for part in path.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return [entry if isinstance(entry, dict) else {} for entry in found] if isinstance(found, list) else []


def with_entries(answers: dict, path: str, items: list) -> dict:
    head, _, rest = path.partition(".")
    inner = answers.get(head) if isinstance(answers.get(head), dict) else {}
    return {**answers, head: with_entries(inner, rest, items) if rest else items}


def entry_variants(entries: list[dict]) -> list[tuple[int, list[dict]]]:
    """(index of the entry on its page, the entries with it): each entry as it is, empty,
    spoiled and a copy of the first (a uniqueness rule then fires), and a new one empty,
    copied and spoiled."""
    variants = []
    for index, entry in enumerate(entries):
        for changed in (entry, {}, spoiled(entry), entries[0]):
            variants.append((index, [*entries[:index], changed, *entries[index + 1:]]))
    for new in ({}, *(entries[:1]), *(spoiled(e) for e in entries[:1])):
        variants.append((len(entries), [*entries, new]))
    return variants


def entry_issues(issues, prefix: str) -> list:
    """As the runtime's entry page picks them (runtime/web/resident/entries.py)."""
    return [issue for issue in issues if any(path.startswith(prefix) for path in issue.fields)]


def what_the_entry_reads(outcome, prefix: str) -> dict:
    return {"errors": entry_issues(outcome.errors, prefix), "warnings": entry_issues(outcome.warnings, prefix),
            "stop": outcome.stop, "saved": to_json(outcome.values), "hidden": outcome.hidden,
            "computed": outcome.computed}


def up_to(service, page_id: str, answers: dict) -> dict:
    shown: set[str] = set()
    for page in service.pages:
        shown |= set(page.fields)
        if page.id == page_id:
            break
    return {name: value for name, value in answers.items() if name in shown}


def repeats_on_pages(service):
    for page in service.pages:
        for repeat in page_repeats(service.field_index[name] for name in page.fields):
            yield page, repeat


def both_ways(case, page_id: str, given: dict):
    """(the full evaluation, the page's own) of `given`, with the case's registers."""
    return (evaluate_asking(case.effective, given, case.context, case.ask),
            evaluate_asking(case.effective, given, case.context, case.ask, page=page_id))


def test_every_shipped_entry_page_reads_from_its_page_what_the_full_evaluation_gives():
    compared = errors_seen = removed = 0
    scoped_repeats = set()
    for case in shipped_cases():
        for page, repeat in repeats_on_pages(case.effective.service):
            if not entries_on_page(case.effective, page.id, repeat.path):
                continue            # the runtime evaluates in full: nothing to compare
            scoped_repeats.add((case.effective.service.id, repeat.path))
            for base in (case.answers, up_to(case.effective.service, page.id, case.answers)):
                items = entries_at(base, repeat.path)
                for index, changed in entry_variants(items):
                    given = with_entries(base, repeat.path, changed)
                    full, scoped = both_ways(case, page.id, given)
                    expected = what_the_entry_reads(full, f"{repeat.path}[{index}].")
                    assert what_the_entry_reads(scoped, f"{repeat.path}[{index}].") == expected, (case.name, given)
                    compared += 1
                    errors_seen += bool(expected["errors"])
                for index in range(len(items)):         # an entry removed: only the values are saved
                    given = with_entries(base, repeat.path, [*items[:index], *items[index + 1:]])
                    full, scoped = both_ways(case, page.id, given)
                    assert to_json(scoped.values) == to_json(full.values), (case.name, given)
                    removed += 1
    # every shipped repeat is on its page's own evaluation (a new one elsewhere: a test of its own)
    assert {("dog-fee", "dogs"), ("example-pet-registration", "pets"), ("preschool-queue", "institutions"),
            ("tree-felling-permit", "trees"), ("event-trading-permit", "traders")} <= scoped_repeats
    assert compared > 1000 and errors_seen > 500 and removed > 100    # entries with errors too, not only valid ones


CROSS_ENTRY = service(
    fields="""
  name: {type: text, label: {lv: Vārds, en: Name}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}""",
    pages="""
  - {id: first, title: {lv: P, en: F}, fields: [name]}
  - {id: second, title: {lv: O, en: S}, fields: [pets]}""",
    rules="""
  - id: chip_unique
    for_each: pets
    check: "tally(pets.map(p, p.chip))[item.chip] == 1"
    message: {lv: Atkārtojas, en: Repeated}
    fields: [name, pets.chip]""",
)


@pytest.fixture(scope="module")
def cross_entry(tmp_path_factory):
    def effective_of(text: str):
        catalogue = load(tmp_path_factory.mktemp("entries"), services={"x": text})
        assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
        return catalogue.effective("riga", "x")
    return effective_of


def test_a_rule_on_another_page_naming_the_entry_keeps_the_entry_on_the_full_evaluation(cross_entry):
    effective = cross_entry(CROSS_ENTRY)
    assert not entries_on_page(effective, "second", "pets")
    answers = {"name": "A", "pets": [{"chip": "1"}, {"chip": "1"}]}
    full = evaluate(effective, answers, Context(TODAY))
    page = evaluate_page(effective, answers, Context(TODAY), "second")
    # the rule's issue belongs to the first page (its first field), yet names the second dog's chip
    assert [i.rule for i in entry_issues(full.errors, "pets[1].")] == ["chip_unique"]
    assert entry_issues(page.errors, "pets[1].") == []      # what the page alone would miss


def test_the_same_rule_on_the_entries_own_page_lets_the_page_evaluate_alone(cross_entry):
    effective = cross_entry(CROSS_ENTRY.replace("fields: [name, pets.chip]", "fields: [pets.chip]"))
    assert entries_on_page(effective, "second", "pets")
    answers = {"name": "A", "pets": [{"chip": "1"}, {"chip": "1"}]}
    page = evaluate_page(effective, answers, Context(TODAY), "second")
    assert [i.rule for i in entry_issues(page.errors, "pets[1].")] == ["chip_unique"]


def test_a_repeat_the_page_does_not_list_is_not_its_to_evaluate(cross_entry):
    assert not entries_on_page(cross_entry(CROSS_ENTRY), "first", "pets")
