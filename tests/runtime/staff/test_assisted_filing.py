"""The assisted channel (issue 14 part 8): a client-service-centre clerk files an
application in person for a resident through the same resident forms and engine; the
case has the person as applicant, channel "in-person" and the clerk as its filer; the
case file names the clerk; the person finds it under "my applications". Nobody else may
start such a filing, and it cannot be sent once the clerk's staff session has ended."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from runtime.identity import person_code_hash
from runtime.storage.models import AuditEntry, CaseHistoryEntry, Draft, StaffUser, Submission

from ..resident_support import DETAILS, DOG, OWNER, PET, TODAY, Browser, rows
from ..support_documents import dev_sign_in
from .conftest import csrf_token, make_staff, sign_in

CODE = OWNER["owner-personal_code"]
PERSON = {"personal_code": CODE, "given_name": "Jānis", "surname": "Bērziņš"}


@pytest.fixture
def app(staff_app):
    staff_app.config["PKIP_TODAY"] = TODAY          # the example's answers are for this day
    return staff_app


@pytest.fixture
def dev_app(app_config, shipped_catalogue):
    from .conftest import ROOT
    from app import create_app
    application = create_app({**app_config, "definitions_path": str(ROOT / "definitions"), "env": "development",
                              "dev_signin": True}, catalogue=shipped_catalogue)
    application.config["PKIP_TODAY"] = TODAY
    yield application
    application.extensions["pkip"].database.dispose()


def clerk_browser(app, email="csc@riga.lv", role="csc_clerk", municipality="riga", institution=None):
    make_staff(app, email, role, municipality, institution, name="Daiga Kalniņa")
    browser = Browser(app)
    assert sign_in(browser.client, email).status_code == 302
    return browser


def start_filing(browser, municipality="riga", service="example-pet-registration", **person):
    url = f"/staff/{municipality}/assist"
    data = {"csrf_token": csrf_token(browser.client, url), "service": service, **PERSON, **person}
    return browser.client.post(url, data=data)


def fill_pet_registration(browser, first: str) -> str:
    """The example service's pages after "start", as `test_resident_flow.fill_example`."""
    assert first.endswith(f"{PET}/apply/applicant")
    owner = browser.answer(first, {"applicant_kind": "person"})
    html = browser.get(owner)
    assert 'value="Bērziņš"' in html and 'value="010190-15267"' in html     # prefilled from the person, not the clerk
    pets = browser.answer(owner, OWNER)
    browser.answer(browser.answer(pets, {"add_entry": "pets"}), DOG)
    details = browser.answer(pets, {})
    return browser.answer(details, DETAILS)


def test_a_client_service_centre_clerk_files_for_a_person_through_the_resident_forms(dev_app):
    browser = clerk_browser(dev_app)
    assert "Iesniegt pieteikumu personas vārdā" in browser.get("/staff/")
    assert browser.client.get("/staff/riga/assist").status_code == 200
    started = start_filing(browser)
    assert started.status_code == 303
    check = fill_pet_registration(browser, started.headers["Location"])
    confirmation = browser.answer(check, {"declaration": "confirmed"})
    assert "/case/RIX-PET-" in confirmation and browser.client.get(confirmation).status_code == 200
    [case] = rows(dev_app, Submission)
    clerk_id = _user_id(dev_app, "csc@riga.lv")
    secret = dev_app.config["SECRET_KEY"]
    assert (case.channel, case.filed_by_id) == ("in-person", clerk_id)
    assert case.person_code_hash == person_code_hash(CODE, secret)
    assert [h.actor for h in rows(dev_app, CaseHistoryEntry)] == [f"staff:{clerk_id}"]
    assert rows(dev_app, Draft) == []
    started_entries = [e for e in rows(dev_app, AuditEntry) if e.action == "assisted.start"]
    assert [(e.actor, e.object_id) for e in started_entries] == [(f"staff:{clerk_id}", "example-pet-registration")]
    assert CODE not in str(started_entries[0].details)
    # the institution's clerk sees who filed it
    make_staff(dev_app, "clerk@riga.lv", "clerk", "riga", case.institution_id, name="Rita Kļava")
    clerk = dev_app.test_client()
    sign_in(clerk, "clerk@riga.lv")
    html = clerk.get(f"/staff/riga/case/{case.reference}").get_data(as_text=True)
    assert "klātienē" in html and "iesniedza Daiga Kalniņa" in html
    # the person, signed in, finds it under "my applications"; another person does not
    person = dev_app.test_client()
    dev_sign_in(person, code=CODE, given_name="Jānis", surname="Bērziņš")
    assert case.reference in person.get("/my/").get_data(as_text=True)
    stranger = dev_app.test_client()
    dev_sign_in(stranger)
    assert case.reference not in stranger.get("/my/").get_data(as_text=True)


def test_a_case_the_resident_files_has_no_filer(dev_app):
    browser = Browser(dev_app)
    check = fill_pet_registration_as_resident(browser)
    browser.answer(check, {"declaration": "confirmed"})
    [case] = rows(dev_app, Submission)
    assert (case.channel, case.filed_by_id) == ("e-service", None)


def fill_pet_registration_as_resident(browser):
    dev_sign_in(browser.client, code=CODE, given_name="Jānis", surname="Bērziņš")
    return fill_pet_registration(browser, browser.start(PET))


@pytest.mark.parametrize("who", ["csc of another municipality", "plain clerk", "municipal admin"])
def test_nobody_but_a_client_service_centre_clerk_of_the_municipality_may_file(app, who):
    browser = {"csc of another municipality": lambda: clerk_browser(app, "csc@jurmala.lv", "csc_clerk", "jurmala"),
               "plain clerk": lambda: clerk_browser(app, "clerk@riga.lv", "clerk", "riga", "environment"),
               "municipal admin": lambda: clerk_browser(app, "admin@riga.lv", "municipal_admin", "riga")}[who]()
    assert browser.client.get("/staff/riga/assist").status_code == 404
    token = csrf_token(browser.client, "/staff/")
    refused = browser.client.post("/staff/riga/assist", data={"csrf_token": token, "service": "example-pet-registration",
                                                              **PERSON})
    assert refused.status_code == 404
    assert "/staff/riga/assist" not in browser.get("/staff/")
    assert rows(app, Draft) == []


def test_the_person_must_be_named_by_a_valid_personal_code_and_the_service_offered(app):
    browser = clerk_browser(app)
    bad = start_filing(browser, personal_code="010190-15268")
    assert bad.status_code == 422 and "derīgu Latvijas personas kodu" in bad.get_data(as_text=True)
    nameless = start_filing(browser, given_name=" ")
    assert nameless.status_code == 422 and "Šis ir jāaizpilda." in nameless.get_data(as_text=True)
    unknown = start_filing(browser, service="no-such-service")
    assert unknown.status_code == 422 and "ko pašvaldība piedāvā" in unknown.get_data(as_text=True)
    assert rows(app, Draft) == []
    assert start_filing(browser).status_code == 303 and len(rows(app, Draft)) == 1


def test_the_filing_cannot_be_sent_after_the_clerk_signed_out(app):
    browser = clerk_browser(app)
    check = fill_pet_registration(browser, start_filing(browser).headers["Location"])
    browser.client.post("/staff/signout", data={"csrf_token": csrf_token(browser.client, "/staff/signin")})
    refused = browser.post(check, {"declaration": "confirmed"})
    assert refused.status_code == 403 and "Šo klātienes pieteikumu nevar iesniegt" in refused.get_data(as_text=True)
    assert rows(app, Submission) == []


def _user_id(app, email):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.email == email))
