"""Sign-in against the certified OpenID Connect provider (panva's oidc-provider, from the
npm registry, on 127.0.0.1 over HTTPS under a test CA): code flow with PKCE and a client
secret with reserved characters, PS256 id_tokens, profile claims only at userinfo (its
default), key rotation, an outage of its key set, RP-initiated logout and a fresh login
afterwards. The provider's login and consent pages are filled in by
`CertifiedProvider.log_in`; the browser test does the same in Chromium."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app import create_app
from tests.certified_oidc import CertifiedProvider

from .fakes import sample_catalogue
from .signin_support import database_url  # noqa: F401 (fixture: SQLite only)
from .oidc_standin import provider_logout_link, query_of
from .support_documents import csrf_token

CALLBACK = "http://localhost/signin/oidc/callback"
HOME = "http://localhost/"


@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    provider = CertifiedProvider(tmp_path_factory.mktemp("certified-oidc"), [CALLBACK], [HOME]).start()
    yield provider
    provider.stop()


@pytest.fixture
def app(app_config, certified):
    application = create_app({**app_config, **certified.settings()}, catalogue=sample_catalogue())
    yield application
    application.extensions["pkip"].database.dispose()


def sign_in(client, certified, browser, login: str | None = "janis"):
    """Click "sign in" on the site, log in at the provider, come back: the callback's answer."""
    started = client.get("/signin/oidc?next=/riga/")
    assert started.status_code == 302, started.get_data(as_text=True)
    callback = certified.log_in(browser, started.headers["Location"], login, stop_at=CALLBACK)
    return client.get(callback.removeprefix("http://localhost"))


def test_code_flow_with_pkce_userinfo_and_ps256(app, certified, monkeypatch):
    oidc = app.extensions["pkip_identity"]["oidc"]
    decoded, seen = oidc._decoded, []
    monkeypatch.setattr(oidc, "_decoded", lambda token: seen.append(decoded(token)) or seen[-1])
    client = app.test_client()
    with certified.http() as browser:
        response = sign_in(client, certified, browser)
    assert response.status_code == 302 and response.headers["Location"] == "/riga/"
    assert "Jānis Ozols" in client.get("/riga/").get_data(as_text=True)
    # PS256 as registered, and the name only at userinfo (the id_token has none)
    assert seen[0].header["alg"] == "PS256" and "given_name" not in seen[0].claims


def test_sign_out_ends_the_providers_session_and_the_next_sign_in_asks_for_a_login(app, certified):
    client = app.test_client()
    with certified.http() as browser:
        sign_in(client, certified, browser)
        # Without a sign-out the provider's session signs the same browser in silently...
        silent = client.get("/signin/oidc?next=/riga/")
        assert "prompt" not in query_of(silent.headers["Location"])
        callback = certified.log_in(browser, silent.headers["Location"], None, stop_at=CALLBACK)
        assert client.get(callback.removeprefix("http://localhost")).status_code == 302
        ending = provider_logout_link(client.post("/signout", data={"csrf_token": csrf_token(client)}))
        assert urlsplit(ending).path == "/session/end"
        assert certified.log_in(browser, ending, None, stop_at=HOME) == HOME
        # ...after it, the provider asks who is there: another person can sign in.
        assert sign_in(client, certified, browser, login="anna").status_code == 302
    assert "Anna Bērziņa" in client.get("/riga/").get_data(as_text=True)


def test_a_key_set_outage_is_the_services_fault_and_a_rotated_key_is_picked_up(app, certified):
    client = app.test_client()
    with certified.http() as browser:
        assert sign_in(client, certified, browser).status_code == 302     # keys now cached
    certified.restart()                                                # new signing keys
    certified.jwks_outage(503)
    other = app.test_client()
    with certified.http() as browser:
        refused = sign_in(other, certified, browser)
    assert refused.status_code == 503 and "Tā nav jūsu vaina" in refused.get_data(as_text=True)
    certified.jwks_outage(200)
    with certified.http() as browser:
        assert sign_in(other, certified, browser).status_code == 302
    assert "Jānis Ozols" in other.get("/riga/").get_data(as_text=True)
