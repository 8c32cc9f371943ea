"""The back office reads the cases of its institution, makes process steps through the
same process rules as staff, and downloads documents; tokens, scopes and errors."""
from __future__ import annotations

from sqlalchemy import select

from runtime.cases.api_tokens import list_tokens, revoke_token
from runtime.cases.clock import Clock
from runtime.storage.models import AuditEntry, CaseHistoryEntry, Submission

from ..staff.cases import file_case
from ..staff.conftest import make_staff, sign_in
from ..staff.test_isolation import attach_file
from .conftest import bearer, make_token

PROBLEM_KEYS = {"type", "title", "status", "code", "detail", "errors"}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert set(body) == PROBLEM_KEYS and body["status"] == status and body["code"] == code
    return body


def test_the_institution_lists_and_reads_its_cases(staff_app, api_client):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app, scopes="cases:read")
    listing = api_client.get("/api/v1/riga/cases", headers=bearer(token))
    assert listing.status_code == 200
    assert [row["reference"] for row in listing.get_json()["items"]] == [reference]
    case = api_client.get(f"/api/v1/riga/cases/{reference}", headers=bearer(token)).get_json()
    assert case["status"] == "submitted" and case["service"] == "tree-felling-permit"
    assert case["answers"]["land"]["cadastral_designation"] == "0100 012 0034"
    assert case["submitted_at"].endswith("Z")          # UTC, also on SQLite
    assert case["steps"] == []                       # a read-only token makes no step
    assert case["documents"] == []                   # nor sees documents without documents:read


def test_a_case_says_by_when_its_fee_is_to_be_paid(staff_app, api_client):
    reference = file_case(staff_app, "dog-fee", "riga")
    state = staff_app.extensions["pkip"]
    with state.database.transaction() as session:
        due = session.scalar(select(Submission.payment_due_on).where(Submission.reference == reference))
    assert due is not None                          # the dog fee's fees.due, worked out at submission
    token = make_token(staff_app, institution="animal_register", scopes="cases:read")
    case = api_client.get(f"/api/v1/riga/cases/{reference}", headers=bearer(token)).get_json()
    assert case["payment_due_on"] == due.isoformat()
    felling = file_case(staff_app, "tree-felling-permit", "riga")      # no fee, no date
    other = api_client.get(f"/api/v1/riga/cases/{felling}", headers=bearer(make_token(staff_app))).get_json()
    assert other["payment_due_on"] is None
    document = api_client.get("/api/v1/openapi.json").get_json()
    detail = document["components"]["schemas"]
    [schema] = [value for key, value in detail.items() if key.startswith("CaseDetail")]
    assert "payment_due_on" in schema["properties"] and "payment_due_on" in schema["required"]


def test_a_step_goes_through_the_process_with_its_history_and_audit(staff_app, api_client):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app, scopes="cases:read,cases:write")
    steps = api_client.get(f"/api/v1/riga/cases/{reference}", headers=bearer(token)).get_json()["steps"]
    assert [step["target"] for step in steps] == ["in_review"]
    moved = api_client.post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "in_review"},
                            headers=bearer(token))
    assert moved.status_code == 200 and moved.get_json() == {"reference": reference, "status": "in_review"}
    state = staff_app.extensions["pkip"]
    with state.database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        history = session.scalars(select(CaseHistoryEntry).where(CaseHistoryEntry.submission_id == case.id)
                                  .order_by(CaseHistoryEntry.id)).all()
        audit = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == reference)).all()
    assert case.status == "in_review" and history[-1].actor.startswith("api:")
    assert "case.transition" in audit and "case.view" in audit


def test_steps_the_service_gives_to_others_or_that_lack_inputs_are_refused(staff_app, api_client):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app, scopes="cases:read,cases:write")
    for target in ("in_review", "commission"):
        assert api_client.post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": target},
                               headers=bearer(token)).status_code == 200
    # the commission decides, not a back office
    body = assert_problem(api_client.post(f"/api/v1/riga/cases/{reference}/transitions",
                                          json={"target": "issued", "decision": "granted"}, headers=bearer(token)),
                          422, "step_refused")
    assert body["errors"][0]["code"] == "not_your_role"
    body = assert_problem(api_client.post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "nowhere"},
                                          headers=bearer(token)), 422, "step_refused")
    assert body["errors"][0]["code"] == "not_declared"


def test_a_step_that_needs_a_reason_names_it(staff_app, api_client):
    reference = file_case(staff_app, "dog-fee", "riga")
    token = make_token(staff_app, institution="animal_register", scopes="cases:write")
    body = assert_problem(api_client.post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "rejected"},
                                          headers=bearer(token)), 422, "step_refused")
    assert body["errors"] == [{"location": "reason", "code": "missing", "message": body["errors"][0]["message"]}]
    done = api_client.post(f"/api/v1/riga/cases/{reference}/transitions",
                           json={"target": "rejected", "reason": "The chip is not in the register"}, headers=bearer(token))
    assert done.get_json()["status"] == "rejected"


