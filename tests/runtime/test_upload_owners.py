"""Who may download an upload: the browser that holds the draft, and after submission the
browser that submitted it. Two residents who never sign in are both "nobody" to the
person check, so only the browser check tells them apart; on both databases."""
from __future__ import annotations

import io

from runtime.storage.models import Upload

from .resident_support import DETAILS, DOG, OWNER, PET, Browser, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload_a_photo(browser: Browser) -> str:
    """Go to the pets page as an anonymous resident, add a pet with a photo; its pets page."""
    pets = browser.answer(browser.answer(browser.start(), {"applicant_kind": "person"}), OWNER)
    entry = browser.answer(pets, {"add_entry": "pets"})
    response = browser.client.post(entry, data={**DOG, "csrf_token": browser.token(entry),
                                                "pets-photo": (io.BytesIO(PNG), "reksis.png")},
                                   content_type="multipart/form-data")
    assert response.status_code == 302
    return pets


def download(browser: Browser, upload: Upload):
    return browser.client.get(f"/uploads/{upload.id}")


def test_another_anonymous_browser_gets_no_file_of_an_anonymous_draft(app, browser):
    upload_a_photo(browser)
    [upload] = rows(app, Upload)
    assert upload.draft_id is not None
    own = download(browser, upload)
    assert own.status_code == 200 and own.data == PNG
    stranger = Browser(app)
    assert download(stranger, upload).status_code == 404
    stranger.answer(stranger.start(), {"applicant_kind": "person"})     # a draft of its own changes nothing
    refused = download(stranger, upload)
    assert refused.status_code == 404 and PNG not in refused.data


def test_after_submission_only_the_submitting_browser_gets_the_file(app, browser):
    pets = upload_a_photo(browser)
    check = browser.answer(browser.answer(pets, {}), DETAILS)
    browser.answer(check, {"declaration": "confirmed"})
    [upload] = rows(app, Upload)
    assert upload.submission_id is not None
    assert download(browser, upload).status_code == 200
    stranger = Browser(app)
    stranger.answer(stranger.start(), {"applicant_kind": "person"})
    assert download(stranger, upload).status_code == 404
