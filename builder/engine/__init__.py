"""The engine: everything a definition says about one set of answers, evaluated.

    outcome = evaluate(effective_service, raw_answers, Context(today=date(2026, 2, 1)))

The runtime calls it on every page and again, authoritatively, on submit; the
definition tests call it for each case. It is pure: no I/O, no clock but `Context.today`.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from collections.abc import Callable, Mapping
from typing import Any

from ..model import EMPTY, Text
from ..overlay import EffectiveService
from .coerce import coerce_fields, to_json
from .evaluation import Evaluation, Issue, rule_fields
from .fees import FeeLineResult, FeeResult
from .lookups import LookupRequest, fill_answers
from .pages import page_needs, page_shows_entries

__all__ = ["Context", "Outcome", "PageOutcome", "Issue", "FeeResult", "FeeLineResult", "LookupRequest", "evaluate",
           "evaluate_asking", "evaluate_page", "entries_on_page", "to_json"]


@dataclass(frozen=True)
class Context:
    today: datetime.date
    person: Mapping[str, Any] | None = None
    language: str = "lv"
    # what the registers answered: (register id, key) -> RegisterAnswer (or its plain
    # {status, data}); a look-up whose key is not here was not asked (`lookup.<name>` null)
    registers: Mapping[tuple[str, str], Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class Outcome:
    values: dict                      # the relevant answers, typed
    computed: dict
    hidden: frozenset[str]            # paths of fields hidden by conditions
    visible_pages: tuple[str, ...]
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    stop: Issue | None
    fees: FeeResult
    route: str | None                 # the service role the case goes to
    institution: Any = None           # the municipality's institution for that role
    deadline_days: int | None = None  # process.deadline_days for these answers (working days)
    route_rule: int | None = None     # why: the index of the routing rule that matched (None: `routing.to`)
    notes: tuple[str, ...] = field(default=())
    lookups: tuple[LookupRequest, ...] = ()   # the register keys these answers ask (engine.lookups)
    # What the expressions saw for these answers (`Evaluation.scope(values)`: complete answers,
    # computed values and the constants), read-only, so that a caller (a choice filter on a
    # page) need not build it again. Shared, not copied: do not change what it holds.
    scope: Mapping[str, Any] = field(default_factory=lambda: EMPTY, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return not self.errors and self.stop is None

    def errors_on(self, page_id: str) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.errors if issue.page == page_id)

    def warnings_on(self, page_id: str) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.warnings if issue.page == page_id)


@dataclass(frozen=True)
class PageOutcome:
    """What one question page reads of an evaluation (`evaluate_page`): the same values,
    computed values, hidden paths, visible pages, stop and look-ups as the full `Outcome`,
    but only this page's errors and warnings, and no fees, route or deadline (check your
    answers and submit evaluate in full)."""
    page: str
    values: dict
    computed: dict
    hidden: frozenset[str]
    visible_pages: tuple[str, ...]
    errors: tuple[Issue, ...]         # this page's only
    warnings: tuple[Issue, ...]       # this page's only
    stop: Issue | None
    lookups: tuple[LookupRequest, ...] = ()
    scope: Mapping[str, Any] = field(default_factory=lambda: EMPTY, repr=False, compare=False)

    def errors_on(self, page_id: str) -> tuple[Issue, ...]:
        return self.errors if self._own(page_id) else ()

    def warnings_on(self, page_id: str) -> tuple[Issue, ...]:
        return self.warnings if self._own(page_id) else ()

    def _own(self, page_id: str) -> bool:
        if page_id != self.page:    # not checked here: an empty answer would let a resident past it
            raise ValueError(f"an evaluation of page {self.page!r} does not know the issues of {page_id!r}")
        return True


def _relevant(run: Evaluation, raw_answers: Mapping[str, Any]) -> tuple[dict, set[str], dict, dict]:
    """(relevant typed answers, hidden paths, their scope, those answers completed), with
    unreadable relevant answers reported."""
    answers = raw_answers if isinstance(raw_answers, Mapping) else {}
    values = coerce_fields(run.service.fields, answers, "", run.type_error)
    values, hidden, scope, completed = run.prune(values)
    run.report_unreadable(hidden, scope)
    return values, hidden, scope, completed


def evaluate(effective: EffectiveService, raw_answers: Mapping[str, Any], context: Context) -> Outcome:
    service = effective.service
    run = Evaluation(effective, context)
    values, hidden, scope, completed = _relevant(run, raw_answers)
    run.validate_fields(completed, hidden, scope)
    failed = run.failed_answers()
    valid = run.valid_scope(values, scope, failed)
    run.check_rules(valid, failed)
    lookups = run.check_lookups(valid)
    fees = run.fees(scope)
    route, route_rule = run.route(scope, fees.total)
    return Outcome(
        values=values, computed={c.name: scope.get(c.name) for c in service.computed},
        hidden=frozenset(hidden), visible_pages=run.visible_pages(scope, hidden),
        errors=tuple(run.errors), warnings=tuple(run.warnings), stop=run.stop, fees=fees,
        route=route, institution=run.institution({**scope, "fee_total": fees.total}, route),
        deadline_days=run.deadline_days(scope), route_rule=route_rule, scope=MappingProxyType(scope),
        lookups=lookups,
    )


def evaluate_page(effective: EffectiveService, raw_answers: Mapping[str, Any], context: Context,
                  page_id: str) -> PageOutcome:
    """`evaluate` for question page `page_id` alone: relevance as a whole (a condition may
    read any page), then only the checks whose issues this page shows (its fields', its
    rules', every stop rule's; `pages.page_needs`), and no fees, route or deadline. Its
    errors and warnings on the page are the full evaluation's (tests/builder/test_engine_pages.py)."""
    run = Evaluation(effective, context)
    values, hidden, scope, completed = _relevant(run, raw_answers)
    needs = page_needs(effective.service, page_id, run.rule_fields)
    run.validate_fields(completed, hidden, scope, needs.fields)
    failed = run.failed_answers()
    valid = run.valid_scope(values, scope, failed)
    run.check_rules(valid, failed, needs.rules)
    lookups = run.check_lookups(valid)
    return PageOutcome(
        page_id, values=values, computed={c.name: scope.get(c.name) for c in effective.service.computed},
        hidden=frozenset(hidden), visible_pages=run.visible_pages(scope, hidden),
        errors=tuple(i for i in run.errors if i.page == page_id),
        warnings=tuple(i for i in run.warnings if i.page == page_id), stop=run.stop, lookups=lookups,
        scope=MappingProxyType(scope))


