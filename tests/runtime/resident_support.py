"""Shared helpers for the resident flow tests: the real definitions catalogue (loaded
once), an app on each database with a fixed date, and a small browser over Flask's test
client that reads the CSRF token from each page like a browser would send it."""
from __future__ import annotations

import pytest

import functools
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app import create_app

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 2, 1)
PET = "/riga/example-pet-registration"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@functools.cache
def real_catalogue():
    from builder.catalogue import load_catalogue
    return load_catalogue(ROOT / "definitions")


def make_app(app_config, catalogue=None):
    application = create_app(app_config, catalogue=catalogue or real_catalogue())
    application.config["PKIP_TODAY"] = TODAY
    return application


@pytest.fixture
def app(app_config):
    """The app on the real definitions, on the database under test, with a fixed today."""
    application = make_app(app_config)
    yield application
    application.extensions["pkip"].database.dispose()


@pytest.fixture
def browser(app):
    return Browser(app)


class Browser:
    """A resident with one browser session."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.last_html = ""

    def get(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[-2000:])
        self.last_html = response.get_data(as_text=True)
        return self.last_html

    def token(self, url: str | None = None) -> str:
        html = self.get(url) if url else self.last_html
        found = CSRF.search(html)
        assert found, "no CSRF token on the page"
        return found.group(1) or found.group(2)

    def post(self, url: str, data: dict | None = None, *, status: int | None = None, csrf: bool = True):
        """Post `data` from the page at `url` (which is fetched first for its token)."""
        payload = dict(data or {})
        if csrf:
            payload["csrf_token"] = self.token(url.split("?")[0] if url.endswith("/start") else url) \
                if not url.endswith("/start") else self.token(url.removesuffix("start"))
        response = self.client.post(url, data=payload, content_type="multipart/form-data")
        if status is not None:
            assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[-3000:])
        self.last_html = response.get_data(as_text=True)
        return response

    def start(self, base: str = PET) -> str:
        """Press "Start now"; the URL of the first question page."""
        response = self.post(f"{base}/start", status=302)
        return response.headers["Location"]

    def answer(self, url: str, data: dict, status: int = 302) -> str:
        """Post a page that is expected to be accepted; where it leads."""
        response = self.post(url, data, status=status)
        return response.headers.get("Location", "")


def count(app, model) -> int:
    with app.extensions["pkip"].database.sessions() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def rows(app, model) -> list:
    with app.extensions["pkip"].database.sessions() as session:
        return list(session.execute(select(model)).scalars())


OWNER = {
    "owner-personal_code": "010190-15267", "owner-given_name": "Jānis", "owner-surname": "Bērziņš",
    "owner-pensioner": "yes", "owner-email": "janis@example.lv", "owner-address": "Brīvības iela 1, Rīga",
    "owner-district": "centre",
}
DOG = {
    "pets-name": "Reksis", "pets-species": "dog", "pets-breed": "labrador", "pets-chip": "123456789012345",
    "pets-birth_date-day": "1", "pets-birth_date-month": "1", "pets-birth_date-year": "2020",
    "pets-weight": "30,5", "pets-sterilised": "yes",
}
DETAILS = {"start_date-day": "10", "start_date-month": "2", "start_date-year": "2026", "deposit": "", "notes": ""}
