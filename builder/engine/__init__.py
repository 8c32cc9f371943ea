"""The engine: everything a definition says about one set of answers, evaluated.

    outcome = evaluate(effective_service, raw_answers, Context(today=date(2026, 2, 1)))

The runtime calls it on every page and again, authoritatively, on submit; the
definition tests call it for each case. It is pure: no I/O, no clock but `Context.today`.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..model import EMPTY, Text
from ..overlay import EffectiveService
from .coerce import coerce_fields, to_json
from .evaluation import Evaluation, Issue
from .fees import FeeLineResult, FeeResult
from .lookups import LookupRequest, fill_answers

__all__ = ["Context", "Outcome", "Issue", "FeeResult", "FeeLineResult", "LookupRequest", "evaluate", "evaluate_asking",
           "to_json"]


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


def evaluate(effective: EffectiveService, raw_answers: Mapping[str, Any], context: Context) -> Outcome:
    service = effective.service
    run = Evaluation(effective, context)
    answers = raw_answers if isinstance(raw_answers, Mapping) else {}
    values = coerce_fields(service.fields, answers, "", run.type_error)
    values, hidden, scope = run.prune(values)
    run.report_unreadable(hidden, scope)
    run.validate_fields(values, hidden, scope)
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


def evaluate_asking(effective: EffectiveService, raw_answers: Mapping[str, Any], context: Context,
                    ask: Callable[[tuple[LookupRequest, ...]], Mapping[tuple[str, str], Any]]) -> Outcome:
    """`evaluate`, with the registers asked for the keys the answers give: `ask(requests)`
    returns {(register, key): answer} (the runtime's providers, a test's own data). Asked
    again only for keys not yet answered (a look-up may reveal a field that gives another
    key), at most three rounds; then the look-ups' `fill` fields without an answer take what
    the registers found."""
    outcome = evaluate(effective, raw_answers, context)
    answers, tried = dict(context.registers), set(context.registers)
    for _ in range(3):
        missing = tuple(r for r in outcome.lookups if (r.register, r.key) not in tried)
        if not missing:
            break
        tried.update((r.register, r.key) for r in missing)
        answers.update(ask(missing))
        context = replace(context, registers=MappingProxyType(dict(answers)))
        outcome = evaluate(effective, raw_answers, context)
    filled = fill_answers(effective.service.lookups, raw_answers, outcome.scope.get("lookup") or {})
    return outcome if filled is raw_answers else evaluate(effective, filled, context)


def issue_text(issue: Issue, language: str) -> str:
    return issue.message.get_for(language) if isinstance(issue.message, Text) else str(issue.message)