def test_documents_are_listed_and_downloaded_with_their_scope(staff_app, api_client):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    upload_id = attach_file(staff_app, reference)
    token = make_token(staff_app, scopes="documents:read")
    documents = api_client.get(f"/api/v1/riga/cases/{reference}/documents", headers=bearer(token)).get_json()
    assert [d["id"] for d in documents] == [f"upload-{upload_id}"]
    file = api_client.get(documents[0]["href"], headers=bearer(token))
    assert file.status_code == 200 and file.data == b"%PDF-1.4 a photo of the tree"
    assert_problem(api_client.get(f"/api/v1/riga/cases/{reference}/documents/upload-00000000-0000-0000-0000-000000000000",
                                  headers=bearer(token)), 404, "not_found")
    reader = make_token(staff_app, scopes="cases:read")
    assert_problem(api_client.get(documents[0]["href"], headers=bearer(reader)), 403, "insufficient_scope")


def test_no_token_a_wrong_one_or_a_revoked_one_opens_nothing(staff_app, api_client):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app)
    url = f"/api/v1/riga/cases/{reference}"
    assert api_client.get(url, headers=bearer(token)).status_code == 200
    body = assert_problem(api_client.get(url), 401, "unauthorized")
    assert "Bearer" in body["detail"]
    assert_problem(api_client.get(url, headers=bearer(token[:-2] + "xx")), 401, "unauthorized")
    state = staff_app.extensions["pkip"]
    revoke_token(state.database, list_tokens(state.database)[-1].id, Clock())
    assert_problem(api_client.get(url, headers=bearer(token)), 401, "unauthorized")


def test_a_staff_session_cookie_does_not_open_the_api_and_the_api_sets_no_cookie(staff_app, api_client):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment")
    sign_in(api_client, "clerk@riga.lv")
    assert api_client.get(f"/staff/riga/case/{reference}").status_code == 200
    assert_problem(api_client.get(f"/api/v1/riga/cases/{reference}"), 401, "unauthorized")
    assert_problem(api_client.post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "in_review"}),
                   401, "unauthorized")
    token = make_token(staff_app)
    for response in (api_client.get(f"/api/v1/riga/cases/{reference}?lang=en", headers=bearer(token)),
                     api_client.get("/api/v1/openapi.json?lang=en"), api_client.get("/api/v1/nowhere")):
        assert "Set-Cookie" not in response.headers


def test_every_error_under_the_api_is_a_problem(staff_app, api_client):
    token = make_token(staff_app)
    assert_problem(api_client.get("/api/v1/no/such/route/here"), 404, "not_found")
    assert_problem(api_client.delete("/api/v1/riga/cases", headers=bearer(token)), 405, "method_not_allowed")
    body = assert_problem(api_client.get("/api/v1/riga/cases?page=zero", headers=bearer(token)), 422, "invalid_request")
    assert body["errors"][0]["location"] == "page"
    assert_problem(api_client.get("/api/v1/jurmala/cases", headers=bearer(token)), 404, "not_found")
    assert_problem(api_client.post("/api/v1/riga/cases/X/transitions", data="not json", headers=bearer(token)),
                   422, "invalid_request")
    english = api_client.get("/api/v1/riga/cases/RIX-NONE", headers={**bearer(token), "Accept-Language": "en"})
    assert assert_problem(english, 404, "not_found")["title"] == "Not found"
    latvian = api_client.get("/api/v1/nowhere", headers={"Accept-Language": "lv"})
    assert assert_problem(latvian, 404, "not_found")["title"] == "Nav atrasts"
    limit = staff_app.config["MAX_CONTENT_LENGTH"]
    huge = api_client.post("/api/v1/riga/dog-fee/applications", data=b"x" * (limit + 1),
                           headers={**bearer(token), "Content-Type": "application/json", "Idempotency-Key": "k"})
    assert_problem(huge, 413, "too_large")


def test_control_characters_anywhere_are_refused_not_a_server_error(staff_app, api_client):
    """Found by the property test: PostgreSQL refuses NUL in text, which was a 500."""
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app)
    for url in ("/api/v1/riga/cases?search=%00", "/api/v1/riga/cases?status=a%00", "/api/v1/riga/cases?service=%07"):
        assert_problem(api_client.get(url, headers=bearer(token)), 422, "invalid_request")
    for url in ("/api/v1/riga/cases/%00", f"/api/v1/riga/cases/{reference}%00/documents",
                f"/api/v1/riga/cases/{reference}/documents/upload-%00"):
        assert_problem(api_client.get(url, headers=bearer(token)), 404, "not_found")
    assert_problem(api_client.post(f"/api/v1/riga/cases/{reference}/transitions",
                                   json={"target": "in_review", "reason": "a\x00b"}, headers=bearer(token)),
                   422, "invalid_request")
    assert_problem(api_client.post("/api/v1/riga/dog-fee/applications", json={"applicant": {}, "answers": {}},
                                   headers={**bearer(token), "Idempotency-Key": "a\x00b"}), 422, "invalid_request")
    reason = api_client.post(f"/api/v1/riga/cases/{reference}/transitions",
                             json={"target": "in_review", "reason": "line one\nline two\ttabbed"}, headers=bearer(token))
    assert reason.status_code == 200       # tabs and line breaks are text
