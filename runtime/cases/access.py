"""Who may see and do what with a case, its documents, uploads and queue places: the one
policy every view, the worker and (later) the API ask.

An `Actor` is who asks, built by the caller from whatever proves it (the web layer reads
the session; a staff sign-in or an API token will give roles):

- a browser that just submitted (`submitted` holds the references it sent) or holds a
  draft (`drafts`), without a sign-in;
- a signed-in resident (`person_hash`: the keyed hash on their rows);
- a member of staff (`roles`: each for one municipality and, optionally, one
  institution there; the staff issue grants them).

Residents may see their own cases and drafts and do the resident's actions on them;
staff may see and act on the cases of their municipality (and institution, when the role
names one) with the actions of their role. Anyone else is refused in the same way as for
a case that does not exist, so references cannot be probed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# What a resident may do with their own case.
SEE, DOWNLOAD, SEE_QUEUE = "see", "download", "see_queue"
RESIDENT_ACTIONS = frozenset({SEE, DOWNLOAD, SEE_QUEUE})


class CaseLike(Protocol):
    """What the policy reads of a case (a `Submission` row or the stored facts of one)."""
    reference: str
    municipality_id: str
    person_code_hash: str | None
    institution_id: str | None


class DraftLike(Protocol):
    id: object
    person_code_hash: str | None


@dataclass(frozen=True)
class StaffRole:
    """A role in one municipality; `institution_id` None means all its institutions."""
    municipality_id: str
    actions: frozenset[str]
    institution_id: str | None = None

    def covers(self, case: CaseLike) -> bool:
        if case.municipality_id != self.municipality_id:
            return False
        return self.institution_id is None or self.institution_id == getattr(case, "institution_id", None)


@dataclass(frozen=True)
class Actor:
    person_hash: str | None = None
    submitted: frozenset[str] = frozenset()      # case references this browser sent
    drafts: frozenset[str] = frozenset()         # draft ids (as text) this browser holds
    roles: tuple[StaffRole, ...] = ()

    @property
    def signed_in(self) -> bool:
        return self.person_hash is not None

    def label(self) -> str:
        """Who, for a status history entry (never a personal code or its hash)."""
        if self.roles:
            return "staff"
        return "resident" if self.signed_in else "browser"


ANONYMOUS = Actor()


def owns(actor: Actor, case: CaseLike) -> bool:
    """The resident whose case it is: the person it belongs to, or the browser that sent it."""
    mine = actor.person_hash is not None and case.person_code_hash == actor.person_hash
    return mine or case.reference in actor.submitted


def may_see(actor: Actor, case: CaseLike | None) -> bool:
    if case is None:
        return False
    return owns(actor, case) or any(role.covers(case) for role in actor.roles)


def may_act(actor: Actor, case: CaseLike | None, action: str) -> bool:
    if case is None:
        return False
    if action in RESIDENT_ACTIONS and owns(actor, case):
        return True
    return any(role.covers(case) and action in role.actions for role in actor.roles)


def may_see_draft(actor: Actor, draft: DraftLike | None) -> bool:
    """Drafts are the resident's alone: staff never see unsent answers."""
    if draft is None:
        return False
    mine = actor.person_hash is not None and draft.person_code_hash == actor.person_hash
    return mine or str(draft.id) in actor.drafts


def may_download_upload(actor: Actor, draft: DraftLike | None, case: CaseLike | None) -> bool:
    """An upload belongs to a draft until it is submitted, then to its case."""
    return may_see_draft(actor, draft) or may_act(actor, case, DOWNLOAD)
