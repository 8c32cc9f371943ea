"""One evaluation of a service over one set of answers: the state the engine's steps
share (the scope expressions see, the issues found so far)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from collections.abc import Mapping
from typing import Any

from ..expressions.compiler import OPTIONS
from ..expressions.hoisting import HOISTED
from ..messagetext import render_message
from ..paramtypes import YearlyDate
from ..model import Field, Rule, Service, Text
from ..overlay import EffectiveService, municipality_variables
from .fees import FeeCalculator, FeeResult
from .lookups import LookupRequest, is_unavailable, lookup_values, requests, unavailable_message
from .relevance import complete, holds, prune, without_answers
from .validation import FieldValidator, issue_message, with_own_words

PERSON_KEYS = ("personal_code", "given_name", "surname")
MISSING = frozenset({"required", "required_choice", "too_few_items"})   # no answer, not a wrong one


@dataclass(frozen=True)
class Issue:
    key: str                   # a field path with indexes ("dogs[0].chip") or a rule id
    message: Text
    severity: str              # error | warning | stop
    rule: str | None = None
    fields: tuple[str, ...] = ()
    page: str | None = None


class Evaluation:
    def __init__(self, effective: EffectiveService, context):
        self.effective, self.service, self.context = effective, effective.service, context
        self.today = context.today
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.stop: Issue | None = None
        self.unreadable: dict[str, str] = {}     # path -> message key, until relevance is known
        self.failed: set[str] = set()            # paths of given answers that failed a field check
        self.shared = shared = _shared(effective)
        self.constants = {
            OPTIONS: ChosenOptions(effective, shared.option_index),
            **shared_constants(effective, context.today, context.language),
            "person": _person_variables(context.person),
        }

    # -- answers and scope -------------------------------------------------------
    def type_error(self, path: str, key: str) -> None:
        """Remember an answer that cannot be read; it is reported only if its field is relevant."""
        self.unreadable[path] = key

    def report_unreadable(self, hidden: set[str], scope: dict) -> None:
        for path, key in self.unreadable.items():
            field = self.service.field_index.get(_strip_indexes(path))
            if field is not None and not _is_hidden(path, hidden):
                self._field_issue(path, field, key, with_own_words(field, key, {}, scope, self.today))

    def prune(self, values: dict) -> tuple[dict, set[str], dict, dict]:
        """(relevant answers, hidden paths, their scope, the answers completed): the scope is
        `self.scope` of the answers returned, built once by the pass that converged, as are
        the completed answers (each repeat entry completed once per evaluation, not once for
        relevance, once for validation and once for the scope)."""
        return prune(self.service, values, self._scope_of, self.today)

    def scope(self, values: Mapping[str, Any]) -> dict:
        """What expressions see: complete answers, computed values and the constants."""
        return self._scope_of(complete(self.service.fields, values))

    def _scope_of(self, completed: dict) -> dict:
        """`scope` of answers already completed (`relevance.complete`)."""
        scope = {**completed, **self.constants}
        if self.service.lookups:
            scope["lookup"] = lookup_values(self.service.lookups, scope, self.context.registers, self.today)
        for computed in self.service.computed:
            if computed.for_each is None:
                scope[computed.name] = computed.expr.value_or_none(scope, self.today)
                continue
            entries = scope.get(computed.for_each)
            if entries is None:  # an unanswered repeat stays null, so checks over it do not fire
                scope[computed.name] = None
                continue
            once: dict = {}     # the loop-invariant parts of the expression, worked out once
            results = [computed.expr.value_or_none({**scope, "item": entry, "index": i, HOISTED: once}, self.today)
                       for i, entry in enumerate(entries)]
            scope[computed.for_each] = [{**entry, computed.name: result} for entry, result in zip(entries, results)]
            scope[computed.name] = results
        return scope

    # -- validation ----------------------------------------------------------------
    def validate_fields(self, completed: dict, hidden: set[str], scope: dict, only: frozenset[str] | None = None) -> None:
        """Every field's own checks of the relevant answers, completed (as `prune` gives them);
        with `only`, those of the top-level fields it names."""
        fields = self.service.fields if only is None else tuple(f for f in self.service.fields if f.name in only)
        validator = FieldValidator(self.options_for, scope, self.today, self._field_issue, self.allowed_values)
        validator.fields(fields, completed, "", hidden, scope)

    def options_for(self, field: Field, scope: dict) -> tuple:
        options = self.effective.options(field)
        if field.choice_filter is None:
            return options
        return tuple(o for o, shown in self.shared.options_shown(field, options)
                     if field.choice_filter.holds({**scope, "option": shown}, self.today))

    def allowed_values(self, field: Field, scope: dict):
        """The values a choice field accepts here: those of `options_for`; without a choice
        filter they do not depend on the answers and are worked out once per effective service."""
        if field.choice_filter is not None:
            return {option.value for option in self.options_for(field, scope)}
        return self.shared.allowed(field)

    def _field_issue(self, path: str, field: Field, key: str, values: dict) -> None:
        if path in self.unreadable and key != self.unreadable[path]:
            return              # already told that the answer cannot be read; one message is enough
        page = self.service.page_of(path)
        rule = values.get("rule") if key == "document_problem" else None   # a document reader's rule id
        if key not in MISSING and rule is None:
            self.failed.add(path)
        self.errors.append(Issue(path, issue_message(field, key, values), "error", rule, (path,),
                                 page.id if page else None))

    def failed_answers(self) -> set[str]:
        """Paths (with indexes) of the answers given that failed their own field checks so
        far (a missing answer is not a failed one: rules over it already do not fire)."""
        return {path for path in self.failed if not self._is_container(path)}

    def valid_scope(self, values: dict, scope: dict, failed: set[str]) -> dict:
        """The scope rules see: an answer that failed its own field check is left out (as if
        unanswered), so computed values over it are null too."""
        return self.scope(without_answers(self.service.fields, values, failed)) if failed else scope

    def _is_container(self, path: str) -> bool:
        field = self.service.field_index.get(_strip_indexes(path))
        return field is None or field.is_container

    def check_rules(self, scope: dict, failed: set[str] = frozenset(), rules: tuple[Rule, ...] | None = None) -> None:
        """Every rule (or those of `rules`) over `scope`; one that reads an answer in `failed`
        does not fire at all (the field's own error says what to put right; the rule is
        checked after that)."""
        failed_fields = {_strip_indexes(path) for path in failed}
        for rule in self.service.rules if rules is None else rules:
            for index, item_scope in self._targets(rule.for_each, scope):
                if failed and _reads_failed(rule, index, failed, failed_fields):
                    continue
                # a check fails only when it is false; one that needs a missing answer does not fire
                if (rule.when is None or rule.when.holds(item_scope, self.today)) \
                        and rule.check.value_or_none(item_scope, self.today) is False:
                    self._rule_issue(rule, index, item_scope)

    def _targets(self, repeat: str | None, scope: dict):
        if repeat is None:
            return [(None, scope)]
        once: dict = {}         # the loop-invariant parts of the rule, worked out once for all entries
        return [(i, {**scope, "item": entry, "index": i, HOISTED: once})
                for i, entry in enumerate(scope.get(repeat) or [])]

    def _rule_issue(self, rule: Rule, index: int | None, scope: dict) -> None:
        fields = tuple(_with_index(path, rule.for_each, index) for path in self.rule_fields(rule))
        page = self.service.page_of(fields[0]) if fields else None
        message = render_message(rule.message, scope, self.today)
        issue = Issue(rule.id if index is None else f"{rule.id}[{index}]", message, rule.severity,
                      rule.id, fields, page.id if page else None)
        if rule.severity == "stop":
            self.stop = self.stop or issue
        else:
            (self.warnings if rule.severity == "warning" else self.errors).append(issue)

    def rule_fields(self, rule: Rule) -> tuple[str, ...]:
        return rule_fields(self.service, rule)

    def check_lookups(self, scope: dict) -> tuple[LookupRequest, ...]:
        """The register keys the (valid) answers ask; for each the register could not
        answer, the resident's way on: a warning with manual entry, else an error."""
        asked = requests(self.service.lookups, scope, self.today)
        by_name = {lookup.name: lookup for lookup in self.service.lookups}
        for request in asked:
            if is_unavailable(self.context.registers.get((request.register, request.key))):
                lookup = by_name[request.name]
                page = self.service.page_of(lookup.fields[0]) if lookup.fields else None
                issue = Issue(f"lookup.{lookup.name}", unavailable_message(lookup),
                              "warning" if lookup.manual else "error", lookup.name, lookup.fields,
                              page.id if page else None)
                (self.warnings if lookup.manual else self.errors).append(issue)
        return asked

    # -- results -----------------------------------------------------------------
    def fees(self, scope: dict) -> FeeResult:
        return FeeCalculator(self.service.fees, scope, self.today, lambda name: scope.get(name) or []).calculate()

    def route(self, scope: dict, fee_total: Decimal) -> tuple[str | None, int | None]:
        """The service role the case goes to, and the index of the rule that sent it there
        (None when no rule matched and `routing.to` applies)."""
        routing = self.service.routing
        if routing is None:
            return None, None
        with_total = {**scope, "fee_total": fee_total}
        matched = (i for i, r in enumerate(routing.rules) if holds(r.when, with_total, self.today))
        index = next(matched, None)
        return (routing.to, None) if index is None else (routing.rules[index].to, index)

    def institution(self, scope: dict, route: str | None):
        """The institution for `route`, unless `routing.institution` gives the registration
        number of another of the municipality's institutions (the role's own comes first)."""
        if route is None:
            return None
        default = self.effective.institution_for(route)
        expr = self.service.routing.institution if self.service.routing else None
        number = expr.value_or_none(scope, self.today) if expr is not None else None
        if not number or (default is not None and default.registration_number == number):
            return default
        found = (i for i in self.effective.municipality.institutions.values() if i.registration_number == number)
        return next(found, default)

    def deadline_days(self, scope: dict) -> int | None:
        """The process's `deadline_days` for these answers: whole working days (a fraction is
        rounded up, a deadline is never shortened); None without a process or a deadline, or
        when it needs a missing answer."""
        process = self.service.process
        value = process.deadline_days.value_or_none(scope, self.today) if process and process.deadline_days else None
        return whole_days(value)

    def visible_pages(self, scope: dict, hidden: set[str]) -> tuple[str, ...]:
        return tuple(page.id for page in self.service.pages
                     if (page.when is None or page.when.holds(scope, self.today))
                     and (not page.fields or any(name not in hidden for name in page.fields)))


