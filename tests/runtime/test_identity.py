"""Sign-in: OpenID Connect against a stand-in provider, the development sign-in, and the
session that keeps the personal code encrypted; on both databases."""
from __future__ import annotations

import json

import httpx
import pytest
from joserfc.jwk import RSAKey

from app import create_app
from runtime.config import ConfigError, load_settings
from runtime.identity import normalise_personal_code, person_code_hash

from .fakes import sample_catalogue
from .oidc_standin import oidc_app, provider, start  # noqa: F401 (fixtures)
from .support_documents import CODE_A, csrf_token, dev_sign_in



def test_oidc_sign_in_with_a_good_token(oidc_app, provider):
    client = oidc_app.test_client()
    callback = provider.authorize(start(client))
    response = client.get(f"/signin/oidc/callback?{callback}")
    assert response.status_code == 302 and response.headers["Location"] == "/riga/"
    html = client.get("/riga/").get_data(as_text=True)
    assert "Jānis Ozols" in html and "Iziet" in html
    with client.session_transaction() as session:
        stored = json.dumps(session["person"])
    # the session cookie holds the code only encrypted, and a keyed hash of it
    assert "16117519997" not in stored and "161175" not in stored
    assert session["person"]["hash"] == person_code_hash(CODE_A, oidc_app.config["SECRET_KEY"])


def test_oidc_refuses_a_wrong_state(oidc_app, provider):
    client = oidc_app.test_client()
    callback = provider.authorize(start(client))
    forged = callback.split("&state=")[0] + "&state=forged"
    response = client.get(f"/signin/oidc/callback?{forged}")
    assert response.status_code == 400 and "Pierakstīšanās neizdevās" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "person" not in session
    assert not any(r.url.path == "/token" for r in provider.requests)


def test_oidc_refuses_a_wrong_nonce(oidc_app, provider):
    provider.nonce_override = "someone-elses-nonce"
    client = oidc_app.test_client()
    response = client.get(f"/signin/oidc/callback?{provider.authorize(start(client))}")
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "person" not in session


def test_oidc_refuses_a_token_signed_by_another_key(oidc_app, provider):
    client = oidc_app.test_client()
    callback = provider.authorize(start(client))
    provider.key, real = RSAKey.generate_key(2048, parameters={"kid": "k1"}), provider.key
    original = provider.handle

    def handle(request):  # JWKS still publishes the real key
        if request.url.path == "/jwks":
            return httpx.Response(200, json={"keys": [real.as_dict(private=False)]})
        return original(request)

    oidc_app.extensions["pkip_identity"]["oidc"].transport = httpx.MockTransport(handle)
    assert client.get(f"/signin/oidc/callback?{callback}").status_code == 400


def test_oidc_callback_without_a_started_sign_in_is_refused(oidc_app):
    response = oidc_app.test_client().get("/signin/oidc/callback?code=x&state=y")
    assert response.status_code == 400


def test_sign_in_never_redirects_to_another_site(oidc_app, provider):
    client = oidc_app.test_client()
    callback = provider.authorize(start(client, next_url="//evil.example/"))
    assert client.get(f"/signin/oidc/callback?{callback}").headers["Location"] == "/my/"


def test_dev_sign_in_is_absent_unless_configured(client):
    assert client.get("/signin/dev").status_code == 404
    html = client.get("/riga/").get_data(as_text=True)
    assert "Izstrādes pierakstīšanās" not in html and "dev-banner" not in html


def test_dev_sign_in_is_refused_outside_development(tmp_path):
    for env in ("production", "testing"):
        with pytest.raises(ConfigError, match="PKIP_DEV_SIGNIN"):
            load_settings({"instance_path": str(tmp_path), "env": env, "dev_signin": True,
                           "secret_key": "x" * 40})
    with pytest.raises(ConfigError, match="PKIP_DEV_SIGNIN"):
        load_settings(environ={"PKIP_INSTANCE_PATH": str(tmp_path), "PKIP_DEV_SIGNIN": "1"})


@pytest.fixture
def dev_client(app_config):
    application = create_app({**app_config, "env": "development", "dev_signin": True},
                             catalogue=sample_catalogue())
    yield application.test_client()
    application.extensions["pkip"].database.dispose()


def test_dev_sign_in_shows_the_banner_on_every_page(dev_client):
    for url, status in (("/", 200), ("/riga/", 200), ("/riga/dog-fee/", 200), ("/nowhere/", 404), ("/signin/", 200)):
        response = dev_client.get(url)
        assert response.status_code == status
        assert "Izstrādes pierakstīšanās — nav īsta identitāte" in response.get_data(as_text=True), url
    assert "Development sign-in — not a real identity" in dev_client.get("/?lang=en").get_data(as_text=True)


def test_dev_sign_in_signs_in_and_out(dev_client):
    response = dev_sign_in(dev_client)
    assert response.status_code == 302 and response.headers["Location"] == "/my/"
    assert "Anna Bērziņa" in dev_client.get("/riga/").get_data(as_text=True)
    assert dev_client.post("/signout", data={"csrf_token": csrf_token(dev_client)}).status_code == 302
    assert "Anna Bērziņa" not in dev_client.get("/riga/").get_data(as_text=True)


def test_dev_sign_in_rejects_an_invalid_personal_code(dev_client):
    response = dev_sign_in(dev_client, code="161175-19990")
    assert response.status_code == 400
    assert "Ievadiet derīgu personas kodu" in response.get_data(as_text=True)
    with dev_client.session_transaction() as session:
        assert "person" not in session


def test_signout_needs_a_csrf_token(dev_client):
    dev_sign_in(dev_client)
    assert dev_client.post("/signout").status_code == 400
    assert "Anna Bērziņa" in dev_client.get("/riga/").get_data(as_text=True)


def test_personal_codes_are_normalised_before_hashing():
    assert normalise_personal_code("PNOLV-161175-19997") == "16117519997"
    assert normalise_personal_code("161175 19997") == "16117519997"
    assert normalise_personal_code("161175-19990") is None
    assert person_code_hash("161175-19997", "k" * 32) == person_code_hash("16117519997", "k" * 32)
    assert person_code_hash("161175-19997", "k" * 32) != person_code_hash("161175-19997", "j" * 32)


def test_sign_in_takes_new_format_codes_without_a_check_digit():
    assert normalise_personal_code("PNOLV-320830-16611") == "32083016611"
    assert normalise_personal_code("350101-00000") == "35010100000"
    assert normalise_personal_code("010190-15268") is None    # old format, wrong check digit


def saved_cookie(client) -> str:
    return client.get_cookie("pkip_session").value


def test_sign_out_ends_the_session_everywhere(dev_client, app_config):
    """Issue 16 finding 5: a session cookie saved before sign-out no longer opens "my
    applications", and neither does the same person's session on another device."""
    dev_sign_in(dev_client)
    saved = saved_cookie(dev_client)
    other_device = dev_client.application.test_client()
    dev_sign_in(other_device)
    assert "Anna Bērziņa" in other_device.get("/my/").get_data(as_text=True)
    assert dev_client.post("/signout", data={"csrf_token": csrf_token(dev_client)}).status_code in (200, 302)
    replay = dev_client.application.test_client()
    replay.set_cookie("pkip_session", saved)
    for client in (replay, other_device):
        response = client.get("/my/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin/")
        assert "Anna Bērziņa" not in client.get("/riga/").get_data(as_text=True)
    dev_sign_in(dev_client)             # signing in again works, with the new generation
    assert "Anna Bērziņa" in dev_client.get("/my/").get_data(as_text=True)
