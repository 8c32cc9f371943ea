"""Acting for someone else (issue 12 part 5): a case filed by a company's representative
is the company's (its other representative sees it; the applicant's private list does
not show it unless they act for the company again), and a case filed under a person's
authorisation is found by that person. Residents sign in through the latvija.lv
stand-in with the subject forms PK:...-UR:... and DP:...-PK:..., then file the example
service through its pages."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from runtime.identity import party_hash, person_code_hash
from runtime.storage.models import Submission

from .resident_support import Browser, make_app
from .signin_support import latvija_sign_in
from .test_resident_flow import fill_example

CODE_A, CODE_B = "16117519997", "01019012349"
COMPANY = "40003245752"
ANNA = [("givenname", "Anna", None), ("surname", "Bērziņa", None)]
BRUNO = [("givenname", "Bruno", None), ("surname", "Kalniņš", None)]


@pytest.fixture
def app(app_config):
    application = make_app({**app_config, "env": "development", "signin_standins": True})
    yield application
    application.extensions["pkip"].database.dispose()


def resident(app, name_identifier: str, code: str, names) -> Browser:
    browser = Browser(app)
    latvija_sign_in(app, browser.client, name_identifier, code, names)
    return browser


def file_example(browser: Browser) -> str:
    confirmation = browser.answer(fill_example(browser), {"declaration": "confirmed"})
    return re.search(r"/case/([A-Z0-9-]+)", confirmation).group(1)


def listed(browser: Browser) -> str:
    return browser.get("/my/")


def stored(app, reference: str) -> Submission:
    with app.extensions["pkip"].database.sessions() as session:
        return session.scalars(select(Submission).where(Submission.reference == reference)).one()


def test_a_case_filed_for_a_company_is_the_companys(app):
    anna_for_company = resident(app, f"PK:{CODE_A}-UR:{COMPANY}", CODE_A, ANNA)
    reference = file_example(anna_for_company)
    case = stored(app, reference)
    secret = app.config["SECRET_KEY"]
    assert case.person_code_hash == person_code_hash(CODE_A, secret)            # who applied
    assert (case.subject_kind, case.subject_hash) == ("company", party_hash("company", COMPANY, secret))
    assert reference in listed(anna_for_company) and COMPANY in anna_for_company.last_html

    bruno_for_company = resident(app, f"PK:{CODE_B}-UR:{COMPANY}", CODE_B, BRUNO)
    assert reference in listed(bruno_for_company)                                # the other representative
    bruno_for_company.get(f"/riga/example-pet-registration/case/{reference}")    # and its page
    assert f"Uzņēmuma ar reģistrācijas numuru {COMPANY} vārdā" in bruno_for_company.get(f"/riga/case/{reference}")

    anna_herself = resident(app, f"PK:{CODE_A}", CODE_A, ANNA)
    assert reference not in listed(anna_herself)                                 # not her private list
    bruno_himself = resident(app, f"PK:{CODE_B}", CODE_B, BRUNO)
    assert reference not in listed(bruno_himself)
    bruno_himself.get(f"/riga/example-pet-registration/case/{reference}", status=404)


def test_a_case_filed_under_an_authorisation_is_found_by_the_authoriser(app):
    bruno_for_anna = resident(app, f"DP:{CODE_A}-PK:{CODE_B}", CODE_B, BRUNO)
    reference = file_example(bruno_for_anna)
    case = stored(app, reference)
    assert case.subject_kind == "person"
    assert case.subject_hash == person_code_hash(CODE_A, app.config["SECRET_KEY"])
    assert reference in listed(bruno_for_anna)

    anna_herself = resident(app, f"PK:{CODE_A}", CODE_A, ANNA)
    assert reference in listed(anna_herself)                                     # filed for her
    anna_herself.get(f"/riga/example-pet-registration/case/{reference}")
    assert "Jūsu vārdā: iesniedza jūsu pilnvarota persona" in anna_herself.get(f"/riga/case/{reference}")
    assert "Tās personas vārdā, kas jūs pilnvarojusi" in bruno_for_anna.get(f"/riga/case/{reference}")
    assert reference not in listed(resident(app, f"PK:{CODE_B}", CODE_B, BRUNO))  # not Bruno's own
    assert CODE_A[:6] not in bruno_for_anna.get("/my/")                          # her code is not shown


def test_a_case_filed_for_oneself_records_no_subject(app):
    anna = resident(app, f"PK:{CODE_A}", CODE_A, ANNA)
    reference = file_example(anna)
    case = stored(app, reference)
    assert case.subject_kind is None and case.subject_hash is None
    assert reference in listed(anna)
    assert reference not in listed(resident(app, f"PK:{CODE_A}-UR:{COMPANY}", CODE_A, ANNA))


def test_a_service_for_persons_only_refuses_one_acting_for_a_company(app):
    start = "/riga/preschool-queue/start"
    for_company = resident(app, f"PK:{CODE_A}-UR:{COMPANY}", CODE_A, ANNA)
    response = for_company.post(start, status=403)
    assert "nav paredzēts tam, kā vārdā jūs rīkojaties" in response.get_data(as_text=True)
    assert for_company.post("/riga/example-pet-registration/start", status=302)     # audience [person, company]
    assert resident(app, f"PK:{CODE_A}", CODE_A, ANNA).post(start, status=302)