def whole_days(value: Any) -> int | None:
    """Whole working days: a fraction is rounded up (a deadline is never shortened); None
    for anything that is not a number."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return int(Decimal(value).to_integral_value(rounding=ROUND_CEILING))


def shared_constants(effective: EffectiveService, today, language: str) -> dict:
    """`param.*` (yearly dates in `today`'s year) and `municipality.*`: what every
    expression of the effective service sees whatever the answers."""
    shared = _shared(effective)
    return {"param": shared.params_in(today.year), "municipality": shared.municipality_for(language)}


def rule_fields(service: Service, rule: Rule) -> tuple[str, ...]:
    """The field paths (without indexes) a rule's issue belongs to: its `fields`, else the
    first field its check reads."""
    if rule.fields:
        return rule.fields
    index = service.field_index
    for path in sorted(rule.check.paths):
        resolved = path.replace("item.", f"{rule.for_each}.", 1) if path.startswith("item.") else path
        if resolved in index:
            return (resolved,)
    return ()


def _reads_failed(rule: Rule, index: int | None, failed: set[str], failed_fields: set[str]) -> bool:
    """Whether the rule reads a failed answer: `item.x` as this entry's x, any other path as
    the field wherever it is (or a member of it, for a file's `.document`)."""
    paths = rule.check.paths | (rule.when.paths if rule.when is not None else frozenset())
    for path in paths:
        if path.startswith("item.") and index is not None:
            concrete, known = f"{rule.for_each}[{index}].{path[5:]}", failed
        else:
            concrete, known = path, failed_fields
        if any(concrete == f or concrete.startswith(f + ".") for f in known):
            return True
    return False


def _with_index(path: str, repeat: str | None, index: int | None) -> str:
    if repeat is None or index is None or not path.startswith(f"{repeat}."):
        return path
    return f"{repeat}[{index}]{path[len(repeat):]}"


def _is_hidden(path: str, hidden: set[str]) -> bool:
    """Whether `path` or a group, repeat or entry containing it is hidden."""
    cuts = [i for i, char in enumerate(path) if char in ".["] + [len(path)]
    return any(path[:cut] in hidden for cut in cuts)


_INDEX = re.compile(r"\[\d+\]")


def _strip_indexes(path: str) -> str:
    return _INDEX.sub("", path)


def _param_variables(params: Mapping[str, Any], declared: Mapping[str, Any]) -> dict:
    """`param.*` as expressions see it: options as {value, label, extra}, codes and bands
    as lists (a yearly date becomes a date per evaluation: `Evaluation.__init__`)."""
    def variable(name: str, value: Any) -> Any:
        kind = declared[name].type if name in declared else None
        if kind == "options" and isinstance(value, tuple):
            return [_option(o) for o in value]
        return list(value) if isinstance(value, tuple) else value
    return {name: variable(name, value) for name, value in params.items()}


def _with_yearly_dates(params: dict, year: int) -> dict:
    """Each yearly date as that day in `year` (1 March 2026 on any 2026 day)."""
    yearly = {name: value.in_year(year) for name, value in params.items() if isinstance(value, YearlyDate)}
    return {**params, **yearly} if yearly else params


class ChosenOptions:
    """What `option_of(field)` reads: the option of a choice field's list (as this
    municipality offers it) that has a value, as {value, label, extra}; None if none has it.
    Each list is indexed when first asked: once per effective service when given its
    shared index (`by_path`), else once per evaluation."""

    def __init__(self, effective: EffectiveService, by_path: dict[str, dict[str, dict]] | None = None):
        self.effective = effective
        self.by_path: dict[str, dict[str, dict]] = {} if by_path is None else by_path

    def get(self, path: str, value: Any) -> dict | None:
        if path not in self.by_path:
            field = self.effective.service.field_index.get(path)
            options = self.effective.options(field) if field is not None else ()
            self.by_path[path] = {o.value: _option(o) for o in options}
        return self.by_path[path].get(value)


class _Shared:
    """What evaluations of one effective service need that no answer changes, worked out
    once (lazily) and shared by every evaluation of it: `param.*` per year, `municipality.*` per
    language, the option dicts expressions see and the values of unfiltered choice lists.
    Shared and read by expressions only: nothing may change what it holds. Concurrent
    evaluations at worst work a missing entry out twice, with the same result."""

    def __init__(self, effective: EffectiveService):
        self.effective = effective
        self.params = _param_variables(effective.params, effective.service.parameters)
        self.option_index: dict[str, dict[str, dict]] = {}      # ChosenOptions.by_path
        self._municipality: dict[str, dict] = {}                 # language -> municipality.*
        self._params_in: dict[int, dict] = {}                    # year -> param.* with its yearly dates
        self._shown: dict[str, tuple[tuple[Any, dict], ...]] = {}  # field path -> (option, its dict)
        self._allowed: dict[str, frozenset] = {}                 # field path -> option values

    def municipality_for(self, language: str) -> dict:
        found = self._municipality.get(language)
        if found is None:
            found = self._municipality[language] = municipality_variables(self.effective.municipality, language)
        return found

    def params_in(self, year: int) -> dict:
        """`param.*` with each yearly date in `year`: worked out once a year, not per
        evaluation (the dates' month lengths were some 13 µs of a 100 µs page evaluation)."""
        found = self._params_in.get(year)
        if found is None:
            found = self._params_in[year] = _with_yearly_dates(self.params, year)
        return found

    def options_shown(self, field: Field, options: tuple) -> tuple[tuple[Any, dict], ...]:
        found = self._shown.get(field.path)
        if found is None:
            found = self._shown[field.path] = tuple((o, _option(o)) for o in options)
        return found

    def allowed(self, field: Field) -> frozenset:
        found = self._allowed.get(field.path)
        if found is None:
            found = self._allowed[field.path] = frozenset(o.value for o in self.effective.options(field))
        return found


SHARED_ATTRIBUTE = "_engine_shared"


def _shared(effective: EffectiveService) -> _Shared:
    """The shared state of `effective`, kept on the (immutable) effective service itself:
    it lives and dies with it, so no cache keyed by `id()` can clear itself when a catalogue
    has more (municipality, service) pairs than its size, nor outlive a replaced catalogue.
    A frozen dataclass forbids attribute assignment, not its `__dict__`."""
    found = effective.__dict__.get(SHARED_ATTRIBUTE)
    if found is None:
        found = effective.__dict__[SHARED_ATTRIBUTE] = _Shared(effective)
    return found


def _option(option) -> dict:
    return {"value": option.value, "label": option.label.get_for("lv"), "extra": dict(option.extra)}


def _person_variables(person: Mapping[str, Any] | None) -> dict:
    person = person or {}
    return {**{key: person.get(key) for key in PERSON_KEYS}, "signed_in": bool(person.get("personal_code"))}

