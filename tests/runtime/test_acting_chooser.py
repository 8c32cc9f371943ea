"""Issue 12, "who do you act for": after sign-in a person with children (from the
population register stand-in) chooses whom they act for; a company's representative
(latvija.lv subject PK:...-UR:...) may switch between the company and themselves from
"my applications". "My applications" lists the drafts and cases of the party acted for
now, and switching never mixes drafts: a draft started for the company is neither listed
nor continued, nor sent, for the person themselves."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from runtime.identity import party_hash, person_code_hash
from runtime.storage.models import Draft, Submission

from .resident_support import PET, Browser, make_app
from .signin_support import latvija_sign_in
from .test_acting_for import ANNA, BRUNO, CODE_A, CODE_B, COMPANY, file_example

JANIS = "010190-15267"          # the stand-in's parent of Anna Bērziņa, 150312-20180
CHOOSER = "/my/acting-for"


@pytest.fixture
def app(app_config):
    application = make_app({**app_config, "env": "development", "signin_standins": True, "dev_signin": True})
    yield application
    application.extensions["pkip"].database.dispose()


def dev_sign_in(browser: Browser, code: str = JANIS, next_path: str = "/my/"):
    return browser.post(f"/signin/dev?next={next_path}", {"given_name": "Jānis", "surname": "Bērziņš", "personal_code": code})


def choose(browser: Browser, value: str, status: int = 302, next_path: str = "/my/"):
    return browser.post(f"{CHOOSER}?next={next_path}", {"party": value, "next": next_path}, status=status)


def rows(app, model) -> list:
    with app.extensions["pkip"].database.sessions() as session:
        return list(session.scalars(select(model)))


def test_a_parent_is_asked_whom_they_act_for_after_sign_in(app):
    janis = Browser(app)
    signed_in = dev_sign_in(janis, next_path="/riga/")
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"].startswith(CHOOSER) and "next=/riga/" in signed_in.headers["Location"]
    html = janis.get(signed_in.headers["Location"])
    assert "Kā vārdā jūs rīkojaties?" in html
    assert "Savā vārdā, Jānis Bērziņš" in html and "Sava bērna Anna Bērziņa vārdā" in html
    assert "150312" not in html                                   # the child's code is not on the page
    assert re.search(r'id="party-self"[^>]*checked', html)        # oneself until chosen otherwise
    assert choose(janis, "party-0", next_path="/riga/").headers["Location"] == "/riga/"
    assert "Jūs rīkojaties sava bērna Anna Bērziņa vārdā" in janis.get("/my/")


def test_a_person_without_anyone_to_act_for_goes_straight_on(app):
    anna = Browser(app)
    assert dev_sign_in(anna, code="161175-19997").headers["Location"] == "/my/"
    assert "Mainīt, kā vārdā rīkojaties" not in anna.get("/my/")


@pytest.mark.parametrize("value", ["", "party-2", "party-x", "company", "party-99999"])
def test_only_an_offered_party_can_be_chosen(app, value):
    janis = Browser(app)
    dev_sign_in(janis)
    response = choose(janis, value, status=400)
    assert "Izvēlieties, kā vārdā rīkojaties" in response.get_data(as_text=True)
    assert "Jūs rīkojaties" not in janis.get("/my/")              # still for himself


def test_the_chooser_needs_a_sign_in_and_a_csrf_token(app):
    visitor = Browser(app)
    assert visitor.client.get(CHOOSER).headers["Location"].startswith("/signin/")
    janis = Browser(app)
    dev_sign_in(janis)
    assert janis.client.post(CHOOSER, data={"party": "party-0"}).status_code == 400
    assert "Jūs rīkojaties" not in janis.get("/my/")


def test_an_unknown_next_address_is_not_followed(app):
    janis = Browser(app)
    dev_sign_in(janis)
    response = janis.post(CHOOSER, {"party": "self", "next": "https://evil.example/"}, status=302)
    assert response.headers["Location"] == "/my/"


def test_a_draft_started_for_the_company_is_the_companys_alone(app):
    anna = Browser(app)
    latvija_sign_in(app, anna.client, f"PK:{CODE_A}-UR:{COMPANY}", CODE_A, ANNA)
    first_page = anna.start()
    anna.answer(first_page, {"applicant_kind": "company"})
    [draft] = rows(app, Draft)
    secret = app.config["SECRET_KEY"]
    assert (draft.subject_kind, draft.subject_hash) == ("company", party_hash("company", COMPANY, secret))
    assert draft.person_code_hash == person_code_hash(CODE_A, secret)
    assert f"/drafts/{draft.id}" in anna.get("/my/")

    choose(anna, "self")
    mine = anna.get("/my/")
    assert f"/drafts/{draft.id}" not in mine and "Mainīt, kā vārdā rīkojaties" in mine
    anna.get(f"{PET}/check", status=404)                           # the page left open does not go on
    anna.get(f"{PET}/drafts/{draft.id}", status=404)               # nor does the link

    choose(anna, "party-0")
    assert f"/drafts/{draft.id}" in anna.get("/my/")
    assert anna.client.get(f"{PET}/drafts/{draft.id}").status_code == 302


def test_drafts_for_oneself_stay_out_of_the_companys_list(app):
    anna = Browser(app)
    latvija_sign_in(app, anna.client, f"PK:{CODE_A}-UR:{COMPANY}", CODE_A, ANNA)
    choose(anna, "self")
    anna.start()
    [draft] = rows(app, Draft)
    assert draft.subject_kind is None and draft.subject_hash is None
    assert f"/drafts/{draft.id}" in anna.get("/my/")
    choose(anna, "party-0")
    assert f"/drafts/{draft.id}" not in anna.get("/my/")


def test_a_case_for_the_company_is_listed_only_while_acting_for_it(app):
    anna = Browser(app)
    latvija_sign_in(app, anna.client, f"PK:{CODE_A}-UR:{COMPANY}", CODE_A, ANNA)
    reference = file_example(anna)
    assert reference in anna.get("/my/")
    choose(anna, "self")
    assert reference not in anna.get("/my/")                       # not her private list
    bruno = Browser(app)
    latvija_sign_in(app, bruno.client, f"PK:{CODE_B}-UR:{COMPANY}", CODE_B, BRUNO)
    assert reference in bruno.get("/my/")                          # the company's other representative
    choose(bruno, "self")
    assert reference not in bruno.get("/my/")
    choose(anna, "party-0")
    assert reference in anna.get("/my/")
    [case] = rows(app, Submission)
    assert case.subject_kind == "company"


def test_a_draft_held_before_sign_in_becomes_the_chosen_partys(app):
    janis = Browser(app)
    janis.start()
    [draft] = rows(app, Draft)
    assert draft.person_code_hash is None
    dev_sign_in(janis)
    assert rows(app, Draft)[0].person_code_hash is None            # not claimed before the choice
    choose(janis, "self")
    claimed = rows(app, Draft)[0]
    assert claimed.person_code_hash == person_code_hash(JANIS, app.config["SECRET_KEY"])
    assert claimed.subject_hash is None
    assert f"/drafts/{draft.id}" in janis.get("/my/")


def test_a_company_from_the_enterprise_register_can_be_chosen(app):
    """The register stand-in lists 321111-22222 as a representative of SIA "Piemērs"
    (40003032949): offered after a sign-in without a company subject, and what is filed
    then is the company's."""
    ilze = Browser(app)
    signed_in = ilze.post("/signin/dev?next=/my/", {"given_name": "Ilze", "surname": "Liepa",
                                                     "personal_code": "321111-22222"})
    assert signed_in.headers["Location"].startswith(CHOOSER)
    assert "Uzņēmuma ar reģistrācijas numuru 40003032949 vārdā" in ilze.get(signed_in.headers["Location"])
    choose(ilze, "party-0")
    reference = file_example(ilze)
    [case] = rows(app, Submission)
    assert case.reference == reference
    assert (case.subject_kind, case.subject_hash) == ("company", party_hash("company", "40003032949",
                                                                            app.config["SECRET_KEY"]))
