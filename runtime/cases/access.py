"""Who may see and do what with a case, its documents, uploads and queue places: the one
policy every view, the worker and (later) the API ask.

An `Actor` is who asks, built by the caller from whatever proves it (the web layer reads
the session; a staff sign-in or an API token will give roles):

- a browser that just submitted (`submitted` holds the references it sent) or holds a
  draft (`drafts`), without a sign-in;
- a signed-in resident (`person_hash`: the keyed hash on their rows), perhaps acting for
  someone else (`acting_for`: a company they represent, an institution they work for, a
  person who authorised them: the party's keyed hash and kind);
- a member of staff (`roles`: each for one municipality and, optionally, one
  institution there; the staff issue grants them).

A case records who applied (`person_code_hash`) and, when it was filed for someone else,
for whom (`subject_kind`, `subject_hash`). Residents may see the cases they applied for,
the cases filed for the party they now act for (any representative of a company sees its
cases) and the cases filed for them by a person they authorised, and do the resident's
actions on them;
staff may see and act on the cases of their municipality (and institution, when the role
names one) with the actions of their role; a back-office system's API token is such a role
in its one institution. Anyone else is refused in the same way as for
a case that does not exist, so references cannot be probed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from builder.commissions import is_commission_role  # noqa: F401  (the one rule; callers import it here)

# What a resident may do with their own case.
SEE, DOWNLOAD, SEE_QUEUE = "see", "download", "see_queue"
RESIDENT_ACTIONS = frozenset({SEE, DOWNLOAD, SEE_QUEUE})
# What a member of staff may do with a case besides moving it through its process.
NOTE, ASSIGN, RECORD_PAYMENT = "note", "assign", "record_payment"
WAIVE_FEE = "waive_fee"     # a clerk of the case's institution waives its fee, with a reason

# The kinds of staff role (`pkip users create --role`). A clerk works the cases routed to
# their institution and makes every process step except a commission's; a commission
# member sees the same cases and makes only the steps a service gives to `commission` or
# to a `..._commission` role (`admission_commission`).
# The other kinds see no case: admins manage accounts and read the audit log, a client
# service centre clerk files applications for residents (`may_file_for_person`).
PLATFORM_ADMIN, MUNICIPAL_ADMIN = "platform_admin", "municipal_admin"
CLERK, CSC_CLERK, COMMISSION_MEMBER = "clerk", "csc_clerk", "commission_member"
FINANCE = "finance"     # imports bank statements for the whole municipality
STAFF_ROLES = (PLATFORM_ADMIN, MUNICIPAL_ADMIN, CLERK, CSC_CLERK, COMMISSION_MEMBER, FINANCE)
COMMISSION_PROCESS_ROLE = "commission"
# A back-office system's API token (`pkip tokens create --scopes`) is a role of this kind
# for its institution; its scopes become the role's actions. With `cases:write` it makes
# the process steps a clerk makes (never a commission's), through the same `may_move`.
BACK_OFFICE = "back_office"
MOVE = "move"
SCOPE_READ, SCOPE_WRITE = "cases:read", "cases:write"
SCOPE_DOCUMENTS, SCOPE_SUBMIT = "documents:read", "applications:submit"
API_SCOPES = (SCOPE_READ, SCOPE_WRITE, SCOPE_DOCUMENTS, SCOPE_SUBMIT)
CASE_ACTIONS = {
    CLERK: frozenset({SEE, DOWNLOAD, SEE_QUEUE, NOTE, ASSIGN, RECORD_PAYMENT, WAIVE_FEE}),
    COMMISSION_MEMBER: frozenset({SEE, DOWNLOAD, SEE_QUEUE, NOTE}),
}


class CaseLike(Protocol):
    """What the policy reads of a case (a `Submission` row or the stored facts of one)."""
    reference: str
    municipality_id: str
    person_code_hash: str | None
    institution_id: str | None
    subject_kind: str | None        # None: the applicant applied for themselves
    subject_hash: str | None


class DraftLike(Protocol):
    id: object
    person_code_hash: str | None
    subject_kind: str | None        # None: filled for the person themselves
    subject_hash: str | None


@dataclass(frozen=True)
class StaffRole:
    """A role in one municipality; `institution_id` None means all its institutions."""
    municipality_id: str
    actions: frozenset[str]
    institution_id: str | None = None
    kind: str = ""

    @classmethod
    def of_kind(cls, kind: str, municipality_id: str, institution_id: str | None = None) -> "StaffRole":
        return cls(municipality_id=municipality_id, actions=CASE_ACTIONS.get(kind, frozenset()),
                   institution_id=institution_id, kind=kind)

    def covers(self, case: CaseLike) -> bool:
        if not self.actions or case.municipality_id != self.municipality_id:
            return False
        return self.institution_id is None or self.institution_id == getattr(case, "institution_id", None)

    @classmethod
    def of_token(cls, municipality_id: str, institution_id: str, scopes: frozenset[str]) -> "StaffRole":
        """The role an API token's scopes give in its institution."""
        actions = set()
        if scopes & {SCOPE_READ, SCOPE_WRITE, SCOPE_DOCUMENTS}:
            actions.add(SEE)
        if SCOPE_DOCUMENTS in scopes:
            actions.add(DOWNLOAD)
        if SCOPE_WRITE in scopes:
            actions.add(MOVE)
        return cls(municipality_id=municipality_id, actions=frozenset(actions), institution_id=institution_id,
                   kind=BACK_OFFICE)

    def acts_as(self, process_role: str) -> bool:
        """May this role make a process step the service gives to `process_role` (`by:`)?"""
        if self.kind == BACK_OFFICE:
            return MOVE in self.actions and not is_commission_role(process_role)
        if self.kind == COMMISSION_MEMBER:
            return is_commission_role(process_role)
        return self.kind == CLERK and not is_commission_role(process_role)


