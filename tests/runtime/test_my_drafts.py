"""Drafts and signing in, on both databases: signing in half-way keeps the draft (and
regenerates everything else in the session), a signed-in person continues their own
drafts from "my applications" and nobody else's, and a queued case shows its places."""
from __future__ import annotations

import pytest

from runtime.storage.models import Draft

from .resident_support import PET, Browser, make_app, rows
from .support_documents import CODE_A, CODE_B, dev_sign_in, insert_draft
from .test_resident_services import submit_preschool_application


@pytest.fixture
def app(app_config):
    application = make_app({**app_config, "env": "development", "dev_signin": True})
    yield application
    application.extensions["pkip"].database.dispose()


def test_signing_in_keeps_the_draft_in_progress_and_regenerates_the_rest(app):
    browser = Browser(app)
    first_page = browser.start(PET)
    with browser.client.session_transaction() as session:
        session["submitted"] = ["RIX-PET-2026-000001"]
        token_before = session["csrf_token"]
    dev_sign_in(browser.client)
    with browser.client.session_transaction() as session:
        assert "draft" in session["resident"]["riga/example-pet-registration"]
        assert "submitted" not in session and session.get("csrf_token") != token_before
    response = browser.client.get(f"{PET}/continue")
    assert response.status_code == 302 and response.headers["Location"] == first_page
    [draft] = rows(app, Draft)
    assert draft.person_code_hash is not None            # claimed: it is now in my applications
    assert f"{PET}/drafts/{draft.id}" in browser.get("/my/")


def test_a_signed_in_person_continues_only_their_own_drafts(app):
    mine = insert_draft(app, code=CODE_A)
    theirs = insert_draft(app, code=CODE_B)
    anonymous = app.test_client().get(f"{PET}/drafts/{mine}")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/signin/")
    client = app.test_client()
    dev_sign_in(client)
    html = client.get("/my/").get_data(as_text=True)
    assert f"{PET}/drafts/{mine}" in html and str(theirs) not in html
    response = client.get(f"{PET}/drafts/{mine}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{PET}/apply/applicant")
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get(f"{PET}/drafts/{theirs}").status_code == 404
    assert client.get(f"/riga/dog-fee/drafts/{mine}").status_code == 404        # another service's URL
    saved = client.get(f"{PET}/saved").get_data(as_text=True)
    assert "/resume/" not in saved and "/my/" in saved                         # no link to hand out


def test_my_applications_shows_a_queued_cases_places(app):
    browser = Browser(app)
    dev_sign_in(browser.client, code="010190-15267", given_name="Jānis", surname="Bērziņš")
    submit_preschool_application(browser, ["riga_pii_zilite", "riga_pii_4"])
    html = browser.get("/my/?lang=en")
    assert "RIX-PII-2026-000001" in html and html.count("1st of 1") == 2 and "2nd choice" in html
