"""Runtime fixtures: a clean environment, and an app on each database backend."""
from __future__ import annotations

import os

import pytest

from app import create_app
from runtime.storage.database import Database
from runtime.storage.migrate import upgrade

from .fakes import sample_catalogue


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Settings from the developer's shell must not leak into tests."""
    for name in list(os.environ):
        if name.startswith("PKIP_") and name != "PKIP_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


@pytest.fixture
def app_config(tmp_path, database_url):
    return {
        "instance_path": str(tmp_path / "instance"),
        "database_url": database_url,
        "env": "testing",
        "auto_upgrade": True,
    }


@pytest.fixture
def database(database_url):
    """The database under test, migrated to the latest schema."""
    db = Database(database_url)
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def app(app_config):
    application = create_app(app_config, catalogue=sample_catalogue())
    yield application
    application.extensions["pkip"].database.dispose()


@pytest.fixture
def client(app):
    return app.test_client()