@dataclass(frozen=True)
class Party:
    """Whom a signed-in person acts for: `kind` company, institution or person, and the
    party's keyed hash (`identity.party_hash`)."""
    kind: str
    hash: str


@dataclass(frozen=True)
class Actor:
    person_hash: str | None = None
    acting_for: Party | None = None              # None: for themselves
    submitted: frozenset[str] = frozenset()      # case references this browser sent
    drafts: frozenset[str] = frozenset()         # draft ids (as text) this browser holds
    roles: tuple[StaffRole, ...] = ()
    staff_user_id: int | None = None             # the signed-in member of staff
    api_token_id: int | None = None              # the back-office system's token

    @property
    def works_cases(self) -> bool:
        """Staff, or a back-office system: who opens cases by reference, not as their owner."""
        return self.staff_user_id is not None or self.api_token_id is not None

    @property
    def signed_in(self) -> bool:
        return self.person_hash is not None

    def label(self) -> str:
        """Who, for a status history entry (never a personal code or its hash)."""
        if self.staff_user_id is not None:
            return f"staff:{self.staff_user_id}"
        if self.api_token_id is not None:
            return f"api:{self.api_token_id}"
        if self.roles:
            return "staff"
        return "resident" if self.signed_in else "browser"


ANONYMOUS = Actor()


def applied_or_concerned(actor: Actor, case: CaseLike) -> bool:
    """The person who applied, the party the actor acts for if the case was filed for it,
    or the person it was filed for (signed in for themselves)."""
    if actor.person_hash is None:
        return False
    subject_hash = getattr(case, "subject_hash", None)
    if actor.acting_for is not None:
        filed_for_party = (getattr(case, "subject_kind", None), subject_hash) == (actor.acting_for.kind,
                                                                                   actor.acting_for.hash)
        return filed_for_party or case.person_code_hash == actor.person_hash
    filed_for_me = getattr(case, "subject_kind", None) == "person" and subject_hash == actor.person_hash
    return case.person_code_hash == actor.person_hash or filed_for_me


