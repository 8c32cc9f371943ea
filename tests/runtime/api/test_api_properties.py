"""Property-based tests of the whole API with schemathesis: requests generated from the
OpenAPI document (valid and invalid ones, with the institution's token, the real
municipality and case reference mixed into the generated path parameters) never get a
5xx, every answer matches what the document declares, and every 4xx is a problem in the
one documented shape. `PKIP_API_FUZZ_EXAMPLES` sets the examples per operation and
phase (CI: 25, so some hundreds in all; `scripts/fuzz` runs thousands)."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from runtime.web.api.schemas import Problem

from ..staff.cases import file_case
from ..staff.test_isolation import attach_file
from .conftest import ALL_SCOPES, bearer, make_token
from .test_api_applications import TODAY

EXAMPLES = int(os.environ.get("PKIP_API_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def app_config(app_config):
    """Thousands of requests with one token: the rate limit has its own tests
    (test_api_rate_limit.py) and is off here, so every request reaches its operation."""
    return {**app_config, "rate_limits": "api=off, api_anonymous=off"}


@pytest.fixture
def fuzz_world(staff_app):
    staff_app.config["PKIP_TODAY"] = TODAY
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    upload_id = attach_file(staff_app, reference)
    known = {"municipality_id": "riga", "reference": reference, "document_id": f"upload-{upload_id}",
             "service_id": "dog-fee"}
    return staff_app, make_token(staff_app, "riga", "environment", ALL_SCOPES), known


def api_schema(app, known):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        """Half the time a generated value is replaced by a real one, so requests reach the cases."""
        return st.fixed_dictionaries({name: st.sampled_from([value, known.get(name, value)])
                                      for name, value in path_parameters.items()})

    return schema


def test_the_openapi_document_is_valid_openapi_3_1(staff_app):
    document = staff_app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)      # raises on any error
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "code"} <= set(problem["required"]) | {"type"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_no_5xx_and_documented_answers(fuzz_world, mode):
    app, token, known = fuzz_world
    schema = api_schema(app, known)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    reached: dict[str, set[int]] = {}

    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode, hooks=schema.hooks))
        @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None, database=None)
        def answers_as_documented(case):
            response = case.call(headers={**(case.headers or {}), **bearer(token)})
            assert response.status_code < 500, (case.method, case.formatted_path, response.text)
            reached.setdefault(operation.label, set()).add(response.status_code)
            if response.status_code >= 400:
                media_type = {name.lower(): values for name, values in response.headers.items()}["content-type"]
                assert media_type[0].startswith("application/problem+json")
                problem = Problem.model_validate(response.json())
                assert problem.status == response.status_code
            # Our token replaces the generated Authorization, which `ignored_auth` would count as
            # ignored; and schema-valid requests may rightly get a documented 422 problem: the
            # engine's and the process's rules (answers, steps) are more than a JSON Schema says.
            case.validate_response(response, excluded_checks=[ignored_auth, positive_data_acceptance])

        answers_as_documented()
    print({label: sorted(codes) for label, codes in reached.items()})
    if mode == GenerationMode.POSITIVE:     # the real ids mixed in let requests past "not found"
        assert all(codes - {401, 404} for codes in reached.values()), reached
