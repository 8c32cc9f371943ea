"""Questions that react on the same page: fields whose condition reads an answer on the
same form are drawn hidden while it does not hold, a list filtered by such an answer draws
its filtered-out options hidden, the `reveal` address answers for the answers so far (what
form.js asks), and without JavaScript a question revealed by an answer is shown after
"Continue" as a new question rather than as an error."""
from __future__ import annotations

import json
import re

from .resident_support import DOG, OWNER, PET, Browser
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

DOGS = "/riga/dog-fee"


def wrapper(html: str, name: str) -> str:
    """The opening tag of the form group that holds the field `name`."""
    found = re.search(r'<div class="form-group[^"]*" data-when="%s"[^>]*>' % re.escape(name), html)
    assert found, name
    return found.group(0)


def reveal(browser: Browser, page_url: str, data: dict) -> dict:
    token = browser.token(page_url)
    response = browser.client.post(f"{page_url}/reveal", data={**data, "csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def test_the_owner_page_draws_the_other_owners_questions_hidden(browser):
    owner = browser.start(DOGS)
    html = browser.get(owner)
    assert " hidden" in wrapper(html, "owner-body_name") and " hidden" in wrapper(html, "owner-given_name")
    assert 'data-reveal="/riga/dog-fee/apply/owner/reveal"' in html
    assert 'name="pkip-drawn-hidden"' in html
    browser.answer(owner, {"owner_kind": "person", "owner-given_name": "Jānis", "owner-surname": "Bērziņš",
                           "owner-personal_code": "010190-15267", "owner-pensioner": "no",
                           "owner-disability_group": "none", "owner-email": "j@example.lv"})
    again = browser.get(owner)
    assert " hidden" not in wrapper(again, "owner-given_name") and " hidden" in wrapper(again, "owner-body_name")


def test_reveal_answers_with_the_engine_for_the_answers_so_far(browser):
    owner = browser.start(DOGS)
    person = reveal(browser, owner, {"owner_kind": "person"})
    body = reveal(browser, owner, {"owner_kind": "service_body"})
    assert "owner-body_name" in person["hidden"] and "owner-given_name" not in person["hidden"]
    assert "owner-given_name" in body["hidden"] and "owner-body_name" not in body["hidden"]
    assert browser.client.post(f"{owner}/reveal", data={"owner_kind": "person"}).status_code == 400   # no CSRF token


def test_without_javascript_a_revealed_question_is_new_not_an_error(browser):
    owner = browser.start(DOGS)
    drawn = re.search(r'name="pkip-drawn-hidden" value="([^"]*)"', browser.get(owner)).group(1)
    response = browser.post(owner, {"owner_kind": "service_body", "owner-email": "iestade@example.lv",
                                    "pkip-drawn-hidden": drawn}, status=200)
    html = response.get_data(as_text=True)
    assert "error-summary" not in html                       # nothing said about what was never shown
    assert " hidden" not in wrapper(html, "owner-body_name")  # now asked
    failed = browser.post(owner, {"owner_kind": "service_body", "owner-email": "iestade@example.lv",
                                  "pkip-drawn-hidden": re.search(r'name="pkip-drawn-hidden" value="([^"]*)"', html).group(1)},
                          status=200).get_data(as_text=True)
    assert "error-summary" in failed and "Iestādes nosaukums" in failed   # seen and left empty: now an error


def test_a_list_filtered_by_an_answer_on_the_same_form_hides_what_does_not_fit(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    pets = browser.answer(owner, OWNER)
    entry = browser.answer(pets, {"add_entry": "pets"})
    html = browser.get(entry)
    assert re.search(r'<option value="labrador" hidden disabled>', html)        # no species chosen yet
    assert 'data-reveal="/riga/example-pet-registration/apply/pets/pets/0/reveal"' in html
    dog = reveal(browser, entry, {"pets-species": "dog"})
    cat = reveal(browser, entry, {"pets-species": "cat"})
    assert "labrador" in dog["options"]["pets-breed"] and "siamese" not in dog["options"]["pets-breed"]
    assert "siamese" in cat["options"]["pets-breed"] and "labrador" not in cat["options"]["pets-breed"]
    browser.answer(entry, DOG)
    assert '<option value="labrador" selected>' in browser.get(entry)


def test_a_new_repeat_entry_reveals_within_the_entry(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    entry = browser.answer(browser.answer(owner, OWNER), {"add_entry": "pets"})
    assert reveal(browser, entry, {"pets-species": "dog"})["options"]["pets-breed"]
    assert browser.client.get(f"{PET}/apply/pets/pets/5/reveal").status_code == 405


TREES = "/riga/tree-felling-permit"
DECISION_LABEL = re.compile(r'<(?:label|legend)[^>]*>Dzīvokļu īpašnieku kopības lēmums([^<]*)<')


def test_a_required_expression_false_for_the_answers_marks_the_field_optional(browser):
    browser.start(TREES)
    attachments = f"{TREES}/apply/attachments"
    browser.post(f"{TREES}/apply/land", {"land-multi_apartment": "no"})        # saved, though the page is incomplete
    assert DECISION_LABEL.search(browser.get(attachments)).group(1) == " (nav obligāti)"
    browser.post(f"{TREES}/apply/land", {"land-multi_apartment": "yes"})
    assert DECISION_LABEL.search(browser.get(attachments)).group(1) == ""    # required now: no mark
    assert "data-optional" not in browser.last_html      # it reads no answer on this page: nothing to react to


def test_a_required_expression_on_the_same_entry_is_marked_and_revealed(browser):
    browser.start(TREES)
    entry = f"{TREES}/apply/trees/trees/0"
    html = browser.get(entry)
    mark = '<span data-optional="trees-reason_details"> (nav obligāti)</span>'
    assert mark in html                                   # no reason yet: the explanation is optional
    assert 'data-reveal="' in html
    assert reveal(browser, entry, {"trees-reason": "other"})["optional"] == []
    assert reveal(browser, entry, {"trees-reason": "dead"})["optional"] == ["trees-reason_details"]
    failed = browser.post(entry, {"trees-reason": "other"}, status=200).get_data(as_text=True)
    assert '<span data-optional="trees-reason_details" hidden> (nav obligāti)</span>' in failed
