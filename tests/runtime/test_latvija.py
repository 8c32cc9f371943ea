"""Sign-in through latvija.lv (WS-Federation, SAML 1.1) against its stand-in: the whole
round trip with the cross-site POST, every subject form, a changed personal code, and
the refusals (replay, expired, wrong signature, wrong audience, wrong issuer, tampered
wresult, another browser's result), each with a clear page and no 500."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from flask import request, session
from lxml import etree
from lxml import html as lxml_html

from app import create_app
from runtime.auth import DEVELOPMENT_REALM
from runtime.auth.standins.keys import make_keys
from runtime.auth.standins.latvija import ISSUER
from runtime.config import ConfigError, load_settings
from runtime.identity import person_code_hash
from runtime.auth.saml import WST
from runtime.auth.standins.wsfed import Issued, assertion_element, issue_wresult, signed_assertion, wresult

from .fakes import sample_catalogue
from .signin_support import CODE, NAMES, finish, issued, page_csrf_token, post_back, started
from .signin_support import app, database_url, signed_in  # noqa: F401 (fixtures)

@pytest.fixture
def standin(app):
    return app.extensions["pkip_standins"]["latvija"]


def test_the_round_trip_through_the_stand_in(app):
    client = app.test_client()
    pending = started(client)
    page = client.post("/_standin/latvija/", data={**pending, "given_name": "Jānis", "surname": "Ozols",
                                                   "personal_code": "161175-19997", "acting_as": "self"})
    assert page.status_code == 200
    form = dict(lxml_html.fromstring(page.get_data(as_text=True)).forms[0].form_values())
    assert "EncryptedData" in form["wresult"] and "Ozols" not in form["wresult"]     # encrypted for the site
    response = finish(client, post_back(app, form["wresult"], form["wctx"]))
    assert response.status_code == 302 and response.headers["Location"] == "/riga/"
    assert "Jānis Ozols" in client.get("/riga/").get_data(as_text=True)


def test_an_unencrypted_signed_assertion_is_accepted_too(app, standin):
    client = app.test_client()
    pending = started(client)
    response = finish(client, post_back(app, issue_wresult(issued(), standin.keys), pending["wctx"]))
    assert response.status_code == 302 and signed_in(client)["given_name"] == "Jānis"


@pytest.mark.parametrize("name_identifier, kind, party", [
    (f"PK:{CODE}", None, None),
    (f"AU:90000012345-PK:{CODE}", "institution", "90000012345"),
    (f"PK:{CODE}-UR:40003245752", "company", "40003245752"),
    (f"DP:01019012349-PK:{CODE}", "person", "01019012349"),
])
def test_every_subject_form_signs_in_the_person_at_the_keyboard(app, standin, name_identifier, kind, party):
    provider = app.extensions["pkip_identity"]["latvija"]
    with app.test_request_context("/signin/latvija/callback", method="POST"):
        sealed = provider.accept_post({"wa": "wsignin1.0", "wctx": "c",
                                       "wresult": issue_wresult(issued(name_identifier), standin.keys)})
    with app.test_request_context(f"/signin/latvija/finish?result={sealed}"):
        session["latvija_pending"] = "c"
        person = provider.complete(request)
    assert person.personal_code == "161175-19997" and person.surname == "Ozols"
    assert (person.represented.kind, person.represented.identifier) == (kind, party) if kind else person.represented is None


def test_a_changed_code_signs_in_with_the_one_marked_current(app, standin):
    client = app.test_client()
    pending = started(client)
    codes = [("privatepersonalidentifier", "01019012349", None),
             ("privatepersonalidentifier", CODE, "urn:lv:population-register"), *NAMES]
    response = finish(client, post_back(app, issue_wresult(issued(attributes=codes), standin.keys), pending["wctx"]))
    assert response.status_code == 302
    assert signed_in(client)["hash"] == person_code_hash(CODE, app.config["SECRET_KEY"])


def refusal_text(response) -> str:
    assert response.status_code == 400, response.status_code
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_a_replayed_assertion_is_refused(app, standin):
    client = app.test_client()
    pending = started(client)
    once = issue_wresult(issued(), standin.keys)
    finish(client, post_back(app, once, pending["wctx"]))
    other = app.test_client()
    text = refusal_text(post_back(app, once, started(other)["wctx"]))
    assert "jau ir izmantota" in text and signed_in(other) is None


@pytest.mark.parametrize("changes, wording", [
    ({"shift": -timedelta(minutes=10)}, "derīgums ir beidzies"),
    ({"realm": "urn:someone-else"}, "Mēs nevarējām apstiprināt"),
    ({"issuer": "urn:another-idp"}, "Mēs nevarējām apstiprināt"),
    ({"shift": timedelta(minutes=10)}, "Mēs nevarējām apstiprināt"),
    ({"lifetime": timedelta(days=2)}, "Mēs nevarējām apstiprināt"),
])
def test_expired_foreign_and_future_assertions_are_refused(app, standin, changes, wording):
    client = app.test_client()
    assert wording in refusal_text(post_back(app, issue_wresult(issued(**changes), standin.keys), started(client)["wctx"]))
    assert signed_in(client) is None


def test_an_assertion_signed_by_another_key_is_refused(app):
    client = app.test_client()
    forged = issue_wresult(issued(), make_keys("somebody"))
    assert "Mēs nevarējām apstiprināt" in refusal_text(post_back(app, forged, started(client)["wctx"]))


@pytest.mark.parametrize("tamper", [
    lambda text: text.replace("Ozols", "Kalniņš"),                                   # a changed attribute
    lambda text: text.replace(f"PK:{CODE}", "PK:01019012349"),                       # a changed subject
    lambda text: text.replace("<trust:RequestedSecurityToken>", "<trust:RequestedSecurityToken><x/>"),
    lambda text: text[:len(text) // 2],                                              # cut off
    lambda text: "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",  # an entity
    lambda text: "not xml at all",
])
def test_a_tampered_wresult_is_refused(app, standin, tamper):
    client = app.test_client()
    original = issue_wresult(issued(), standin.keys)
    text = tamper(original)
    assert text != original                                                          # the tampering found its target
    assert "Mēs nevarējām apstiprināt" in refusal_text(post_back(app, text, started(client)["wctx"]))


def test_a_second_unsigned_assertion_wrapped_beside_the_signed_one_is_refused(app, standin):
    """XML signature wrapping: a forged assertion next to a genuinely signed one."""
    client = app.test_client()
    tree = etree.fromstring(wresult(signed_assertion(issued(), standin.keys), DEVELOPMENT_REALM).encode())
    forged = assertion_element(issued("PK:01019012349", [("privatepersonalidentifier", "01019012349", None), *NAMES]))
    tree.find(f".//{{{WST}}}RequestedSecurityToken").insert(0, forged)
    text = refusal_text(post_back(app, etree.tostring(tree).decode(), started(client)["wctx"]))
    assert "Mēs nevarējām apstiprināt" in text


def test_a_result_meant_for_another_browser_is_refused(app, standin):
    victim, attacker = app.test_client(), app.test_client()
    started(victim)
    answer = post_back(app, issue_wresult(issued(), standin.keys), started(attacker)["wctx"])
    assert refusal_text(finish(victim, answer))
    assert signed_in(victim) is None


def test_the_callback_is_the_only_form_without_a_csrf_token(app):
    client = app.test_client()
    assert client.post("/signout").status_code == 400
    assert client.post("/_standin/latvija/", data={"wreply": "http://localhost/signin/latvija/callback"}).status_code == 400
    assert post_back(app, "<x/>", "c").status_code == 400          # no CSRF token: refused as a sign-in, not a 500


def test_sign_out_goes_through_latvija_and_the_next_sign_in_asks_anew(app, standin):
    client = app.test_client()
    pending = started(client)
    finish(client, post_back(app, issue_wresult(issued(), standin.keys), pending["wctx"]))
    page = client.post("/signout", data={"csrf_token": page_csrf_token(client)})
    link = lxml_html.fromstring(page.get_data(as_text=True)).xpath("//main//a[contains(@class,'button')]/@href")[0]
    assert link.startswith("/_standin/latvija/?wa=wsignout1.0")
    assert "wfresh=0" in client.get("/signin/latvija?next=/riga/").headers["Location"]


def test_standins_exist_only_in_development_and_real_latvija_needs_its_settings(tmp_path):
    base = {"instance_path": str(tmp_path), "secret_key": "x" * 40}
    with pytest.raises(ConfigError, match="PKIP_SIGNIN_STANDINS is only allowed"):
        load_settings({**base, "env": "production", "signin_standins": True})
    with pytest.raises(ConfigError, match="must be an https:// URL"):
        load_settings({**base, "latvija_endpoint": "http://lvp.example/"})
    with pytest.raises(ConfigError, match="PKIP_LATVIJA_CERTIFICATE is required"):
        load_settings({**base, "latvija_endpoint": "https://lvp.example/", "latvija_realm": "urn:x",
                       "latvija_issuer": "urn:y"})


def test_a_configured_latvija_pins_the_certificate_from_its_file(app_config, tmp_path, standin):
    certificate = tmp_path / "latvija.pem"
    certificate.write_bytes(standin.keys.certificate_pem)
    application = create_app({**app_config, "latvija_endpoint": "https://lvp.example/", "latvija_realm": "urn:x",
                              "latvija_issuer": ISSUER, "latvija_certificate": str(certificate)},
                             catalogue=sample_catalogue())
    provider = application.extensions["pkip_identity"]["latvija"]
    assert provider.expected.certificate == standin.keys.certificate and provider.expected.realm == "urn:x"
    assert "standin_latvija" not in application.blueprints and not application.extensions["pkip_standins"]
    application.extensions["pkip"].database.dispose()