def owns(actor: Actor, case: CaseLike) -> bool:
    """The resident whose case it is: who applied, whom it concerns, or the browser that sent it."""
    return applied_or_concerned(actor, case) or case.reference in actor.submitted


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


# The service's `audience` an applicant must be in, by whom they act for.
AUDIENCE_OF_PARTY = {"company": "company", "institution": "public_body", "person": "person", "child": "child"}


def may_apply(actor: Actor, audience: tuple[str, ...]) -> bool:
    """Whether the actor, as whom they act for, is in a service's `audience`: acting for
    a company needs `company`, for an institution `public_body`, for oneself or a person
    who authorised one `person`; `any` admits all."""
    if "any" in audience:
        return True
    needed = AUDIENCE_OF_PARTY.get(actor.acting_for.kind, "?") if actor.acting_for else "person"
    return needed in audience


def may_move(actor: Actor, case: CaseLike | None, by: tuple[str, ...]) -> bool:
    """May the actor make a process step that the service gives to the roles `by`?"""
    if case is None:
        return False
    return any(role.covers(case) and any(role.acts_as(name) for name in by) for role in actor.roles)


def may_file_for_person(actor: Actor, municipality_id: str) -> bool:
    """A client-service-centre clerk files applications in person for residents, for any
    service their municipality offers (issue 14 part 8); they see no case otherwise."""
    return any(role.kind == CSC_CLERK and role.municipality_id == municipality_id for role in actor.roles)


def may_read_audit(actor: Actor, municipality_id: str) -> bool:
    """The audit log of a municipality is for its municipal admins only."""
    return any(role.kind == MUNICIPAL_ADMIN and role.municipality_id == municipality_id for role in actor.roles)


def may_manage_outbox(actor: Actor, municipality_id: str | None) -> bool:
    """A municipality's outgoing messages (pending, failed, dead letters) are for its
    municipal admins and for platform admins; all of them (None) for platform admins only."""
    return any(role.kind == PLATFORM_ADMIN or (municipality_id is not None and role.kind == MUNICIPAL_ADMIN
                                               and role.municipality_id == municipality_id)
               for role in actor.roles)


def filled_for_acting_party(actor: Actor, draft: DraftLike) -> bool:
    """Whether the draft is filled for whom the actor now acts for (themselves, or the
    same company, child or authoriser): switching whom one acts for never mixes drafts."""
    party = (actor.acting_for.kind, actor.acting_for.hash) if actor.acting_for else (None, None)
    return (getattr(draft, "subject_kind", None), getattr(draft, "subject_hash", None)) == party


def may_see_draft(actor: Actor, draft: DraftLike | None) -> bool:
    """Drafts are the resident's alone (staff never see unsent answers), and a signed-in
    person's draft is open only while they act for the party it is filled for. A browser
    may continue a draft it holds that nobody signed in owns."""
    if draft is None:
        return False
    if draft.person_code_hash is None:
        return str(draft.id) in actor.drafts
    return draft.person_code_hash == actor.person_hash and filled_for_acting_party(actor, draft)


def may_download_upload(actor: Actor, draft: DraftLike | None, case: CaseLike | None) -> bool:
    """An upload belongs to a draft until it is submitted, then to its case."""
    return may_see_draft(actor, draft) or may_act(actor, case, DOWNLOAD)


def _works_at(role: StaffRole, kind: str, municipality_id: str, institution_id: str) -> bool:
    return role.kind == kind and role.municipality_id == municipality_id and \
        role.institution_id in (None, institution_id)


def may_prepare_sessions(actor: Actor, municipality_id: str, institution_id: str) -> bool:
    """A commission's sessions (the day, the agenda, closing them) are prepared by the
    clerks of the institution it belongs to."""
    return any(_works_at(role, CLERK, municipality_id, institution_id) for role in actor.roles)


def may_sit_on(actor: Actor, municipality_id: str, institution_id: str) -> bool:
    """A commission's members are the commission members of its institution: they vote and
    record the decisions."""
    return any(_works_at(role, COMMISSION_MEMBER, municipality_id, institution_id) for role in actor.roles)
