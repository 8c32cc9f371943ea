"""Staff sign-in with the organisation's OpenID Connect provider (`staff_oidc_*`), on the
residents' client code, against the project's stand-in provider: the verified e-mail
claim must name an existing, enabled staff account (none is created); the session is a
staff session, never a resident's."""
from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from app import create_app
from runtime.cases.staff_accounts import disable_user
from runtime.cases.clock import Clock
from runtime.config import ConfigError, load_settings
from runtime.storage.models import AuditEntry, StaffUser

from ..oidc_standin import CLIENT_ID, CLIENT_SECRET, ISSUER, StandInProvider
from .conftest import ROOT, make_staff

BUTTON = "Pierakstīties ar savas organizācijas kontu"
STAFF_SETTINGS = {"staff_oidc_issuer": ISSUER, "staff_oidc_client_id": CLIENT_ID,
                  "staff_oidc_client_secret": CLIENT_SECRET}


def organisation_app(app_config, catalogue, provider, **settings):
    application = create_app({**app_config, "definitions_path": str(ROOT / "definitions"), **STAFF_SETTINGS,
                              **settings}, catalogue=catalogue)
    application.extensions["pkip_staff_oidc"].transport = httpx.MockTransport(provider.handle)
    return application


@pytest.fixture
def provider():
    found = StandInProvider()
    found.id_token_claims = {"email": "Rita@Riga.lv", "email_verified": True}
    return found


@pytest.fixture
def app(app_config, shipped_catalogue, provider):
    application = organisation_app(app_config, shipped_catalogue, provider)
    make_staff(application, "rita@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
    yield application
    application.extensions["pkip"].database.dispose()


def through_provider(client, provider, next_url="/staff/riga/inbox"):
    started = client.get(f"/staff/signin/oidc?next={next_url}")
    assert started.status_code == 302 and started.headers["Location"].startswith(f"{ISSUER}/authorize")
    return client.get(f"/staff/signin/oidc/callback?{provider.authorize(started.headers['Location'])}")


def test_a_member_signs_in_with_the_organisation_into_a_staff_session_only(app, provider):
    client = app.test_client()
    assert BUTTON in client.get("/staff/signin").get_data(as_text=True)
    response = through_provider(client, provider)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/riga/inbox"
    assert "pkip_staff=" in response.headers["Set-Cookie"] and "Path=/staff" in response.headers["Set-Cookie"]
    assert "Rita Kļava" in client.get("/staff/").get_data(as_text=True)
    assert client.get("/staff/riga/inbox").status_code == 200
    with client.session_transaction() as session:
        assert "person" not in session and "staff_oidc_pending" not in session     # no resident signed in
    assert client.get("/my/").status_code == 302                                   # "my applications" asks to sign in
    with app.extensions["pkip"].database.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff.signin")).all()
        assert entry.details == {"via": "oidc"} and entry.municipality_id == "riga"
    token_requests = [r for r in provider.requests if r.url.path == "/token"]
    assert len(token_requests) == 1 and "staff" in token_requests[0].content.decode()      # its own callback


@pytest.mark.parametrize("claims", [
    {"email": "nobody@riga.lv", "email_verified": True},     # no such account: none is created
    {"email": "rita@riga.lv", "email_verified": False},      # an address the provider has not verified
    {"name": "Rita"},                                        # no e-mail claim at all
])
def test_no_staff_session_without_an_enabled_account_for_a_verified_address(app, provider, claims):
    provider.id_token_claims = claims
    client = app.test_client()
    response = through_provider(client, provider)
    assert response.status_code == 401 and "nav darbinieka konta" in response.get_data(as_text=True)
    assert "pkip_staff=" not in response.headers.get("Set-Cookie", "")
    assert client.get("/staff/").status_code == 302
    with app.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(StaffUser)) == 1


def test_a_disabled_account_cannot_sign_in_with_the_organisation(app, provider):
    disable_user(app.extensions["pkip"].database, "rita@riga.lv", Clock())
    response = through_provider(app.test_client(), provider)
    assert response.status_code == 401


def test_a_callback_this_browser_did_not_start_is_refused(app, provider):
    other = app.test_client()
    started = other.get("/staff/signin/oidc").headers["Location"]
    answer = provider.authorize(started)
    response = app.test_client().get(f"/staff/signin/oidc/callback?{answer}")
    assert response.status_code == 401 and "neizdevās" in response.get_data(as_text=True)


def test_the_claim_that_names_the_account_is_a_setting(app_config, shipped_catalogue, provider):
    provider.id_token_claims = {"upn": "rita@riga.lv", "email": "someone.else@riga.lv"}
    application = organisation_app(app_config, shipped_catalogue, provider, staff_oidc_email_claim="upn")
    make_staff(application, "rita@riga.lv", "clerk", "riga", "environment")
    assert through_provider(application.test_client(), provider).status_code == 302
    application.extensions["pkip"].database.dispose()


def test_without_the_settings_there_is_no_button_and_no_route(staff_app):
    client = staff_app.test_client()
    assert BUTTON not in client.get("/staff/signin").get_data(as_text=True)
    assert client.get("/staff/signin/oidc").status_code == 404
    assert client.get("/staff/signin/oidc/callback?code=x&state=y").status_code == 404


@pytest.mark.parametrize("settings, says", [
    ({"staff_oidc_client_id": "x"}, "PKIP_STAFF_OIDC_ISSUER is required"),
    ({"staff_oidc_issuer": ISSUER}, "PKIP_STAFF_OIDC_CLIENT_ID is required"),
    ({"staff_oidc_issuer": "http://idp.test", "staff_oidc_client_id": "x"}, "must be an https:// URL"),
    ({**STAFF_SETTINGS, "staff_oidc_scopes": "email"}, "PKIP_STAFF_OIDC_SCOPES must include openid"),
])
def test_incomplete_staff_oidc_settings_stop_start_up(tmp_path, settings, says):
    with pytest.raises(ConfigError, match=says):
        load_settings({"instance_path": str(tmp_path), **settings}, environ={})
