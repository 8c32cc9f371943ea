"""The API's rate limit: per token, and per client address for requests without a valid
token; past it a 429 in the API's one problem shape with Retry-After, documented in the
OpenAPI document; counted in the database for every process (on both databases)."""
from __future__ import annotations

import pytest

from app import create_app

from .conftest import bearer, make_token
from .test_api_cases import assert_problem


@pytest.fixture
def limited_app(app_config, shipped_catalogue):
    def make(rates: str):
        application = create_app({**app_config, "rate_limits": rates}, catalogue=shipped_catalogue)
        made.append(application)
        return application
    made = []
    yield make
    for application in made:
        application.extensions["pkip"].database.dispose()


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_token_past_its_limit_gets_a_429_problem_with_retry_after(limited_app):
    app = limited_app("api=3/60")
    client = client_at(app, "192.0.2.1")
    token, other = make_token(app, scopes="cases:read"), make_token(app, scopes="cases:read")
    codes = [client.get("/api/v1/riga/cases", headers=bearer(token)).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    refused = client.get("/api/v1/riga/cases", headers=bearer(token))
    body = assert_problem(refused, 429, "too_many_requests")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert body["title"] == "Pārāk daudz pieprasījumu"
    assert client.get("/api/v1/riga/cases", headers=bearer(other)).status_code == 200, \
        "another token (even from the same address) has a count of its own"
    english = client.get("/api/v1/riga/cases", headers={**bearer(token), "Accept-Language": "en"})
    assert assert_problem(english, 429, "too_many_requests")["title"] == "Too many requests"


def test_calls_without_a_valid_token_are_counted_by_address(limited_app):
    app = limited_app("api_anonymous=2/60")
    first, second = client_at(app, "192.0.2.1"), client_at(app, "192.0.2.2")
    wrong = bearer("pkip_not-a-real-token")
    assert [first.get("/api/v1/riga/cases", headers=wrong).status_code for _ in range(2)] == [401, 401]
    refused = first.get("/api/v1/riga/cases")
    assert_problem(refused, 429, "too_many_requests")
    assert int(refused.headers["Retry-After"]) >= 1
    assert first.get("/api/v1/openapi.json").status_code == 429, "the open document counts too"
    assert second.get("/api/v1/riga/cases", headers=wrong).status_code == 401, "another address is not limited"
    token = make_token(app, scopes="cases:read")
    assert first.get("/api/v1/riga/cases", headers=bearer(token)).status_code == 200, \
        "a valid token is counted as itself, not by the address"


def test_the_limit_is_counted_for_every_process_together(limited_app):
    """Two apps on one database: two gunicorn workers serving one back office."""
    first, second = limited_app("api=2/60"), limited_app("api=2/60")
    token = make_token(first, scopes="cases:read")
    codes = [app.test_client().get("/api/v1/riga/cases", headers=bearer(token)).status_code
             for app in (first, second, first)]
    assert codes == [200, 200, 429]


def test_turned_off_the_limit_lets_every_request_through(limited_app):
    app = limited_app("api=off, api_anonymous=off")
    client = app.test_client()
    assert {client.get("/api/v1/riga/cases").status_code for _ in range(70)} == {401}


def test_the_openapi_document_declares_the_429_on_every_operation(staff_app):
    document = staff_app.test_client().get("/api/v1/openapi.json").get_json()
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    assert len(operations) == 6
    for operation in operations:
        answer = operation["responses"]["429"]
        assert answer["headers"]["Retry-After"]["schema"]["type"] == "integer"
        assert answer["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    assert "429" in document["info"]["description"]
