"""Files sent with an application by machine: stored with the same checks as a resident's
upload, attached to the case, downloadable by the institution; a refused file, unreadable
content or refused answers leave no file behind."""
from __future__ import annotations

import base64
import datetime

from sqlalchemy import func, select

from runtime.storage.models import Upload

from .conftest import bearer, make_token
from .test_api_applications import APPLICANT
from .test_api_cases import assert_problem

URL = "/api/v1/riga/tree-felling-permit/applications"
PDF = b"%PDF-1.4\n% a site plan\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo of the oak"
GIF = b"GIF89a not a plan"


def inline(name: str, data: bytes) -> dict:
    return {"filename": name, "content_base64": base64.b64encode(data).decode()}


def felling_answers(app, site_plan=PDF) -> dict:
    service = app.extensions["pkip"].catalogue.services["tree-felling-permit"]
    answers = dict(next(t for t in service.tests if t.expect.get("valid") is True).answers)
    return {**answers, "site_plan": inline("plans.pdf", site_plan), "photos": [inline("ozols.jpg", JPEG)]}


def uploads_stored(app) -> int:
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        rows = session.scalar(select(func.count()).select_from(Upload))
    folder = state.settings.instance_path / "uploads"
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    return rows + len(files)


def test_files_sent_inline_belong_to_the_case_and_are_downloaded(staff_app, api_client):
    staff_app.config["PKIP_TODAY"] = datetime.date(2026, 3, 2)
    centre = make_token(staff_app, institution="council", scopes="applications:submit")
    response = api_client.post(URL, json={"applicant": APPLICANT, "answers": felling_answers(staff_app)},
                               headers={**bearer(centre), "Idempotency-Key": "felling-1"})
    assert response.status_code == 201, response.get_data(as_text=True)
    reference = response.get_json()["reference"]
    office = make_token(staff_app, institution="environment", scopes="documents:read")
    documents = api_client.get(f"/api/v1/riga/cases/{reference}/documents", headers=bearer(office)).get_json()
    assert sorted((d["field"], d["media_type"]) for d in documents) == [("photos", "image/jpeg"),
                                                                        ("site_plan", "application/pdf")]
    plan = next(d for d in documents if d["field"] == "site_plan")
    assert api_client.get(plan["href"], headers=bearer(office)).data == PDF


def test_a_refused_or_unreadable_file_or_refused_answers_leave_nothing_stored(staff_app, api_client):
    staff_app.config["PKIP_TODAY"] = datetime.date(2026, 3, 2)
    centre = make_token(staff_app, institution="council", scopes="applications:submit")
    headers = {**bearer(centre), "Idempotency-Key": "felling-2"}
    wrong_type = api_client.post(URL, json={"applicant": APPLICANT, "answers": felling_answers(staff_app, GIF)},
                                 headers=headers)
    assert assert_problem(wrong_type, 422, "invalid_answers")["errors"][0]["location"] == "site_plan"
    unreadable = felling_answers(staff_app)
    unreadable["site_plan"] = {"filename": "plans.pdf", "content_base64": "not base64!"}
    body = assert_problem(api_client.post(URL, json={"applicant": APPLICANT, "answers": unreadable}, headers=headers),
                          422, "invalid_answers")
    assert body["errors"][0]["code"] == "file_not_readable"
    refused = felling_answers(staff_app)
    refused["felling_date"] = "2020-01-01"
    assert_problem(api_client.post(URL, json={"applicant": APPLICANT, "answers": refused}, headers=headers),
                   422, "invalid_answers")
    assert uploads_stored(staff_app) == 0
