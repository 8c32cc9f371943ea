"""The one access policy (runtime/cases/access.py), without Flask: residents see their own
cases and drafts, a browser what it sent, staff what their role covers, nobody else."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from runtime.cases.access import (
    ANONYMOUS, ASSIGN, BACK_OFFICE, CLERK, COMMISSION_MEMBER, CSC_CLERK, DOWNLOAD, FINANCE, MOVE, MUNICIPAL_ADMIN, NOTE,
    PLATFORM_ADMIN, RECORD_PAYMENT, SCOPE_DOCUMENTS, SCOPE_READ, SCOPE_SUBMIT, SCOPE_WRITE, SEE, SEE_QUEUE, WAIVE_FEE,
    Actor, Party, StaffRole, may_act, may_apply, may_download_upload, may_file_for_person, may_manage_outbox, may_move,
    may_prepare_sessions, may_read_audit, may_see, may_see_draft, may_sit_on,
)


@dataclass
class Case:
    reference: str = "RIX-SUN-2026-1"
    municipality_id: str = "riga"
    person_code_hash: str | None = "hash-of-anna"
    institution_id: str | None = "animal-register"


@dataclass
class Draft:
    id: str = "6f1c"
    person_code_hash: str | None = None


ANNA = Actor(person_hash="hash-of-anna")
BROWSER = Actor(submitted=frozenset({"RIX-SUN-2026-1"}), drafts=frozenset({"6f1c"}))
STRANGERS = [ANONYMOUS, Actor(person_hash="hash-of-janis"), Actor(submitted=frozenset({"RIX-SUN-2026-2"}))]


@pytest.mark.parametrize("actor", [ANNA, BROWSER], ids=["signed-in owner", "browser that sent it"])
def test_the_resident_sees_and_acts_on_their_own_case(actor):
    assert may_see(actor, Case())
    assert all(may_act(actor, Case(), action) for action in (SEE, DOWNLOAD, SEE_QUEUE))
    assert not may_act(actor, Case(), "decide")


@pytest.mark.parametrize("actor", STRANGERS, ids=["anonymous", "another person", "another browser"])
def test_a_stranger_neither_sees_nor_acts(actor):
    assert not may_see(actor, Case())
    assert not any(may_act(actor, Case(), action) for action in (SEE, DOWNLOAD, SEE_QUEUE, "decide"))
    assert not may_see_draft(actor, Draft())
    assert not may_download_upload(actor, Draft(), Case())


def test_a_case_without_a_person_is_not_everybodys():
    assert not may_see(ANONYMOUS, Case(person_code_hash=None))
    assert not may_see(Actor(), None)


def test_drafts_belong_to_their_person_or_browser_only():
    assert may_see_draft(BROWSER, Draft())
    assert may_see_draft(ANNA, Draft(person_code_hash="hash-of-anna"))
    assert may_download_upload(ANNA, None, Case())
    staff = Actor(roles=(StaffRole("riga", frozenset({SEE})),))
    assert not may_see_draft(staff, Draft(person_code_hash="hash-of-anna"))


def test_staff_roles_cover_their_municipality_and_institution():
    clerk = Actor(roles=(StaffRole("riga", frozenset({SEE, "decide"}), institution_id="animal-register"),))
    assert may_see(clerk, Case()) and may_act(clerk, Case(), "decide")
    assert not may_see(clerk, Case(institution_id="social-service"))
    assert not may_see(clerk, Case(municipality_id="jurmala"))
    reader = Actor(roles=(StaffRole("riga", frozenset({SEE})),))
    assert may_see(reader, Case(institution_id="social-service"))
    assert not may_act(reader, Case(), "decide")


EVERYBODY = [ANNA, BROWSER, *STRANGERS, Actor(roles=(StaffRole("riga", frozenset({SEE, DOWNLOAD, "decide"})),))]


@pytest.mark.parametrize("actor", EVERYBODY)
def test_nothing_is_granted_on_a_case_or_draft_that_is_not_there(actor):
    assert not any(may_act(actor, None, action) for action in (SEE, DOWNLOAD, SEE_QUEUE, "decide"))
    assert not may_see_draft(actor, None)
    assert not may_download_upload(actor, None, None)


def test_an_upload_of_a_held_draft_is_downloaded_without_a_case():
    assert may_download_upload(BROWSER, Draft(), None)
    assert may_download_upload(ANNA, Draft(person_code_hash="hash-of-anna"), None)


def test_stored_facts_without_an_institution_are_covered_only_by_a_municipality_wide_role():
    @dataclass
    class Facts:            # a case's stored facts need not carry an institution at all
        reference: str = "RIX-SUN-2026-1"
        municipality_id: str = "riga"
        person_code_hash: str | None = None

    assert not StaffRole("riga", frozenset({SEE}), institution_id="animal-register").covers(Facts())
    assert StaffRole("riga", frozenset({SEE})).covers(Facts())


def test_the_history_names_who_acted_by_kind_never_by_person():
    assert Actor(roles=(StaffRole("riga", frozenset({SEE})),), person_hash="h").label() == "staff"
    assert ANNA.label() == "resident"
    assert BROWSER.label() == "browser" and ANONYMOUS.label() == "browser"


@dataclass
class FiledCase(Case):
    subject_kind: str | None = None
    subject_hash: str | None = None


@dataclass
class FiledDraft(Draft):
    subject_kind: str | None = None
    subject_hash: str | None = None


ACME = Party("company", "hash-of-acme")
FOR_ACME = Actor(person_hash="hash-of-janis", acting_for=ACME)


def test_a_case_filed_for_a_party_is_seen_by_whoever_acts_for_it_and_by_who_applied():
    acme_case = FiledCase(person_code_hash="hash-of-anna", subject_kind="company", subject_hash="hash-of-acme")
    assert may_see(FOR_ACME, acme_case)                       # acting for the company it was filed for
    assert may_see(Actor(person_hash="hash-of-anna", acting_for=Party("company", "hash-of-other")), acme_case)
    assert not may_see(Actor(person_hash="hash-of-janis", acting_for=Party("company", "hash-of-other")), acme_case)
    assert not may_see(Actor(person_hash="hash-of-janis", acting_for=Party("person", "hash-of-acme")), acme_case)
    assert not may_see(Actor(person_hash="hash-of-janis"), acme_case), "for themselves, not for the company"
    assert not may_see(Actor(acting_for=ACME), acme_case), "nobody signed in acts for anyone"
    assert not may_see(FOR_ACME, Case()), "a case that names no subject is not the company's"


def test_a_case_filed_for_a_person_is_theirs_when_they_sign_in_for_themselves():
    filed_for_janis = FiledCase(person_code_hash="hash-of-anna", subject_kind="person", subject_hash="hash-of-janis")
    assert may_see(Actor(person_hash="hash-of-janis"), filed_for_janis)
    assert may_see(ANNA, filed_for_janis)
    assert not may_see(Actor(person_hash="hash-of-acme"), FiledCase(subject_kind="company", subject_hash="hash-of-acme"))


def test_a_draft_filled_for_a_party_opens_only_while_acting_for_it():
    draft = FiledDraft(person_code_hash="hash-of-janis", subject_kind="company", subject_hash="hash-of-acme")
    assert may_see_draft(FOR_ACME, draft)
    assert not may_see_draft(Actor(person_hash="hash-of-janis"), draft)
    assert not may_see_draft(Actor(person_hash="hash-of-janis", acting_for=Party("company", "hash-of-other")), draft)
    own = FiledDraft(person_code_hash="hash-of-janis")
    assert may_see_draft(Actor(person_hash="hash-of-janis"), own) and not may_see_draft(FOR_ACME, own)


# Staff roles: pure functions of the actor's roles, tested here directly (the staff tests in
# tests/runtime/staff/ exercise them through the pages, but are outside mutmut's selection).

def staff(kind: str, municipality_id: str = "riga", institution_id: str | None = "animal-register") -> Actor:
    return Actor(roles=(StaffRole.of_kind(kind, municipality_id, institution_id),), staff_user_id=7)


def test_a_role_of_a_kind_carries_that_kinds_case_actions_where_it_was_granted():
    assert StaffRole.of_kind(CLERK, "riga", "animal-register") == StaffRole(
        "riga", frozenset({SEE, DOWNLOAD, SEE_QUEUE, NOTE, ASSIGN, RECORD_PAYMENT, WAIVE_FEE}), "animal-register", CLERK)
    assert StaffRole.of_kind(COMMISSION_MEMBER, "jurmala") == StaffRole(
        "jurmala", frozenset({SEE, DOWNLOAD, SEE_QUEUE, NOTE}), None, COMMISSION_MEMBER)
    for kind in (PLATFORM_ADMIN, MUNICIPAL_ADMIN, CSC_CLERK, FINANCE):
        role = StaffRole.of_kind(kind, "riga")
        assert role.actions == frozenset() and role.kind == kind and role.institution_id is None
        assert not role.covers(Case()), f"{kind} sees no case"


@pytest.mark.parametrize("scopes, actions", [
    ({SCOPE_READ}, {SEE}),
    ({SCOPE_WRITE}, {SEE, MOVE}),
    ({SCOPE_DOCUMENTS}, {SEE, DOWNLOAD}),
    ({SCOPE_READ, SCOPE_WRITE, SCOPE_DOCUMENTS, SCOPE_SUBMIT}, {SEE, DOWNLOAD, MOVE}),
    ({SCOPE_SUBMIT}, set()),
    (set(), set()),
], ids=["read", "write", "documents", "all", "submit only", "none"])
def test_an_api_tokens_scopes_give_its_role_in_its_institution(scopes, actions):
    role = StaffRole.of_token("riga", "animal-register", frozenset(scopes))
    assert role == StaffRole("riga", frozenset(actions), "animal-register", BACK_OFFICE)


@pytest.mark.parametrize("role, steps", [
    (StaffRole.of_kind(CLERK, "riga"), {"clerk", "registrar"}),
    (StaffRole.of_kind(COMMISSION_MEMBER, "riga"), {"commission", "admission_commission"}),
    (StaffRole.of_token("riga", "animal-register", frozenset({SCOPE_WRITE})), {"clerk", "registrar"}),
    (StaffRole.of_token("riga", "animal-register", frozenset({SCOPE_READ, SCOPE_DOCUMENTS})), set()),
    *[(StaffRole.of_kind(kind, "riga"), set()) for kind in (PLATFORM_ADMIN, MUNICIPAL_ADMIN, CSC_CLERK, FINANCE)],
], ids=["clerk", "commission member", "token with cases:write", "read-only token", *[
    "platform admin", "municipal admin", "csc clerk", "finance"]])
def test_each_kind_of_role_makes_only_its_own_process_steps(role, steps):
    for process_role in ("clerk", "registrar", "commission", "admission_commission"):
        assert role.acts_as(process_role) == (process_role in steps), process_role


def test_a_step_is_moved_only_by_a_role_covering_the_case_that_acts_as_one_of_its_roles():
    assert may_move(staff(CLERK), Case(), ("clerk",))
    assert may_move(staff(CLERK), Case(), ("commission", "clerk")), "any one of the step's roles"
    assert not may_move(staff(CLERK), Case(), ("commission",))
    assert not may_move(staff(CLERK), Case(institution_id="social-service"), ("clerk",)), "another institution"
    assert not may_move(staff(CLERK, "jurmala"), Case(), ("clerk",)), "another municipality"
    assert may_move(staff(COMMISSION_MEMBER), Case(), ("admission_commission",))
    assert not may_move(staff(COMMISSION_MEMBER, institution_id="social-service"), Case(), ("commission",))
    assert not may_move(staff(PLATFORM_ADMIN, institution_id=None), Case(), ("clerk", "commission"))
    assert not may_move(staff(CLERK), None, ("clerk",))
    assert not may_move(ANNA, Case(), ("clerk",)), "the applicant moves nothing"


@pytest.mark.parametrize("party, audience", [
    (None, "person"), (Party("person", "h"), "person"), (Party("company", "h"), "company"),
    (Party("institution", "h"), "public_body"), (Party("child", "h"), "child"),
], ids=["oneself", "an authoriser", "a company", "an institution", "a child"])
def test_an_applicant_is_in_the_audience_of_whom_they_act_for(party, audience):
    actor = Actor(person_hash="hash-of-janis", acting_for=party)
    assert may_apply(actor, (audience,)) and may_apply(actor, ("other", audience))
    others = tuple(a for a in ("person", "company", "public_body", "child") if a != audience)
    assert not may_apply(actor, others) and not may_apply(actor, ())
    assert may_apply(actor, ("any",)) and may_apply(actor, (*others, "any"))


def test_a_party_of_an_unknown_kind_is_admitted_only_where_anyone_is():
    stranger = Actor(person_hash="hash-of-janis", acting_for=Party("consulate", "h"))
    assert not may_apply(stranger, ("person", "company", "public_body", "child", "consulate"))
    assert may_apply(stranger, ("any",))


@pytest.mark.parametrize("check, kind", [
    (may_file_for_person, CSC_CLERK), (may_read_audit, MUNICIPAL_ADMIN),
], ids=["filing for a person", "reading the audit log"])
def test_a_municipality_wide_right_is_its_one_kinds_in_that_municipality(check, kind):
    assert check(staff(kind, institution_id=None), "riga")
    assert check(Actor(roles=(StaffRole.of_kind(CLERK, "riga"), StaffRole.of_kind(kind, "riga"))), "riga")
    assert not check(staff(kind, "jurmala", None), "riga"), "another municipality"
    others = [k for k in (PLATFORM_ADMIN, MUNICIPAL_ADMIN, CLERK, CSC_CLERK, COMMISSION_MEMBER, FINANCE) if k != kind]
    assert not any(check(staff(other, institution_id=None), "riga") for other in others)
    assert not check(ANNA, "riga") and not check(ANONYMOUS, "riga")


def test_outgoing_messages_are_for_the_municipal_admins_and_all_of_them_for_platform_admins():
    platform = staff(PLATFORM_ADMIN, "lv", None)
    assert may_manage_outbox(platform, "riga") and may_manage_outbox(platform, None)
    municipal = staff(MUNICIPAL_ADMIN, institution_id=None)
    assert may_manage_outbox(municipal, "riga")
    assert not may_manage_outbox(municipal, "jurmala") and not may_manage_outbox(municipal, None)
    assert not any(may_manage_outbox(staff(kind, institution_id=None), "riga")
                   for kind in (CLERK, CSC_CLERK, COMMISSION_MEMBER, FINANCE))
    assert not may_manage_outbox(ANNA, "riga") and not may_manage_outbox(ANONYMOUS, None)


@pytest.mark.parametrize("check, kind, other", [
    (may_prepare_sessions, CLERK, COMMISSION_MEMBER), (may_sit_on, COMMISSION_MEMBER, CLERK),
], ids=["preparing sessions", "sitting on the commission"])
def test_a_commissions_work_is_for_its_institutions_clerks_or_members(check, kind, other):
    assert check(staff(kind), "riga", "animal-register")
    assert check(staff(kind, institution_id=None), "riga", "animal-register"), "a role for all institutions"
    assert not check(staff(kind), "riga", "social-service"), "a commission of another institution"
    assert not check(staff(kind, "jurmala"), "riga", "animal-register"), "another municipality"
    assert not check(staff(other), "riga", "animal-register")
    assert not check(staff(MUNICIPAL_ADMIN, institution_id=None), "riga", "animal-register")
    assert check(Actor(roles=(StaffRole.of_kind(other, "riga"), StaffRole.of_kind(kind, "riga", "animal-register"))),
                 "riga", "animal-register")
