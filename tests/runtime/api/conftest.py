"""API fixtures: the shipped definitions, an app on them, tokens made by the same use
case `pkip tokens create` calls, and cases filed as residents file them."""
from __future__ import annotations

import pytest

from runtime.cases.api_tokens import create_token

from ..staff.conftest import quick_password_hashes, shipped_catalogue, staff_app  # noqa: F401  (fixtures)

ALL_SCOPES = "cases:read,cases:write,documents:read,applications:submit"


def make_token(app, municipality: str = "riga", institution: str = "environment", scopes: str = ALL_SCOPES,
               name: str = "back office") -> str:
    state = app.extensions["pkip"]
    _listing, token = create_token(state.database, state.catalogue, municipality_id=municipality,
                                   institution_id=institution, scopes=scopes, name=name)
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api_client(staff_app):
    return staff_app.test_client()
