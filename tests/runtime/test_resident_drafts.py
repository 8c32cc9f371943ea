"""Drafts, versions, submission and bad input: resume links, a draft pinned to a replaced
version, double submits, tampered posts and stale drafts, on both databases; and the
dog-keeping fee in Riga end to end."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from runtime.storage.models import Draft, ServiceVersion, Submission

from .resident_support import DETAILS, DOG, OWNER, PET, Browser, count, real_catalogue, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def to_pets(browser: Browser) -> str:
    return browser.answer(browser.answer(browser.start(), {"applicant_kind": "person"}), OWNER)


def to_check(browser: Browser) -> str:
    pets = to_pets(browser)
    browser.answer(browser.answer(pets, {"add_entry": "pets"}), DOG)
    return browser.answer(browser.answer(pets, {}), DETAILS)


def resume_link(browser: Browser) -> str:
    """The saved page's link (`.../resume#<token>`) as the older path form, which still
    works: these tests are about what a link opens (test_resume_links.py has the form)."""
    html = browser.get(f"{PET}/saved")
    path, token = re.search(r'<a class="link" href="http://localhost(/[^"#]+/resume)#([^"]+)"', html).groups()
    return f"{path}/{token}"


def pin_draft_to(app, version_id: int) -> None:
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Draft).values(service_version_id=version_id))


def add_version(app, source_text: str, version: str) -> int:
    with app.extensions["pkip"].database.transaction() as session:
        row = ServiceVersion(service_id="example-pet-registration", version=version,
                             source_hash=f"test-{version}", source_text=source_text)
        session.add(row)
        session.flush()
        return row.id


def test_a_draft_is_resumed_from_its_link_in_another_browser(app, browser):
    pets = to_pets(browser)
    link = resume_link(browser)
    [draft] = rows(app, Draft)
    assert link.split("/")[-1] not in draft.resume_token_hash and len(draft.resume_token_hash) == 64
    other = Browser(app)
    response = other.client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith(pets)
    assert 'value="Bērziņš"' in other.get(f"{PET}/apply/owner")
    other.get(f"{PET}/resume/not-a-real-token", status=404)
    assert "Šī saite nedarbojas" in other.last_html


def test_a_draft_pinned_to_a_replaced_version_completes_against_its_own_version(app, browser):
    current = real_catalogue().services["example-pet-registration"].source_text
    older = current.replace('fee_per_pet: {type: money, default: "10.00"', 'fee_per_pet: {type: money, default: "20.00"')
    older = older.replace("title: {lv: Mājdzīvnieku reģistrācija (piemērs)", "title: {lv: Vecā reģistrācija")
    assert older != current
    browser.start()
    pin_draft_to(app, add_version(app, older, "0.9.0"))
    browser.answer(f"{PET}/apply/applicant", {"applicant_kind": "person"})
    browser.answer(f"{PET}/apply/owner", OWNER)
    browser.answer(browser.answer(f"{PET}/apply/pets", {"add_entry": "pets"}), DOG)
    check = browser.answer(browser.answer(f"{PET}/apply/pets", {}), DETAILS)
    assert "Vecā reģistrācija" in browser.get(check) and "10,00\xa0€" in browser.last_html   # 50 % of 20.00
    browser.answer(check, {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert str(submission.fee_total) == "10.00"
    old_row = [v for v in rows(app, ServiceVersion) if v.version == "0.9.0"][0]
    assert submission.service_version_id == old_row.id


def test_a_draft_whose_version_no_longer_compiles_is_a_410(app, browser):
    browser.start()
    pin_draft_to(app, add_version(app, "format: 1\nservice: {}\n", "0.0.1"))
    browser.get(f"{PET}/apply/applicant", status=410)
    assert "vairs nevar turpināt" in browser.last_html


def test_submitting_twice_makes_one_submission(app, browser):
    check = to_check(browser)
    token = browser.token(check)
    first = browser.client.post(check, data={"declaration": "confirmed", "csrf_token": token})
    again = browser.client.post(check, data={"declaration": "confirmed", "csrf_token": token})
    assert first.status_code == 302 and again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert count(app, Submission) == 1 and count(app, Draft) == 0


def test_a_second_browser_on_the_same_draft_cannot_submit_it_again(app, browser):
    check = to_check(browser)
    other = Browser(app)
    other.client.get(resume_link(browser))
    token = other.token(check)
    browser.answer(check, {"declaration": "confirmed"})
    response = other.client.post(check, data={"declaration": "confirmed", "csrf_token": token})
    assert response.status_code == 404       # the draft is gone: the same answer as for any unknown draft
    assert count(app, Submission) == 1


def test_the_declaration_must_be_ticked(app, browser):
    check = to_check(browser)
    html = browser.post(check, {}, status=200).get_data(as_text=True)
    assert 'href="#declaration"' in html and count(app, Submission) == 0


def test_the_confirmation_is_only_for_the_browser_that_sent_it(app, browser):
    confirmation = browser.answer(to_check(browser), {"declaration": "confirmed"})
    Browser(app).get(confirmation, status=404)


@pytest.mark.parametrize(("make_request", "status"), [
    (lambda b: b.client.post(f"{PET}/apply/owner", data=OWNER), 400),                       # no CSRF token
    (lambda b: b.post(f"{PET}/apply/applicant", {"applicant_kind": "alien"}), 400),         # unknown choice
    (lambda b: b.post(f"{PET}/apply/owner", {**OWNER, "owner-district": "moon"}), 400),
    (lambda b: b.post(f"{PET}/apply/pets", {"add_entry": "owners"}), 400),                  # unknown repeat
    (lambda b: b.client.post(f"{PET}/apply/company", data={"csrf_token": b.token(f"{PET}/apply/pets")}), 404),
    (lambda b: b.client.post(f"{PET}/apply/pets/pets/3", data={"csrf_token": b.token(f"{PET}/apply/pets")}), 404),
    (lambda b: b.client.get(f"{PET}/apply/pets/pets/-1"), 404),
    (lambda b: b.client.get(f"{PET}/apply/pets/pets/0/remove"), 404),
    (lambda b: b.client.get(f"{PET}/apply/nav-tada"), 404),
    (lambda b: b.client.get("/riga/nav-tada/apply/owner"), 404),
    (lambda b: b.client.post("/nav-tada/dog-fee/start"), 400),                             # CSRF first
    (lambda b: b.client.get("/nav-tada/dog-fee/check"), 404),
])
def test_tampered_or_unknown_requests_get_a_4xx_and_change_nothing(app, browser, make_request, status):
    pets = to_pets(browser)
    before = rows(app, Draft)[0].answers
    response = make_request(browser)
    assert response.status_code == status
    assert "<h1" in response.get_data(as_text=True)
    assert rows(app, Draft)[0].answers == before
    assert browser.client.get(pets).status_code == 200


def test_a_page_without_a_draft_and_a_draft_of_another_municipality_are_404(app, browser):
    browser.get(f"{PET}/apply/owner", status=404)
    assert "Jūsu pieteikumu neizdevās atrast" in browser.last_html
    to_pets(browser)
    token = resume_link(browser).split("/")[-1]
    browser.get(f"/valmieras-novads/example-pet-registration/resume/{token}", status=404)
    browser.get(f"/riga/dog-fee/resume/{token}", status=404)


def test_dog_fee_in_riga_end_to_end(app, browser):
    owner = browser.start("/riga/dog-fee")
    dogs = browser.answer(owner, {"owner_kind": "person", "owner-personal_code": "010190-15267",
                                  "owner-given_name": "Jānis", "owner-surname": "Bērziņš", "owner-pensioner": "no",
                                  "owner-disability_group": "none", "owner-email": "janis@example.lv"})
    assert dogs.endswith("/riga/dog-fee/apply/dogs")
    browser.answer(browser.answer(dogs, {"add_entry": "dogs"}),
                   {"dogs-chip": "900123456789012", "dogs-name": "Reksis", "dogs-birth_date-day": "10",
                    "dogs-birth_date-month": "5", "dogs-birth_date-year": "2020", "dogs-sterilised": "no"})
    address = browser.answer(dogs, {})
    check = browser.answer(address, {"kept_in_municipality": "yes", "keeping_address": "Brīvības iela 1, Rīga, LV-1010"})
    assert "10,00\xa0€" in browser.get(check)
    confirmation = browser.answer(check, {"declaration": "confirmed"})
    html = browser.get(confirmation + "?lang=en")
    assert "RIX-SUN-2026-000001" in html and "€10.00" in html
    assert "LV89RIKO0023300000000" in html and "Payment reference" in html and "<svg" in html
    assert " style=" not in html
    [submission] = rows(app, Submission)
    assert submission.answers["owner"]["personal_code"] == "010190-15267"
    assert "body_name" not in submission.answers["owner"] and submission.locale == "lv"


def test_a_draft_left_on_check_your_answers_resumes_there_in_another_browser(app, browser):
    check = to_check(browser)
    browser.get(check)
    link = resume_link(browser)
    other = Browser(app)
    response = other.client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith(check)
    assert "Bērziņš" in other.get(check)
    other.answer(check, {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert submission.answers["owner"]["surname"] == "Bērziņš" and count(app, Draft) == 0


def test_a_resume_link_opens_its_draft_once(app, browser):
    """Issue 16 finding 8: a resume link is single use; the "saved" page then shows the
    new link, which works (once) in turn."""
    to_pets(browser)
    link = resume_link(browser)
    first, second = Browser(app), Browser(app)
    assert first.client.get(link).status_code == 302
    second.get(link, status=404)
    assert "Šī saite nedarbojas" in second.last_html
    fresh = resume_link(first)
    assert fresh != link and second.client.get(fresh).status_code == 302


def test_a_signed_in_persons_draft_needs_their_sign_in_to_resume(app_config):
    """Issue 16 finding 8: whoever holds the link of a signed-in person's draft is sent to
    sign in, and only that person then sees the draft."""
    from app import create_app

    from .resident_support import real_catalogue as catalogue
    from .support_documents import CODE_B, dev_sign_in

    application = create_app({**app_config, "env": "development", "dev_signin": True}, catalogue=catalogue())
    try:
        owner = Browser(application)
        dev_sign_in(owner.client)
        to_pets(owner)
        link = resume_link(owner)
        holder = Browser(application)
        response = holder.client.get(link)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin/")
        assert "Bērziņš" not in holder.client.get(f"{PET}/apply/owner").get_data(as_text=True)
        dev_sign_in(holder.client, code=CODE_B, given_name="Cits", surname="Cilvēks")
        assert holder.client.get(link).headers["Location"].startswith("/signin/")
        [draft] = rows(application, Draft)
        assert holder.client.get(f"{PET}/drafts/{draft.id}").status_code == 404
    finally:
        application.extensions["pkip"].database.dispose()


def test_resume_tokens_never_reach_the_log():
    from runtime.logmask import mask_personal_codes

    line = '127.0.0.1 - - "GET /riga/dog-fee/resume/AbC-123_xyz HTTP/1.1" 302 -'
    assert mask_personal_codes(line) == '127.0.0.1 - - "GET /riga/dog-fee/resume/[token] HTTP/1.1" 302 -'
