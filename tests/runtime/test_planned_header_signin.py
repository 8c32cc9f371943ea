"""The planned pages draw the header the templates draw, whatever sign-in is configured:
with the latvija.lv and eParaksts stand-ins on and the development sign-in off, every page
carries the development banner (the stand-ins are not real identities), the planned
question page too. Before one function decided it, the question page's plan asked only
whether the development sign-in was on, and drew that page without the banner."""
from __future__ import annotations

from runtime.auth import EXTENSION, dev_signin_enabled

import pytest

from .resident_support import PET, Browser, make_app
from .signin_support import CODE, latvija_sign_in

BANNER = 'class="dev-banner"'


@pytest.fixture
def app(tmp_path):
    application = make_app({"instance_path": str(tmp_path / "instance"), "env": "development",
                            "signin_standins": True, "auto_upgrade": True,
                            "database_url": f"sqlite:///{tmp_path / 'standins.sqlite3'}"})
    yield application
    application.extensions["pkip"].database.dispose()


def test_the_stand_ins_alone_mark_every_page_as_a_development_sign_in(app):
    assert "dev" not in app.extensions[EXTENSION]
    with app.test_request_context("/"):
        assert dev_signin_enabled()
    browser = Browser(app)
    latvija_sign_in(app, browser.client, f"PK:{CODE}")
    first_page = browser.start(PET)
    catalogue = browser.get("/riga/")
    question = browser.get(first_page)
    assert "Jānis Ozols" in catalogue and "Jānis Ozols" in question          # signed in: the planned header
    assert BANNER in catalogue
    assert BANNER in question, first_page
