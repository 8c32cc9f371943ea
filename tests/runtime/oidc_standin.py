"""A stand-in OpenID Connect provider behind an httpx MockTransport: discovery, JWKS, a
token endpoint that checks the client's secret (form-decoded from HTTP Basic, as RFC 6749
2.3.1 asks) and the PKCE verifier, userinfo, and an end-session endpoint. Each behaviour
a real provider may have (other algorithms, claims only at userinfo, an outage of the key
set, rotated keys) is one attribute to change."""
from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, unquote_plus, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey, RSAKey
from lxml import html as lxml_html

from app import create_app

from .fakes import sample_catalogue

ISSUER = "https://idp.test"
CLIENT_ID = "pkip-test"
CLIENT_SECRET = "s3cret"
PROFILE = {"serialNumber": "PNOLV-161175-19997", "given_name": "Jānis", "family_name": "Ozols"}


def signing_key(algorithm: str, kid: str):
    parameters = {"kid": kid, "use": "sig", "alg": algorithm}
    if algorithm.startswith(("RS", "PS")):
        return RSAKey.generate_key(2048, parameters=parameters)
    if algorithm.startswith("ES"):
        return ECKey.generate_key("P-256", parameters=parameters)
    return OKPKey.generate_key("Ed25519", parameters=parameters)


def provider_logout_link(response) -> str:
    """The link on the "you have signed out" page that ends the provider's session."""
    page = lxml_html.fromstring(response.get_data(as_text=True))
    return page.xpath("//main//a[contains(@class, 'button')]/@href")[0]


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class StandInProvider:
    def __init__(self):
        self.algorithm = "RS256"
        self.key = signing_key("RS256", "k1")
        self.published: list | None = None       # keys in the JWKS (default: [self.key])
        self.secret = CLIENT_SECRET
        self.id_token_claims = dict(PROFILE)     # profile claims put in the id_token
        self.userinfo_claims: dict = {}          # ... and those released at userinfo
        self.userinfo_sub = "abc"
        self.jwks_status = 200
        self.end_session = True
        self.codes: dict[str, dict] = {}
        self.access_tokens: set[str] = set()
        self.nonce_override: str | None = None
        self.requests: list[httpx.Request] = []

    def rotate(self, algorithm: str = "RS256") -> None:
        """Sign with a fresh key under a new kid and publish only that one."""
        self.algorithm, self.key = algorithm, signing_key(algorithm, f"k{len(self.requests) + 2}")
        self.published = None

    def authorize(self, url: str) -> str:
        """What the browser does at the provider: returns the callback's query string."""
        query = query_of(url)
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = f"code-{len(self.codes)}-{time.monotonic_ns()}"
        self.codes[code] = query
        return f"code={code}&state={query['state']}"

    def metadata(self) -> dict:
        found = {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize",
                 "token_endpoint": f"{ISSUER}/token", "jwks_uri": f"{ISSUER}/jwks",
                 "userinfo_endpoint": f"{ISSUER}/me",
                 "id_token_signing_alg_values_supported": ["RS256", "PS256", "ES256", "EdDSA", "HS256", "none"]}
        if self.end_session:
            found["end_session_endpoint"] = f"{ISSUER}/session/end"
        return found

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json=self.metadata())
        if request.url.path == "/jwks":
            keys = self.published if self.published is not None else [self.key]
            body = {"keys": [key.as_dict(private=False) for key in keys]}
            return httpx.Response(self.jwks_status, json=body if self.jwks_status == 200 else {})
        if request.url.path == "/token":
            return self.token(request)
        if request.url.path == "/me":
            return self.userinfo(request)
        return httpx.Response(404)

    def client_authenticated(self, request: httpx.Request) -> bool:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme != "Basic":
            return False
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        return unquote_plus(user) == CLIENT_ID and unquote_plus(password) == self.secret

    def token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if not self.client_authenticated(request):
            return httpx.Response(401, json={"error": "invalid_client", "error_description": "client authentication failed"})
        sent = self.codes.pop(form.get("code"), None)
        if sent is None:
            return httpx.Response(400, json={"error": "invalid_grant"})
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form["code_verifier"].encode()).digest()).rstrip(b"=")
        if challenge.decode() != sent["code_challenge"] or form["redirect_uri"] != sent["redirect_uri"]:
            return httpx.Response(400, json={"error": "invalid_grant"})
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "abc", "iat": now, "exp": now + 300, "auth_time": now,
                  "nonce": self.nonce_override or sent["nonce"], **self.id_token_claims}
        id_token = jwt.encode({"alg": self.algorithm, "kid": self.key.kid}, claims, self.key,
                              algorithms=[self.algorithm])
        access_token = f"at-{now}-{len(self.access_tokens)}"
        self.access_tokens.add(access_token)
        return httpx.Response(200, json={"access_token": access_token, "token_type": "Bearer", "id_token": id_token})

    def userinfo(self, request: httpx.Request) -> httpx.Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.access_tokens:
            return httpx.Response(401, json={"error": "invalid_token"})
        return httpx.Response(200, json={"sub": self.userinfo_sub, **self.userinfo_claims})


def oidc_app_for(app_config: dict, provider: StandInProvider, **settings):
    """An app whose OpenID Connect client talks to `provider`."""
    application = create_app({**app_config, "oidc_issuer": ISSUER, "oidc_client_id": CLIENT_ID,
                              "oidc_client_secret": CLIENT_SECRET, **settings}, catalogue=sample_catalogue())
    application.extensions["pkip_identity"]["oidc"].transport = httpx.MockTransport(provider.handle)
    return application


@pytest.fixture
def provider():
    return StandInProvider()


@pytest.fixture
def oidc_app(app_config, provider):
    application = oidc_app_for(app_config, provider)
    yield application
    application.extensions["pkip"].database.dispose()


def start(client, next_url="/riga/"):
    """Click "sign in": the URL the browser is sent to at the provider."""
    response = client.get(f"/signin/oidc?next={next_url}")
    assert response.status_code == 302
    return response.headers["Location"]