def entries_on_page(effective: EffectiveService, page_id: str, repeat: str) -> bool:
    """Whether `evaluate_page(page_id)` gives every error and warning of an entry of the
    repeat at path `repeat` that the full evaluation gives (`pages.page_shows_entries`): its
    values, hidden paths, computed values and stop are the full evaluation's anyway."""
    service = effective.service
    return page_shows_entries(service, page_id, repeat, lambda rule: rule_fields(service, rule))


def evaluate_asking(effective: EffectiveService, raw_answers: Mapping[str, Any], context: Context,
                    ask: Callable[[tuple[LookupRequest, ...]], Mapping[tuple[str, str], Any]],
                    page: str | None = None) -> Outcome | PageOutcome:
    """`evaluate` (or, for a question page, `evaluate_page`), with the registers asked for the
    keys the answers give: `ask(requests)` returns {(register, key): answer} (the runtime's
    providers, a test's own data). Asked again only for keys not yet answered (a look-up may
    reveal a field that gives another key), at most three rounds; then the look-ups' `fill`
    fields without an answer take what the registers found."""
    def run(answers: Mapping[str, Any], context: Context) -> Outcome | PageOutcome:
        return evaluate(effective, answers, context) if page is None else evaluate_page(effective, answers, context, page)
    outcome = run(raw_answers, context)
    answers, tried = dict(context.registers), set(context.registers)
    for _ in range(3):
        missing = tuple(r for r in outcome.lookups if (r.register, r.key) not in tried)
        if not missing:
            break
        tried.update((r.register, r.key) for r in missing)
        answers.update(ask(missing))
        context = replace(context, registers=MappingProxyType(dict(answers)))
        outcome = run(raw_answers, context)
    filled = fill_answers(effective.service.lookups, raw_answers, outcome.scope.get("lookup") or {})
    return outcome if filled is raw_answers else run(filled, context)


def issue_text(issue: Issue, language: str) -> str:
    return issue.message.get_for(language) if isinstance(issue.message, Text) else str(issue.message)
