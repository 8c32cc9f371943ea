"""The OpenID Connect client against what real providers do (issue 12, defects 1-6):
a key set that is down, secrets with reserved characters, claims only at userinfo, other
signature algorithms, the provider's own session at sign-out, a provider that hangs and a
wrong client secret. The protocol does not touch the database: SQLite only."""
from __future__ import annotations

import base64
import json
import logging
import socket
import threading
import time

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import OctKey

from .oidc_standin import (CLIENT_ID, ISSUER, PROFILE, StandInProvider, oidc_app, oidc_app_for,  # noqa: F401
                           provider, provider_logout_link, query_of, start)
from .signin_support import database_url  # noqa: F401 (fixture: SQLite only)
from .support_documents import csrf_token


def sign_in(client, provider, next_url="/riga/"):
    return client.get(f"/signin/oidc/callback?{provider.authorize(start(client, next_url))}")


def signed_in_name(client) -> str | None:
    with client.session_transaction() as session:
        person = session.get("person")
    return f"{person['given_name']} {person['surname']}" if person else None


# 1. A key set that cannot be fetched is the service's fault: 503 and a page, never a 500.

def test_a_jwks_outage_gives_the_unavailable_page_not_a_500(oidc_app, provider):
    provider.jwks_status = 503
    client = oidc_app.test_client()
    response = sign_in(client, provider)
    assert response.status_code == 503
    assert "Tā nav jūsu vaina" in response.get_data(as_text=True)
    assert signed_in_name(client) is None


def test_a_jwks_outage_during_key_refresh_gives_the_unavailable_page(oidc_app, provider):
    client = oidc_app.test_client()
    assert sign_in(client, provider).status_code == 302        # the key set is now cached
    provider.rotate()                                          # a new key the cache lacks...
    provider.jwks_status = 503                                 # ...and the key set is down
    other = oidc_app.test_client()
    assert sign_in(other, provider).status_code == 503


def test_a_rotated_signing_key_is_fetched_once_and_accepted(oidc_app, provider):
    assert sign_in(oidc_app.test_client(), provider).status_code == 302
    provider.rotate("ES256")
    client = oidc_app.test_client()
    assert sign_in(client, provider).status_code == 302
    assert signed_in_name(client) == "Jānis Ozols"
    assert sum(r.url.path == "/jwks" for r in provider.requests) == 2


# 2. RFC 6749 2.3.1: the client id and secret are form-encoded before HTTP Basic.

@pytest.mark.parametrize("secret", ["a+b/c=", "100%2Bsure", "with:colon and space"])
def test_a_client_secret_with_reserved_characters_authenticates(app_config, secret):
    provider = StandInProvider()
    provider.secret = secret
    application = oidc_app_for(app_config, provider, oidc_client_secret=secret)
    client = application.test_client()
    assert sign_in(client, provider).status_code == 302
    assert signed_in_name(client) == "Jānis Ozols"
    application.extensions["pkip"].database.dispose()


# 3. A certified provider releases profile claims only at userinfo.

def test_profile_claims_come_from_userinfo_when_the_id_token_lacks_them(oidc_app, provider):
    provider.id_token_claims, provider.userinfo_claims = {}, dict(PROFILE)
    client = oidc_app.test_client()
    assert sign_in(client, provider).status_code == 302
    assert signed_in_name(client) == "Jānis Ozols"
    assert "Jānis Ozols" in client.get("/riga/").get_data(as_text=True)


def test_userinfo_about_another_subject_is_refused(oidc_app, provider):
    provider.id_token_claims, provider.userinfo_claims = {}, dict(PROFILE)
    provider.userinfo_sub = "someone-else"
    client = oidc_app.test_client()
    assert sign_in(client, provider).status_code == 400
    assert signed_in_name(client) is None


# 4. The asymmetric algorithms the provider advertises; never HS* or none.

@pytest.mark.parametrize("algorithm", ["PS256", "ES256", "EdDSA"])
def test_id_tokens_in_other_advertised_algorithms_are_accepted(oidc_app, provider, algorithm):
    provider.rotate(algorithm)
    client = oidc_app.test_client()
    assert sign_in(client, provider).status_code == 302
    assert signed_in_name(client) == "Jānis Ozols"


def forged_token(provider: StandInProvider, header: dict, key) -> str:
    """An id_token for the pending sign-in, with `header` and signed by `key`."""
    sent = list(provider.codes.values())[-1]
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "abc", "iat": now, "exp": now + 300,
              "nonce": sent["nonce"], **PROFILE}
    payload = json.dumps(claims).encode()
    if header["alg"] == "none":
        encode = lambda part: base64.urlsafe_b64encode(part).rstrip(b"=").decode()  # noqa: E731
        return f"{encode(json.dumps(header).encode())}.{encode(payload)}."
    return jws.serialize_compact(header, payload, key, algorithms=[header["alg"]])


