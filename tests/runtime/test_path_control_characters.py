"""A control character in a path part (`%00`) is "not found" on every route, never a
500: PostgreSQL refuses NUL in text (the API's property test found it)."""
from __future__ import annotations

import pytest

from app import create_app

from .fakes import sample_catalogue


@pytest.fixture
def client(app_config):
    application = create_app(app_config, catalogue=sample_catalogue())
    yield application.test_client()
    application.extensions["pkip"].database.dispose()


@pytest.mark.parametrize("path", ["/riga/dog-fee/case/%00", "/riga/dog-fee/case/A%00B/application.pdf",
                                  "/riga/dog-fee/case/%07"])
def test_a_control_character_in_a_path_is_not_found(client, path):
    assert client.get(path).status_code == 404
