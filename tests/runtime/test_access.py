"""The one access policy (runtime/cases/access.py), without Flask: residents see their own
cases and drafts, a browser what it sent, staff what their role covers, nobody else."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from runtime.cases.access import (
    ANONYMOUS, DOWNLOAD, SEE, SEE_QUEUE, Actor, Party, StaffRole, may_act, may_download_upload, may_see, may_see_draft,
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
