"""Question pages of the example service: errors, conditional pages, "add another",
hidden answers, prefill and read-only fields, on both databases."""
from __future__ import annotations

import re


from runtime import identity
from runtime.storage.models import Draft

from .resident_support import DETAILS, DOG, OWNER, PET, Browser, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def stored_answers(app) -> dict:
    [draft] = rows(app, Draft)
    return draft.answers


def at_pets_page(browser: Browser, kind: str = "person") -> str:
    owner = browser.answer(browser.start(), {"applicant_kind": kind})
    if kind == "company":
        owner = browser.answer(f"{PET}/apply/owner", OWNER)
        return owner
    return browser.answer(owner, OWNER)


def test_errors_are_summarised_and_shown_next_to_each_field(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    response = browser.post(owner, {**OWNER, "owner-surname": "", "owner-email": "nav-epasts"}, status=200)
    html = response.get_data(as_text=True)
    assert "<title>Kļūda: Īpašnieks" in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#owner-surname"' in summary and 'href="#owner-email"' in summary
    assert 'id="owner-surname-error"' in html
    surname_input = re.search(r'<input[^>]*id="owner-surname"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in surname_input and 'aria-describedby="owner-surname-error"' in surname_input
    assert 'value="nav-epasts"' in html            # what was typed is shown again
    assert 'value="Jānis"' in html
    english = browser.post(f"{owner}?lang=en", {**OWNER, "owner-surname": ""}, status=200).get_data(as_text=True)
    assert "<title>Error: Owner" in english and "Enter surname" in english


def test_the_error_summary_lists_the_problems_in_the_order_of_the_page(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    blank = {key: "" for key in OWNER if key.startswith("owner-")}
    html = browser.post(owner, {**OWNER, **blank, "owner-email": "nav-epasts"}, status=200).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', summary)
    form = html[html.index("<form"):]
    places = [form.index(f'id="{target}"') for target in targets]
    assert len(targets) >= 3 and places == sorted(places)


def test_every_form_posts_to_its_own_page_so_no_fragment_follows_the_resident(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    html = browser.get(f"{owner}?return=check&lang=lv")
    assert f'<form method="post" action="{owner}?return=check"' in html
    failed = browser.post(owner, {**OWNER, "owner-surname": ""}, status=200).get_data(as_text=True)
    assert f'<form method="post" action="{owner}"' in failed and "js/form.js" in failed


def test_a_page_whose_condition_is_false_is_skipped_both_ways(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    pets = browser.answer(owner, OWNER)
    assert pets.endswith("/apply/pets")
    assert 'href="/riga/example-pet-registration/apply/owner"' in browser.get(pets)   # Back skips "company"
    browser.get(f"{PET}/apply/company", status=404)


def test_a_company_sees_the_company_page(browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "company"})
    assert browser.answer(owner, OWNER).endswith("/apply/company")


def test_add_change_and_remove_repeat_entries_within_min_and_max(app, browser):
    pets = at_pets_page(browser)
    response = browser.post(pets, {}, status=200)        # min 1: Continue without a pet
    assert "Sadaļā „Dzīvnieki” pievienojiet vismaz 1" in response.get_data(as_text=True)
    for number in range(5):
        entry = browser.answer(pets, {"add_entry": "pets"})
        assert entry.endswith(f"/apply/pets/pets/{number}")
        browser.answer(entry, {**DOG, "pets-name": f"Suns {number}"})
    html = browser.get(pets)
    assert "Suns 4" in html and 'name="add_entry"' not in html      # max 5: no more "Add another"
    browser.get(f"{PET}/apply/pets/pets/5", status=404)
    browser.answer(f"{PET}/apply/pets/pets/1", {**DOG, "pets-name": "Pārdēvēts"})
    browser.get(f"{PET}/apply/pets/pets/2/remove")
    assert browser.answer(f"{PET}/apply/pets/pets/2/remove", {}).endswith("/apply/pets?done=removed.2.pets")
    names = [pet["name"] for pet in stored_answers(app)["pets"]]
    assert names == ["Suns 0", "Pārdēvēts", "Suns 3", "Suns 4"]


def test_entry_errors_show_on_the_entry_page_and_the_list(browser):
    pets = at_pets_page(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    browser.answer(entry, DOG)                              # a new entry is stored once it is valid
    html = browser.post(entry, {**DOG, "pets-chip": "123"}, status=200).get_data(as_text=True)
    assert 'href="#pets-chip"' in html and "Mikroshēmas numurs ir 15 cipari" in html
    html = browser.post(pets, {}, status=200).get_data(as_text=True)
    assert 'href="#pets-0"' in html


def test_hidden_answers_are_never_stored(app, browser):
    owner = browser.answer(browser.start(), {"applicant_kind": "company"})
    company = browser.answer(owner, OWNER)
    browser.answer(company, {"company-name": "SIA Suņi", "company-registration_number": "40003032949"})
    assert stored_answers(app)["company"]["name"] == "SIA Suņi"
    browser.answer(f"{PET}/apply/applicant", {"applicant_kind": "person"})
    assert "company" not in stored_answers(app)
    entry = browser.answer(f"{PET}/apply/pets", {"add_entry": "pets"})
    browser.answer(entry, {**DOG, "pets-species": "ferret", "pets-breed": "mixed"})   # a ferret has no chip
    assert "chip" not in stored_answers(app)["pets"][0]


def test_a_change_from_the_check_page_returns_to_it(browser):
    pets = at_pets_page(browser)
    browser.answer(browser.answer(pets, {"add_entry": "pets"}), DOG)
    browser.answer(browser.answer(pets, {}), DETAILS)
    html = browser.get(f"{PET}/check")
    change = re.search(r'href="([^"]*/apply/owner\?return=check#owner-surname)"', html).group(1)
    assert browser.answer(change.split("#")[0].replace("&amp;", "&"), {**OWNER, "owner-surname": "Ozols"}).endswith("/check")
    assert "Ozols" in browser.get(f"{PET}/check")


def test_prefilled_read_only_fields_ignore_a_posted_value(app, monkeypatch):
    person = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}
    monkeypatch.setattr(identity, "current_person", lambda: person)
    monkeypatch.setattr(identity, "current_person_hash", lambda: "h" * 64)
    browser = Browser(app)
    owner = browser.answer(browser.start("/riga/dog-fee"), {"owner_kind": "person", "owner-pensioner": "no",
                                                            "owner-disability_group": "none",
                                                            "owner-email": "janis@example.lv",
                                                            "owner-given_name": "Jānis", "owner-surname": "Bērziņš",
                                                            "owner-personal_code": "320000-00000"})
    assert owner.endswith("/apply/dogs")
    assert stored_answers(app)["owner"]["personal_code"] == "010190-15267"
    html = browser.get("/riga/dog-fee/apply/owner")
    assert re.search(r'id="owner-personal_code"[^>]* readonly', html)
    assert 'value="Bērziņš"' in html      # prefilled, and editable


def test_a_choice_outside_the_filtered_options_is_an_error_not_a_crash(browser):
    pets = at_pets_page(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    html = browser.post(entry, {**DOG, "pets-species": "cat", "pets-breed": "labrador"}, status=200).get_data(as_text=True)
    assert "Laukā „Šķirne” izvēlieties kādu no piedāvātajām iespējām" in html


def test_a_stop_rule_ends_the_form(app, browser):
    start = browser.start("/riga/dog-fee")
    browser.answer(start, {"owner_kind": "person", "owner-personal_code": "010190-15267", "owner-given_name": "J",
                           "owner-surname": "B", "owner-pensioner": "no", "owner-disability_group": "none",
                           "owner-email": "j@example.lv"})
    browser.answer(browser.answer("/riga/dog-fee/apply/dogs", {"add_entry": "dogs"}),
                   {"dogs-chip": "900123456789012", "dogs-name": "R", "dogs-birth_date-day": "10",
                    "dogs-birth_date-month": "5", "dogs-birth_date-year": "2020", "dogs-sterilised": "no"})
    browser.answer("/riga/dog-fee/apply/dogs", {})
    stop = browser.answer("/riga/dog-fee/apply/address", {"kept_in_municipality": "no", "keeping_address": "X"})
    assert stop.endswith("/riga/dog-fee/stop")
    assert "Jūs nevarat turpināt" in browser.get(stop) and "LDC" in browser.last_html


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_photo_is_uploaded_listed_and_sent_with_the_application(app, browser):
    import io

    from runtime.storage.models import Submission, Upload

    pets = at_pets_page(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    token = browser.token(entry)
    wrong = browser.client.post(entry, data={**DOG, "csrf_token": token, "pets-photo": (io.BytesIO(b"%PDF-1.7 x"), "a.pdf")},
                                content_type="multipart/form-data")
    refused = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "Datni laukā „Fotoattēls” nevar pievienot: der tikai JPG vai PNG" in refused
    assert refused.count("nevar pievienot") == 2          # once in the summary, once at the field
    assert "Var pievienot JPG vai PNG datni līdz" in refused     # said before a file is chosen
    right = browser.client.post(entry, data={**DOG, "csrf_token": token, "pets-photo": (io.BytesIO(PNG), "reksis.png")},
                                content_type="multipart/form-data")
    assert right.status_code == 302
    photo = stored_answers(app)["pets"][0]["photo"]
    assert photo["name"] == "reksis.png" and photo["media_type"] == "image/png"
    assert "reksis.png" in browser.get(f"{PET}/apply/pets/pets/0")      # kept when the entry is saved again
    browser.answer(f"{PET}/apply/pets/pets/0", DOG)
    check = browser.answer(browser.answer(pets, {}), DETAILS)
    assert "reksis.png" in browser.get(check)
    browser.answer(check, {"declaration": "confirmed"})
    [submission] = rows(app, Submission)
    assert [u.submission_id for u in rows(app, Upload) if str(u.id) == photo["id"]] == [submission.id]
