"""Repeat entries as a resident meets them: a new entry is drawn with the municipality's
settings applied, it is stored only once it is valid (Cancel after a failed save leaves no
row), the list page says what was added or removed, and a row names a choice by its label."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import update

from runtime.storage.models import Draft

from .resident_support import DOG, OWNER, PET, Browser, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

DOG_OWNER = {"owner_kind": "person", "owner-personal_code": "010190-15267", "owner-given_name": "Jānis",
             "owner-surname": "Bērziņš", "owner-pensioner": "no", "owner-disability_group": "none",
             "owner-email": "janis@example.lv"}


def at_pets(browser: Browser) -> str:
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    return browser.answer(owner, OWNER)


def test_a_new_entry_shows_no_field_the_municipality_turned_off(browser):
    dogs = browser.answer(browser.start("/riga/dog-fee"), DOG_OWNER)
    entry = browser.answer(dogs, {"add_entry": "dogs"})
    assert entry.endswith("/apply/dogs/dogs/0")
    html = browser.get(entry)
    assert "Suņa vārds" in html
    assert "Iegādes datums" not in html and "Turēšanas vieta" not in html     # Riga has neither
    failed = browser.post(entry, {"dogs-name": "Reksis"}, status=200).get_data(as_text=True)
    assert "Iegādes datums" not in failed and "Turēšanas vieta" not in failed


def test_a_failed_new_entry_is_not_stored_so_cancel_leaves_no_row(app, browser):
    pets = at_pets(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    failed = browser.post(entry, {**DOG, "pets-name": ""}, status=200).get_data(as_text=True)
    assert 'value="123456789012345"' in failed          # what was typed is shown again
    [draft] = rows(app, Draft)
    assert not draft.answers.get("pets")
    listing = browser.get(pets)
    assert "Dzīvnieks 1" not in listing and 'href="/riga/example-pet-registration/apply/pets/pets/0"' not in listing


def test_the_list_says_what_was_added_and_removed(browser):
    pets = at_pets(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    added = browser.answer(entry, DOG)
    assert added == f"{pets}?done=added.0.pets"       # the notice in the address, not in the session
    listing = browser.get(added)
    assert "Ieraksts „Dzīvnieks 1” pievienots" in listing and 'role="alert"' in listing
    assert f'action="{pets}"' in listing                # the form posts without it: said once
    assert "pievienots" not in browser.get(pets)
    assert "saglabāts" in browser.get(browser.answer(f"{PET}/apply/pets/pets/0", DOG))
    removed = browser.answer(f"{PET}/apply/pets/pets/0/remove", {})
    assert "Ieraksts „Dzīvnieks 1” noņemts" in browser.get(removed)


def test_an_address_names_only_a_notice_that_can_be_so(browser):
    pets = at_pets(browser)
    browser.answer(browser.answer(pets, {"add_entry": "pets"}), DOG)
    for made_up in ("added.1.pets", "saved.5.pets", "removed.2.pets", "added.0.dogs", "boasted.0.pets", "added.x.pets",
                    "added", ""):
        assert "role=\"alert\"" not in browser.get(f"{pets}?done={made_up}"), made_up
    assert "noņemts" in browser.get(f"{pets}?done=removed.1.pets")     # the last one, just removed


def test_an_entry_row_names_a_choice_by_its_label_not_its_value(browser):
    pets = at_pets(browser)
    browser.answer(browser.answer(pets, {"add_entry": "pets"}), DOG)
    row = browser.get(pets).split('class="summary-list__value"')[1].split("</dd>")[0]
    assert "Reksis, Suns" in row and "dog" not in row


def signed_in_at_dog_fee_check(app, monkeypatch) -> tuple[Browser, str]:
    """Signed in as Jānis Bērziņš, through the dog fee with one dog (Reksis) to "check
    your answers"; the browser and the check page's URL."""
    from runtime import identity

    person = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}
    monkeypatch.setattr(identity, "current_person", lambda: person)
    monkeypatch.setattr(identity, "current_person_hash", lambda: "h" * 64)
    browser = Browser(app)
    dogs = browser.answer(browser.start("/riga/dog-fee"), DOG_OWNER)
    browser.answer(browser.answer(dogs, {"add_entry": "dogs"}),
                   {"dogs-chip": "900123456789012", "dogs-name": "Reksis", "dogs-birth_date-day": "10",
                    "dogs-birth_date-month": "5", "dogs-birth_date-year": "2020", "dogs-sterilised": "no"})
    address = browser.answer(dogs, {})
    return browser, browser.answer(address, {"kept_in_municipality": "yes", "keeping_address": "Brīvības iela 1, Rīga"})


def test_the_check_page_offers_no_change_link_for_a_prefilled_read_only_answer(app, monkeypatch):
    browser, check = signed_in_at_dog_fee_check(app, monkeypatch)
    html = browser.get(check)
    assert "010190-15267" in html
    assert "#owner-personal_code" not in html               # nothing to change: it comes from the sign-in
    assert "#owner-surname" in html                          # prefilled but editable
    assert "Nodeva par suni Reksis" in html                   # the fee line names the dog


def test_the_confirmation_of_a_fee_says_to_pay_not_that_it_is_decided_at_once(app, monkeypatch):
    browser, check = signed_in_at_dog_fee_check(app, monkeypatch)
    html = browser.get(browser.answer(check, {"declaration": "confirmed"}))
    assert "lēmums nav jāgaida" in html and "tiek izskatīts uzreiz" not in html


def test_add_another_with_nothing_changed_sends_no_draft_update_and_a_change_still_does(app, browser):
    """A list page's "add another" changes no answer: its save is not sent (the draft's row
    keeps its time), while a post that changes an answer is stored as before."""
    pets = at_pets(browser)
    long_ago = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Draft).values(updated_at=long_ago))
    [before] = rows(app, Draft)
    browser.answer(pets, {"add_entry": "pets"})
    [unchanged] = rows(app, Draft)
    assert unchanged.answers == before.answers and _naive(unchanged.updated_at) == _naive(long_ago)
    browser.answer(f"{PET}/apply/pets/pets/0", DOG)
    [changed] = rows(app, Draft)
    assert changed.answers.get("pets") and _naive(changed.updated_at) > _naive(long_ago)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)      # SQLite gives the stored time back without its zone
