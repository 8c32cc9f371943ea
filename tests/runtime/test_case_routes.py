"""Every route that takes a case reference, a draft id or a file id answers only those the
access policy (runtime/cases/access.py) lets see it. The routes are read from the app's
url_map, so a new route is asked too: its owner gets the data, and a stranger (a fresh
browser, another browser that sent another case, another signed-in person) gets the very
page an unknown id gets (or is sent to sign in), so nothing tells a case exists."""
from __future__ import annotations

import io
import re
import uuid

import pytest
from werkzeug.datastructures import FileStorage

from runtime.documents.jobs import store_document
from runtime.storage.models import Submission, Upload
from runtime.uploads import store_upload

from .support_documents import CODE_B, dev_sign_in, insert_draft, insert_submission, real_app
from .test_uploads import PDF, FileField

CSRF_VALUE = re.compile(r'(?<=name="csrf_token" value=")[^"]+|(?<=name="csrf_token" type="hidden" value=")[^"]+')
CASE_OR_FILE = {"reference", "upload_id", "draft_id"}
KNOWN = {"resident.confirmation", "documents.application_pdf", "documents.upload_download", "queue.case_queue",
         "resident.resume_own", "case_page.case_page", "case_page.result_document"}
REFERENCE = "RIX-PII-2026-000007"
UNKNOWN = {"reference": "RIX-PII-2026-999999", "draft_id": "0f0f0f0f-0000-4000-8000-000000000000",
           "upload_id": "0e0e0e0e-0000-4000-8000-000000000000"}


@pytest.fixture
def app(app_config):
    application = real_app(app_config, env="development", dev_signin=True)
    yield application
    application.extensions["pkip"].database.dispose()


def case_routes(app) -> list:
    """The residents' side. The staff pages have owners of another kind (a clerk of the
    case's institution), so tests/runtime/staff/test_isolation.py asks every `/staff/` route
    of residents, anonymous browsers and staff of other municipalities and institutions;
    likewise the API's owners are tokens of an institution, and
    tests/runtime/api/test_api_isolation.py asks every `/api/` route."""
    return [rule for rule in app.url_map.iter_rules()
            if rule.arguments & CASE_OR_FILE and not rule.rule.startswith(("/staff/", "/api/"))]


def stored_upload(app, draft_id, submission_id=None) -> str:
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        answer = store_upload(session, draft_id=draft_id, field=FileField(), field_path="consent_document",
                              file_storage=FileStorage(io.BytesIO(PDF), filename="consent.pdf"),
                              settings=state.settings)
        if submission_id is not None:
            upload = session.get(Upload, uuid.UUID(answer["id"]))
            upload.draft_id, upload.submission_id = None, submission_id
    return answer["id"]


def store_decision(app, submission_id: int) -> None:
    """A rendered result document of the case, as the worker stores it."""
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        case = session.get(Submission, submission_id)
        session.expunge(case)
    store_document(state, case, "admission", b"%PDF-1.7 the decision")


def strangers(app) -> dict:
    fresh = app.test_client()
    other_browser = app.test_client()
    with other_browser.session_transaction() as session:
        session["submitted"] = ["RIX-PII-2026-000008"]
        session["drafts"] = ["00000000-0000-0000-0000-000000000000"]
    other_person = app.test_client()
    dev_sign_in(other_person, code=CODE_B, given_name="Cits", surname="Cilvēks")
    return {"a fresh browser": fresh, "another browser": other_browser, "another signed-in person": other_person}


@pytest.mark.parametrize("upload_of", ["draft", "case"])
def test_no_route_with_a_case_or_file_id_answers_a_stranger(app, upload_of):
    assert KNOWN <= {rule.endpoint for rule in case_routes(app)}
    submission_id = insert_submission(app, REFERENCE, service_id="preschool-queue", answers={})
    draft_id = insert_draft(app, service_id="preschool-queue")
    upload_id = stored_upload(app, draft_id, submission_id if upload_of == "case" else None)
    store_decision(app, submission_id)
    values = {"municipality_id": "riga", "service_id": "preschool-queue", "reference": REFERENCE,
              "draft_id": draft_id, "upload_id": upload_id, "document_id": "admission"}
    owner = app.test_client()
    dev_sign_in(owner)
    others = strangers(app)
    with app.test_request_context():
        def url(rule, given):
            return app.url_for(rule.endpoint, **{name: given[name] for name in rule.arguments})
        urls = {rule.endpoint: (url(rule, values), url(rule, {**values, **UNKNOWN}))
                for rule in case_routes(app) if "GET" in rule.methods}
    for endpoint, (real, unknown) in urls.items():
        mine = owner.get(real)
        assert mine.status_code in (200, 202, 302), (endpoint, mine.status_code)
        assert mine.status_code != 302 or "/signin" not in mine.headers["Location"], endpoint
        for who, client in others.items():
            answer, nothing = client.get(real), client.get(unknown)
            assert answer.status_code == nothing.status_code and answer.status_code in (302, 404), (endpoint, who)
            assert answer.status_code == 404 or "/signin" in answer.headers["Location"], (endpoint, who)
            assert same_page(answer.get_data(as_text=True), nothing.get_data(as_text=True), values), (endpoint, who)


def same_page(seen: str, unknown: str, values: dict) -> bool:
    """Equal once the unknown ids in `unknown` are read as the real ones (they are in the
    page's own links, such as the language switch) and CSRF tokens (timestamped) are set aside."""
    for name, fake in UNKNOWN.items():
        unknown = unknown.replace(fake, str(values[name]))
    return CSRF_VALUE.sub("", seen) == CSRF_VALUE.sub("", unknown)
