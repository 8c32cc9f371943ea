"""Fixtures shared by the sign-in protocol tests: SQLite only (the protocols do not touch
the database; tests/runtime/test_replay.py runs the replay cache on both), and a
development app with the latvija.lv and eParaksts stand-ins."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from lxml import html as lxml_html

from app import create_app
from runtime.auth import DEVELOPMENT_REALM
from runtime.auth.standins.latvija import ISSUER
from runtime.auth.standins.wsfed import Issued, issue_wresult

from .fakes import sample_catalogue

CODE = "16117519997"
NAMES = [("givenname", "Jānis", None), ("surname", "Ozols", None)]


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


def started(client) -> dict[str, str]:
    """Click "sign in with latvija.lv": the wctx and wreply this browser was given."""
    response = client.get("/signin/latvija?next=/riga/")
    assert response.status_code == 302
    form = lxml_html.fromstring(client.get(response.headers["Location"]).get_data(as_text=True)).forms[0]
    return dict(form.form_values())


def issued(name_identifier=f"PK:{CODE}", attributes=None, shift=timedelta(0), **changes) -> Issued:
    # The clock is read here, never at collection: a long suite would turn "future" into past.
    values = {"issuer": ISSUER, "realm": DEVELOPMENT_REALM, "name_identifier": name_identifier,
              "attributes": attributes or [("privatepersonalidentifier", CODE, None), *NAMES],
              "now": datetime.now(timezone.utc) + shift, **changes}
    return Issued(**values)


def post_back(app, wresult_text: str, wctx: str):
    """latvija.lv's POST from its own site: a client without this site's cookies."""
    return app.test_client().post("/signin/latvija/callback",
                                  data={"wa": "wsignin1.0", "wresult": wresult_text, "wctx": wctx})


def finish(client, answer):
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return client.get(answer.headers["Location"])


def page_csrf_token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/riga/").get_data(as_text=True)).group(1)


def latvija_sign_in(app, client, name_identifier: str, code: str = CODE, names=NAMES):
    """Sign `client` in through the latvija.lv stand-in as `name_identifier`."""
    wctx = started(client)["wctx"]
    attributes = [("privatepersonalidentifier", code, None), *names]
    answer = post_back(app, issue_wresult(issued(name_identifier, attributes),
                                          app.extensions["pkip_standins"]["latvija"].keys), wctx)
    assert finish(client, answer).status_code == 302
