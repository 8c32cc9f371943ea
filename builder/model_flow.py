"""What happens to a case after it is sent, as the compiled model holds it
(`compile_flow` builds it): routing to a role and an institution, the process with its
states, transitions and information requests, the result documents and the queue.
`model` re-exports every name, so `from builder.model import Process` keeps working."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # annotations only, so that this module needs nothing of `model` at run time
    from .expressions import Expression as CompiledExpression
    from .model import Text


@dataclass(frozen=True)
class RouteRule:
    to: str
    when: CompiledExpression


@dataclass(frozen=True)
class Routing:
    to: str
    rules: tuple[RouteRule, ...] = ()
    institution: CompiledExpression | None = None   # a registration number picking the institution

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.to, *(r.to for r in self.rules)]))


@dataclass(frozen=True)
class State:
    id: str
    label: Text
    final: bool = False
    result: str | None = None
    national_status: str | None = None    # what PSPP shows; None: derived (docs/language.md)


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    by: tuple[str, ...]
    label: Text | None = None
    # what staff must give to make it: "reason" (told to the applicant), "decision", "date";
    # "paid": the fee must be paid in full first
    requires: tuple[str, ...] = ()


PAUSED, CONTINUES = "paused", "continues"     # what a case's due date does while it waits


@dataclass(frozen=True)
class InformationRequests:
    """Staff ask the applicant for more information or files: the case waits in `waiting`
    until the applicant answers, then returns to the state it was asked from."""
    sources: tuple[str, ...]          # the states a request may be made from
    waiting: str
    by: tuple[str, ...] = ("clerk",)
    deadline: str = CONTINUES         # PAUSED: the due date moves on by the working days waited
    answer_days: int | None = None    # working days the applicant is given


@dataclass(frozen=True)
class Process:
    initial: str
    states: Mapping[str, State]
    transitions: tuple[Transition, ...]
    deadline_days: CompiledExpression | None = None
    information_requests: InformationRequests | None = None

    def transitions_from(self, state: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == state)

    def next_states(self, state: str) -> set[str]:
        """Where a case can go from `state`: its transitions, and an information request's
        way to its waiting state and back."""
        found = {t.target for t in self.transitions_from(state)}
        asking = self.information_requests
        if asking is not None:
            if state in asking.sources:
                found.add(asking.waiting)
            if state == asking.waiting:
                found.update(asking.sources)
        return found


@dataclass(frozen=True)
class Document:
    id: str
    title: Text
    template: str
    deliver: tuple[str, ...] = ("download",)


@dataclass(frozen=True)
class Queue:
    partition_by: str | None        # None: one queue for the whole service
    order_by: tuple[str, ...]
    active_states: tuple[str, ...]
