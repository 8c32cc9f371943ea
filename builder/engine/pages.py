"""What evaluating for one question page needs: the fields whose checks it must run and the
rules it must check, worked out once per compiled service and page.

A page shows its own fields' errors, the errors and warnings of the rules that belong to
it (by their first field, as `Evaluation._rule_issue` places them) and, on a post, any stop
rule. A rule over an answer that failed its own field check does not fire, and the scope
rules see leaves such an answer out (`Evaluation.valid_scope`), so the fields those rules
read, directly, through computed values or in their messages, are checked too: otherwise a
rule on this page could fire, or word its message, differently from the full evaluation.
A repeat entry's page shows the issues that name a field of that entry, wherever their
rule belongs (`page_shows_entries` says when the page's own evaluation has them all).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..model import Rule, Service

LOOKUP = "lookup"        # the scope name of the look-ups' values: they read answers of their own
NEEDS_ATTRIBUTE = "_engine_page_needs"
ENTRIES_ATTRIBUTE = "_engine_page_shows_entries"


@dataclass(frozen=True)
class PageNeeds:
    page: str
    fields: frozenset[str] | None    # top-level fields to check; None: every field
    rules: tuple[Rule, ...]          # in the definition's order


def page_needs(service: Service, page_id: str, rule_fields) -> PageNeeds:
    """The needs of `page_id`, kept on the (immutable) compiled service; `rule_fields(rule)`
    gives the field paths a rule's issue belongs to (`Evaluation.rule_fields`)."""
    kept = service.__dict__.setdefault(NEEDS_ATTRIBUTE, {})
    found = kept.get(page_id)
    if found is None:
        found = kept[page_id] = _worked_out(service, page_id, rule_fields)
    return found


def _worked_out(service: Service, page_id: str, rule_fields) -> PageNeeds:
    rules = tuple(rule for rule in service.rules
                  if rule.severity == "stop" or _page_of(service, rule_fields(rule)) == page_id)
    own = {name for name, page in _top_level_pages(service) if page == page_id}
    read = _fields_read(service, rules)
    everything = read is None or bool(service.lookups)   # look-ups read the valid scope as a whole
    return PageNeeds(page_id, None if everything else frozenset(own | read), rules)


def _top_level_pages(service: Service):
    return ((field.name, page.id if (page := service.page_of(field.name)) else None) for field in service.fields)


def _page_of(service: Service, paths: tuple[str, ...]) -> str | None:
    page = service.page_of(paths[0]) if paths else None
    return page.id if page else None


def _fields_read(service: Service, rules: Iterable[Rule]) -> set[str] | None:
    """The top-level fields `rules` read, through computed values too; None when they read
    the look-ups' values (which may read any answer)."""
    fields = {field.name for field in service.fields}
    computed = {value.name: value for value in service.computed}
    found: set[str] = set()
    pending = [(name, rule.for_each) for rule in rules for name in _names(rule)]
    seen: set[str] = set()
    while pending:
        name, repeat = pending.pop()
        if name == LOOKUP:
            return None
        if name == "item" and repeat is not None:
            name = repeat
        if name in fields:
            found.add(name)
        elif name in computed and name not in seen:
            seen.add(name)
            value = computed[name]
            pending.extend((n, value.for_each) for n in value.expr.names)
            if value.for_each is not None:
                pending.append((value.for_each, None))
    return found


def _names(rule: Rule) -> set[str]:
    names = set(rule.check.names) | (set(rule.when.names) if rule.when is not None else set())
    for template in getattr(rule.message, "templates", {}).values():
        names |= template.names
    if rule.for_each is not None:
        names.add(rule.for_each)
    return names


def page_shows_entries(service: Service, page_id: str, repeat: str, rule_fields) -> bool:
    """Whether the evaluation of `page_id` gives every error and warning that can name a
    field of an entry of `repeat` (its path): true when the page lists the repeat (its
    entries' own checks are then this page's) and every rule and look-up whose issue may
    name a field in the repeat belongs to this page. A rule elsewhere over the entries
    (one on another page whose `fields` list a dog's chip after its own field) makes it
    false: that page's issue names the entry too. Kept on the compiled service."""
    kept = service.__dict__.setdefault(ENTRIES_ATTRIBUTE, {})
    found = kept.get((page_id, repeat))
    if found is None:
        found = kept[(page_id, repeat)] = _shows_entries(service, page_id, repeat, rule_fields)
    return found


def _shows_entries(service: Service, page_id: str, repeat: str, rule_fields) -> bool:
    if _page_of(service, (repeat,)) != page_id:
        return False
    issue_fields = [rule_fields(rule) for rule in service.rules if rule.severity != "stop"]  # a stop is every page's
    issue_fields += [lookup.fields for lookup in service.lookups]
    return all(_page_of(service, paths) == page_id for paths in issue_fields
               if any(_within(path, repeat) for path in paths))


def _within(path: str, repeat: str) -> bool:
    return path == repeat or path.startswith((repeat + ".", repeat + "["))
