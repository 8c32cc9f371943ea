"""Fixtures shared by the sign-in protocol tests: SQLite only (the protocols do not touch
the database; tests/runtime/test_replay.py runs the replay cache on both), and a
development app with the latvija.lv and eParaksts stand-ins."""
from __future__ import annotations

import pytest

from app import create_app

from .fakes import sample_catalogue


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(app_config):
    application = create_app({**app_config, "env": "development", "signin_standins": True},
                             catalogue=sample_catalogue())
    yield application
    application.extensions["pkip"].database.dispose()


def signed_in(client) -> dict | None:
    """The session's person entry (name, hash, provider), or None."""
    with client.session_transaction() as session:
        return session.get("person")
