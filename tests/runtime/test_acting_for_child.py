"""Issue 12, acting for a child: Jānis Bērziņš (the population register stand-in lists his
children Anna, 150312-20180, and Pēteris, 321234-00001) chooses to act for Pēteris and
registers him in the preschool queue (`audience: [person, child]`, `subject:
child.personal_code`). The case records the child as its subject and Jānis as its
applicant; it is listed while acting for the child, the case page opens for him, and
another adult sees nothing. The child's code must be that of the child acted for, and
the dog fee (not for a child) refuses to start."""
from __future__ import annotations

import pytest

from runtime.identity import person_code_hash
from runtime.storage.models import Submission

from .resident_support import Browser, make_app
from .test_acting_chooser import choose, dev_sign_in, rows
from .test_resident_services import CHILD, START

PRESCHOOL = "/riga/preschool-queue"
PETERIS = "321234-00001"        # the stand-in's second child of Jānis (CHILD's code)
ANNA_CHILD = "150312-20180"


@pytest.fixture
def app(app_config):
    application = make_app({**app_config, "env": "development", "dev_signin": True})
    yield application
    application.extensions["pkip"].database.dispose()


PARENT = {"applicant-personal_code": "010190-15267", "applicant-given_name": "Jānis",
          "applicant-surname": "Bērziņš", "applicant-declared_here": "yes",
          "applicant-address": "Brīvības iela 1, Rīga, LV-1010", "applicant-email": "janis@example.lv",
          "parent_declaration": "yes"}


def to_check(browser: Browser, child: dict) -> str:
    chosen = browser.answer(browser.answer(browser.start(PRESCHOOL), PARENT), child)
    entry = browser.answer(chosen, {"add_entry": "institutions", **START})
    browser.answer(entry, {"institutions-institution": "riga_pii_zilite"})
    check = browser.answer(browser.answer(chosen, START), {})
    assert check.endswith(f"{PRESCHOOL}/check"), check
    return check


def parent_for(app, choice: str) -> Browser:
    janis = Browser(app)
    dev_sign_in(janis)
    choose(janis, choice)
    return janis


def test_a_case_filed_for_a_child_records_the_child_and_the_parent(app):
    janis = parent_for(app, "party-1")                                  # Pēteris
    confirmation = janis.answer(to_check(janis, CHILD), {"declaration": "confirmed"})
    [case] = rows(app, Submission)
    assert case.reference in confirmation
    secret = app.config["SECRET_KEY"]
    assert case.person_code_hash == person_code_hash("010190-15267", secret)     # the applicant
    assert (case.subject_kind, case.subject_hash) == ("child", person_code_hash(PETERIS, secret))
    listed = janis.get("/my/")
    assert case.reference in listed and "Jūs rīkojaties sava bērna Pēteris Bērziņš vārdā" in listed
    janis.get(f"/riga/preschool-queue/case/{case.reference}")
    assert "Kā vārdā iesniegts" in janis.get(f"/riga/case/{case.reference}")
    assert "Sava bērna Pēteris Bērziņš vārdā" in janis.last_html       # the case page says for whom

    choose(janis, "self")
    assert case.reference not in janis.get("/my/")                     # not his private list
    assert "Bērna vārdā" in janis.get(f"/riga/case/{case.reference}")  # but he applied: his case page opens
    assert "Pēteris" not in janis.last_html.split('id="filed-for"')[1][:80]

    stranger = Browser(app)
    dev_sign_in(stranger, code="161175-19997")
    assert case.reference not in stranger.get("/my/")
    stranger.get(f"/riga/case/{case.reference}", status=404)
    stranger.get(f"/riga/preschool-queue/case/{case.reference}", status=404)


def test_the_childs_code_must_be_the_child_acted_for(app):
    janis = parent_for(app, "party-0")                                  # Anna, but the form names Pēteris
    check = to_check(janis, CHILD)
    response = janis.post(check, {"declaration": "confirmed"}, status=200)
    html = response.get_data(as_text=True)
    assert "Bērna personas kods nav tā bērna kods, kura vārdā jūs rīkojaties" in html
    assert rows(app, Submission) == []
    assert ANNA_CHILD not in html


def test_a_service_not_for_a_child_refuses_to_start_for_one(app):
    janis = parent_for(app, "party-1")
    response = janis.post("/riga/dog-fee/start", status=403)
    assert "nav paredzēts tam, kā vārdā jūs rīkojaties" in response.get_data(as_text=True)
    choose(janis, "self")
    assert janis.post("/riga/dog-fee/start", status=302)
