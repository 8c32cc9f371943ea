"""Sign-in with eParaksts (LVRTC): the OAuth code flow against its stand-in (served by the
development app, called in process), the person from userinfo's `serial_number`, a fresh
login after sign-out, and what a misbehaving service gets: never a 500."""
from __future__ import annotations

import re

import httpx
import pytest
from lxml import html as lxml_html

from app import create_app
from runtime.auth.eparaksts import SCOPE, TOKEN_PATH, USERINFO_PATH
from runtime.config import ConfigError, load_settings

from .fakes import sample_catalogue
from .signin_support import app, database_url, signed_in  # noqa: F401 (fixtures)
from .oidc_standin import query_of


def sign_in(client, code="161175-19997", expect_form=True):
    """Through the stand-in's pages as a browser: returns the site's final answer."""
    at_provider = client.get("/signin/eparaksts?next=/riga/").headers["Location"]
    query = query_of(at_provider)
    assert query["scope"] == SCOPE and query["code_challenge_method"] == "S256"
    page = client.get(at_provider)
    if expect_form:
        form = lxml_html.fromstring(page.get_data(as_text=True)).forms[0]
        page = client.post(form.get("action"), data={**dict(form.form_values()), "given_name": "Jānis",
                                                     "surname": "Ozols", "personal_code": code})
    assert page.status_code == 302, page.get_data(as_text=True)[:300]
    return client.get(page.headers["Location"].removeprefix("http://localhost"))


def test_sign_in_through_the_standin_takes_the_person_from_userinfo(app):
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/riga/"
    assert "Jānis Ozols" in client.get("/riga/").get_data(as_text=True)
    assert signed_in(client)["via"] == "eparaksts"


def test_after_sign_out_the_next_sign_in_asks_for_a_login_again(app):
    client = app.test_client()
    sign_in(client)
    page = client.get("/riga/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/signout", data={"csrf_token": token}).headers["Location"] == "/"
    assert query_of(client.get("/signin/eparaksts?next=/riga/").headers["Location"])["prompt"] == "login"
    assert sign_in(client, code="010190-12349").status_code == 302           # the form was shown again


def test_without_a_sign_out_the_standin_remembers_its_session(app):
    client = app.test_client()
    sign_in(client)
    assert sign_in(client, expect_form=False).status_code == 302


def faulty(app, handler):
    app.extensions["pkip_identity"]["eparaksts"].remote.transport = httpx.MockTransport(handler)


def through_faulty_service(app, handler):
    client = app.test_client()
    at_provider = client.get("/signin/eparaksts?next=/riga/").headers["Location"]
    faulty(app, handler)
    return client, client.get(f"/signin/eparaksts/callback?code=c&state={query_of(at_provider)['state']}")


@pytest.mark.parametrize("answers, status, wording", [
    ({TOKEN_PATH: httpx.Response(503)}, 503, "Tā nav jūsu vaina"),
    ({TOKEN_PATH: httpx.Response(401, json={"error": "invalid_client"})}, 503, "Tā nav jūsu vaina"),
    ({TOKEN_PATH: httpx.Response(200, json={"token_type": "Bearer"})}, 503, "Tā nav jūsu vaina"),
    ({TOKEN_PATH: httpx.Response(200, json={"access_token": "a", "token_type": "Bearer"}),
      USERINFO_PATH: httpx.Response(500, text="oops")}, 503, "Tā nav jūsu vaina"),
    ({TOKEN_PATH: httpx.Response(200, json={"access_token": "a", "token_type": "Bearer"}),
      USERINFO_PATH: httpx.Response(200, json={"serial_number": "PNOEE-38001085718"})}, 400, "nevarējām apstiprināt"),
    ({TOKEN_PATH: httpx.Response(200, json={"access_token": "a", "token_type": "Bearer"}),
      USERINFO_PATH: httpx.Response(200, json={"serial_number": "PNOLV-161175-19990"})}, 400, "nevarējām apstiprināt"),
])
def test_a_misbehaving_service_gets_a_clear_page_not_a_500(app, answers, status, wording):
    def handler(request):
        path = request.url.path.removeprefix("/_standin/eparaksts")
        return answers.get(path, httpx.Response(404))

    client, response = through_faulty_service(app, handler)
    assert response.status_code == status and wording in response.get_data(as_text=True)
    assert signed_in(client) is None


def test_the_example_serial_number_from_lvrtc_is_a_person(app):
    answers = {TOKEN_PATH: {"access_token": "a", "token_type": "bearer"},
               USERINFO_PATH: {"sub": "x", "serial_number": "PNOLV-010180-15097", "given_name": "Līga",
                               "family_name": "Kalniņa"}}
    client, response = through_faulty_service(
        app, lambda request: httpx.Response(200, json=answers[request.url.path.removeprefix("/_standin/eparaksts")]))
    assert response.status_code == 302 and signed_in(client)["surname"] == "Kalniņa"


def test_eparaksts_is_configured_whole_and_over_https(tmp_path):
    base = {"instance_path": str(tmp_path), "secret_key": "x" * 40}
    with pytest.raises(ConfigError, match="also set PKIP_EPARAKSTS_CLIENT_SECRET"):
        load_settings({**base, "eparaksts_base_url": "https://eidas.eparaksts.lv", "eparaksts_client_id": "c"})
    with pytest.raises(ConfigError, match="must be an https:// URL"):
        load_settings({**base, "eparaksts_base_url": "http://eidas.eparaksts.lv", "eparaksts_client_id": "c",
                       "eparaksts_client_secret": "s"})
