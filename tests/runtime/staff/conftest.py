"""Staff-side fixtures: the shipped definitions (compiled once), an app on them, and
members of staff created through the same use case `pkip users create` calls."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from builder.catalogue import load_catalogue
from runtime.cases.staff_accounts import Grant, create_user

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """argon2id still, with the smallest cost: a sign-in costs ~1 ms here instead of the
    ~60 ms the production parameters are chosen to cost."""
    from argon2 import PasswordHasher
    from runtime.cases import staff_accounts
    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(staff_accounts, "hasher", quick)
    monkeypatch.setattr(staff_accounts, "_DUMMY_HASH", quick.hash("dummy"))


@pytest.fixture(scope="session")
def shipped_catalogue():
    return load_catalogue(ROOT / "definitions")


@pytest.fixture
def staff_app(app_config, shipped_catalogue):
    app_config["definitions_path"] = str(ROOT / "definitions")
    application = create_app(app_config, catalogue=shipped_catalogue)
    yield application
    application.extensions["pkip"].database.dispose()


def make_staff(app, email: str, role: str, municipality: str | None, institution: str | None = None,
               name: str = "Anna Bērziņa"):
    state = app.extensions["pkip"]
    member, _created = create_user(state.database, state.catalogue, email=email, name=name,
                                   grant=Grant(role, municipality, institution), password=PASSWORD)
    return member


def csrf_token(client, url: str = "/staff/signin") -> str:
    found = CSRF.search(client.get(url).get_data(as_text=True))
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/staff/signin", data={"email": email, "password": password,
                                              "csrf_token": csrf_token(client), **extra})