@pytest.mark.parametrize("header", [{"alg": "HS256", "kid": "k1"}, {"alg": "none"}])
def test_symmetric_and_unsigned_id_tokens_are_refused(oidc_app, provider, header, monkeypatch):
    client = oidc_app.test_client()
    callback = provider.authorize(start(client))
    token = forged_token(provider, header, OctKey.import_key(provider.secret.encode()))
    real_token = provider.token

    def token_endpoint(request):
        answer = json.loads(real_token(request).content)
        return httpx.Response(200, json={**answer, "id_token": token})

    monkeypatch.setattr(provider, "token", token_endpoint)
    assert client.get(f"/signin/oidc/callback?{callback}").status_code == 400
    assert signed_in_name(client) is None


# 5. Sign-out ends the provider's session, and the next sign-in asks for a login.

def test_sign_out_ends_the_providers_session_and_the_next_sign_in_asks_for_a_login(oidc_app, provider):
    client = oidc_app.test_client()
    first = start(client)
    assert "prompt" not in query_of(first)
    client.get(f"/signin/oidc/callback?{provider.authorize(first)}")
    response = client.post("/signout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 200 and "Jūs esat izgājis" in response.get_data(as_text=True)
    location = provider_logout_link(response)
    ending = query_of(location)
    assert location.startswith(f"{ISSUER}/session/end?")
    assert ending["client_id"] == CLIENT_ID and ending["post_logout_redirect_uri"] == "http://localhost/"
    assert ending["id_token_hint"].count(".") == 2
    assert signed_in_name(client) is None
    assert query_of(start(client))["prompt"] == "login"


def test_sign_out_without_an_end_session_endpoint_stays_on_the_site(oidc_app, provider):
    provider.end_session = False
    client = oidc_app.test_client()
    sign_in(client, provider)
    response = client.post("/signout", data={"csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/"
    assert query_of(start(client))["prompt"] == "login"


def test_the_session_keeps_the_logout_hint_only_encrypted(oidc_app, provider):
    client = oidc_app.test_client()
    sign_in(client, provider)
    with client.session_transaction() as session:
        stored = json.dumps(dict(session))
    assert "PNOLV" not in stored and "eyJ" not in stored     # no id_token in clear


# 6. A hanging provider costs each resident one timeout, not a queue behind a lock;
#    a wrong client secret is the service's fault, and the log says why.

@pytest.fixture
def hanging_issuer():
    """A TCP port that accepts connections and never answers; it notes when each arrives."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    arrivals: list[float] = []
    held: list[socket.socket] = []

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            arrivals.append(time.monotonic())
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}", arrivals
    listener.close()
    for connection in held:
        connection.close()


def test_a_hanging_provider_holds_no_lock_across_residents(app_config, hanging_issuer):
    issuer, arrivals = hanging_issuer
    application = oidc_app_for(app_config, StandInProvider(), oidc_issuer=issuer,
                               oidc_timeout_seconds=1.0)
    application.extensions["pkip_identity"]["oidc"].transport = None     # the real network
    statuses: list[int] = []
    gave_up: list[float] = []
    together = threading.Barrier(3)

    def click_sign_in():
        together.wait()
        statuses.append(application.test_client().get("/signin/oidc?next=/riga/").status_code)
        gave_up.append(time.monotonic())

    threads = [threading.Thread(target=click_sign_in) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [503, 503, 503]
    # Behind one lock the second and third resident would reach the provider only after
    # the first gave up; without one, all three are waiting on it at once. (Counted, not
    # timed, so a loaded machine cannot fail it.)
    assert len(arrivals) >= 3 and sorted(arrivals)[2] < min(gave_up), (arrivals, gave_up)
    application.extensions["pkip"].database.dispose()


def test_a_wrong_client_secret_is_reported_as_the_services_fault(app_config, caplog):
    provider = StandInProvider()
    provider.secret = "the-provider-has-another-one"
    application = oidc_app_for(app_config, provider)
    client = application.test_client()
    with caplog.at_level(logging.INFO, logger="runtime.web.signin"):
        response = sign_in(client, provider)
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Tā nav jūsu vaina" in html and "nevarējām apstiprināt jūsu identitāti" not in html
    assert "token endpoint answered 401 invalid_client" in caplog.text
    application.extensions["pkip"].database.dispose()
