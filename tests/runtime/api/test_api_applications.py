"""A client-service centre's system files applications for residents (issue 15 part 8):
the same engine decides, its problems come back as JSON, the channel is recorded, and
the client's Idempotency-Key makes a retry give the same case, never a second."""
from __future__ import annotations

import datetime
import threading

import pytest
from sqlalchemy import func, select

from builder.engine import Context, evaluate
from runtime.identity import person_code_hash
from runtime.storage.models import CaseHistoryEntry, Submission

from .conftest import bearer, make_token
from .test_api_cases import assert_problem

TODAY = datetime.date(2026, 2, 1)
URL = "/api/v1/riga/dog-fee/applications"
APPLICANT = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}


@pytest.fixture
def centre(staff_app):
    staff_app.config["PKIP_TODAY"] = TODAY
    return make_token(staff_app, institution="council", scopes="applications:submit")


def dog_fee_answers(staff_app) -> dict:
    service = staff_app.extensions["pkip"].catalogue.services["dog-fee"]
    return dict(next(t for t in service.tests if t.expect.get("valid") is True).answers)


def send(client, token, body, key="key-1"):
    return client.post(URL, json=body, headers={**bearer(token), "Idempotency-Key": key})


def cases(staff_app) -> list[Submission]:
    with staff_app.extensions["pkip"].database.transaction() as session:
        found = session.scalars(select(Submission).order_by(Submission.id)).all()
        session.expunge_all()
        return found


def test_a_valid_application_becomes_the_residents_case_by_the_centres_channel(staff_app, api_client, centre):
    response = send(api_client, centre, {"applicant": APPLICANT, "answers": dog_fee_answers(staff_app)})
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert created["channel"] == "in-person" and created["replayed"] is False
    assert created["institution"] == "animal_register" and created["fee_total"] == "10.00"
    [case] = cases(staff_app)
    assert case.reference == created["reference"] and case.channel == "in-person"
    with staff_app.app_context():
        assert case.person_code_hash == person_code_hash(APPLICANT["personal_code"])   # in their "my applications"
    with staff_app.extensions["pkip"].database.transaction() as session:
        first = session.scalars(select(CaseHistoryEntry).where(CaseHistoryEntry.submission_id == case.id)).one()
    assert first.actor.startswith("api:")
    # the receiving institution's back office sees it
    register = make_token(staff_app, institution="animal_register", scopes="cases:read")
    listed = api_client.get("/api/v1/riga/cases", headers=bearer(register)).get_json()["items"]
    assert [row["channel"] for row in listed] == ["in-person"]


def test_fields_prefilled_from_the_person_come_from_the_applicant(staff_app, api_client, centre):
    answers = dog_fee_answers(staff_app)
    answers["owner"] = {**answers["owner"], "personal_code": "150312-20180", "surname": "Cits"}
    assert send(api_client, centre, {"applicant": APPLICANT, "answers": answers}).status_code == 201
    [case] = cases(staff_app)
    assert case.answers["owner"]["personal_code"] == "010190-15267"


def test_the_same_key_gives_the_same_case_and_other_content_with_it_is_refused(staff_app, api_client, centre):
    body = {"applicant": APPLICANT, "answers": dog_fee_answers(staff_app)}
    first = send(api_client, centre, body).get_json()
    again = send(api_client, centre, body)
    assert again.status_code == 200
    assert again.get_json()["reference"] == first["reference"] and again.get_json()["replayed"] is True
    other = {**body, "language": "en"}
    assert_problem(send(api_client, centre, other), 422, "idempotency_key_reused")
    assert send(api_client, centre, body, key="key-2").status_code == 201
    assert len(cases(staff_app)) == 2


def test_the_engines_problems_come_back_as_json(staff_app, api_client, centre):
    answers = dog_fee_answers(staff_app)
    answers["dogs"] = [{**answers["dogs"][0], "chip": "12"}]
    del answers["keeping_address"]
    body = assert_problem(send(api_client, centre, {"applicant": APPLICANT, "answers": answers}), 422, "invalid_answers")
    state = staff_app.extensions["pkip"]
    expected = evaluate(state.catalogue.effective("riga", "dog-fee"), {**answers, "owner": dog_fee_answers(staff_app)["owner"]},
                        Context(today=TODAY, person=APPLICANT)).errors
    assert sorted(e["location"] for e in body["errors"]) == sorted(issue.key for issue in expected)
    assert {"dogs[0].chip", "keeping_address"} <= {e["location"] for e in body["errors"]}
    assert all(e["message"] for e in body["errors"])
    assert cases(staff_app) == []


def test_bad_requests_are_refused_before_anything_is_stored(staff_app, api_client, centre):
    answers = dog_fee_answers(staff_app)
    no_key = api_client.post(URL, json={"applicant": APPLICANT, "answers": answers}, headers=bearer(centre))
    assert assert_problem(no_key, 422, "invalid_request")["errors"][0]["location"] == "Idempotency-Key"
    bad_code = send(api_client, centre, {"applicant": {**APPLICANT, "personal_code": "010190-15268"}, "answers": answers})
    assert assert_problem(bad_code, 422, "invalid_answers")["errors"][0]["location"] == "applicant.personal_code"
    unknown = send(api_client, centre, {"applicant": APPLICANT, "answers": answers, "extra": 1})
    assert_problem(unknown, 422, "invalid_request")
    files = api_client.post("/api/v1/riga/tree-felling-permit/applications", headers={**bearer(centre), "Idempotency-Key": "f"},
                            json={"applicant": APPLICANT, "answers": {"photos": [{"name": "a.jpg", "id": "x"}]}})
    assert assert_problem(files, 422, "invalid_answers")["errors"][0] == {   # a made-up upload is no file
        "location": "photos[0]", "code": "file_not_readable", "message": files.get_json()["errors"][0]["message"]}
    assert_problem(api_client.post("/api/v1/riga/no-such-service/applications", json={"applicant": APPLICANT, "answers": {}},
                                   headers={**bearer(centre), "Idempotency-Key": "x"}), 404, "not_found")
    assert_problem(api_client.post("/api/v1/jurmala/dog-fee/applications", json={"applicant": APPLICANT, "answers": answers},
                                   headers={**bearer(centre), "Idempotency-Key": "x"}), 404, "not_found")
    reader = make_token(staff_app, institution="council", scopes="cases:read")
    assert_problem(send(api_client, reader, {"applicant": APPLICANT, "answers": answers}), 403, "insufficient_scope")
    assert cases(staff_app) == []


def test_two_requests_racing_with_one_key_make_one_case(staff_app, centre):
    body = {"applicant": APPLICANT, "answers": dog_fee_answers(staff_app)}
    barrier, answers = threading.Barrier(4), []

    def post():
        client = staff_app.test_client()
        barrier.wait()
        response = send(client, centre, body, key="raced")
        answers.append((response.status_code, response.get_json().get("reference")))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200, 200, 200, 201], answers
    assert len({reference for _, reference in answers}) == 1
    with staff_app.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
