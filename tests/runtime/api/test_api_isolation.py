"""Tenant isolation on every API route, enumerated from the app's url_map so that a new
route cannot be forgotten: a token of another municipality and a token of another
institution of the same municipality, with every scope, get neither the case's data nor
the action; the institution's own token gets both, so every refusal here could fail."""
from __future__ import annotations

import pytest

from ..staff.cases import file_case
from ..staff.test_isolation import attach_file
from .conftest import bearer, make_token
from .test_api_applications import APPLICANT, TODAY, dog_fee_answers

OPEN = {"api.openapi_document"}
SECRETS = ("Jānis", "janis@example.lv", "0100 012 0034", "tree.pdf", "a photo of the tree")


def api_routes(app):
    return sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")),
                  key=lambda rule: rule.rule)


def request_for(rule, reference: str, upload_id, staff_app) -> tuple[str, str, dict]:
    values = {"municipality_id": "riga", "reference": reference, "document_id": f"upload-{upload_id}",
              "service_id": "tree-felling-permit"}
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<{name}>", values[name])
    method = "POST" if "POST" in rule.methods else "GET"
    bodies = {"api.make_transition": {"target": "in_review"},
              "api.file_for_resident": {"applicant": APPLICANT, "answers": {}}}
    return method, url, bodies.get(rule.endpoint, {})


@pytest.fixture
def world(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    upload_id = attach_file(staff_app, reference)
    every = "cases:read,cases:write,documents:read,applications:submit"
    tokens = {"own": make_token(staff_app, "riga", "environment", every),
              "other municipality": make_token(staff_app, "jurmala", "environment", every),
              "other institution": make_token(staff_app, "riga", "education", every)}
    return reference, upload_id, tokens


def test_every_api_route_is_covered(staff_app):
    endpoints = {rule.endpoint for rule in api_routes(staff_app)}
    assert endpoints - OPEN == {"api.list_cases", "api.read_case", "api.make_transition", "api.list_documents",
                                "api.download_document", "api.file_for_resident"}


@pytest.mark.parametrize("outsider", ["other municipality", "other institution"])
def test_no_token_of_another_institution_sees_or_touches_a_case(staff_app, world, outsider):
    reference, upload_id, tokens = world
    client = staff_app.test_client()
    for rule in api_routes(staff_app):
        if rule.endpoint in OPEN:
            continue
        method, url, body = request_for(rule, reference, upload_id, staff_app)
        headers = {**bearer(tokens[outsider]), "Idempotency-Key": f"{outsider}-{rule.endpoint}"}
        response = client.open(url, method=method, json=body if method == "POST" else None, headers=headers)
        text = response.get_data(as_text=True)
        listed_nothing = response.status_code == 200 and rule.endpoint == "api.list_cases" \
            and response.get_json()["total"] == 0
        assert response.status_code in (403, 404, 422) or listed_nothing, (rule.endpoint, response.status_code, text)
        assert reference not in text and not any(secret in text for secret in SECRETS), (rule.endpoint, text)
    own = staff_app.test_client()
    assert own.get(f"/api/v1/riga/cases/{reference}", headers=bearer(tokens["own"])).get_json()["status"] == "submitted"


def test_the_own_token_gets_every_route(staff_app, world):
    """The control: what the outsiders were refused, the institution's token gets."""
    reference, upload_id, tokens = world
    staff_app.config["PKIP_TODAY"] = TODAY
    client = staff_app.test_client()
    for rule in api_routes(staff_app):
        method, url, body = request_for(rule, reference, upload_id, staff_app)
        if rule.endpoint == "api.file_for_resident":
            url, body = "/api/v1/riga/dog-fee/applications", {"applicant": APPLICANT, "answers": dog_fee_answers(staff_app)}
        response = client.open(url, method=method, json=body if method == "POST" else None,
                               headers={**bearer(tokens["own"]), "Idempotency-Key": "own"})
        assert response.status_code in (200, 201), (rule.endpoint, response.get_data(as_text=True))
