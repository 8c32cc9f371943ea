"""The providers against the shapes the real services send (docs/signin.md, issue 12 part
4): a latvija.lv answer as public clients' fixtures show it (WS-Trust 1.3 collection,
identity claims in their namespace beside others, a former code without OriginalIssuer),
the February 2005 envelope still, and eParaksts' documented token and userinfo answers."""
from __future__ import annotations

import httpx
from lxml import etree

from runtime.auth import DEVELOPMENT_REALM
from runtime.auth.eparaksts import TOKEN_PATH, USERINFO_PATH
from runtime.auth.saml import IDENTITY_CLAIMS, SAML1, WIF_CLAIMS, WST, WST_2005
from runtime.auth.standins.wsfed import NAME_ID_FORMAT, assertion_element, sign_assertion, wresult

from .signin_support import finish, issued, post_back, started
from .signin_support import app, database_url, signed_in  # noqa: F401 (fixtures)
from .test_eparaksts import through_faulty_service

CURRENT, FORMER = "32345678901", "16117519997"
IVIS_CLAIMS = "http://ivis.eps.gov.lv/schema/identity/claims"


def standin_keys(app):
    return app.extensions["pkip_standins"]["latvija"].keys


def add_attribute(assertion, name: str, value: str, namespace: str, original_issuer: str | None = None):
    statement = assertion.find(f"{{{SAML1}}}AttributeStatement")
    attribute = etree.SubElement(statement, f"{{{SAML1}}}Attribute", AttributeName=name, AttributeNamespace=namespace)
    if original_issuer:
        attribute.set(f"{{{WIF_CLAIMS}}}OriginalIssuer", original_issuer)
    etree.SubElement(attribute, f"{{{SAML1}}}AttributeValue").text = value


def latvija_shaped(app, extra=()) -> str:
    """As latvija.lv's test environment answered in 2019: names and the current code
    marked by OriginalIssuer, a former code unmarked, a QAA level in another namespace."""
    assertion = assertion_element(issued(f"PK:{CURRENT}", [("givenname", "ODS", "TESTidp"),
                                                             ("surname", "KNISLIS", "TESTidp"),
                                                             ("privatepersonalidentifier", CURRENT, "TESTidp"),
                                                             ("privatepersonalidentifier", FORMER, None)]))
    add_attribute(assertion, "citizenQAALevel", "4", IVIS_CLAIMS)
    for name, value, namespace, marked in extra:
        add_attribute(assertion, name, value, namespace, marked)
    return wresult(sign_assertion(assertion, standin_keys(app)), DEVELOPMENT_REALM)


def test_a_latvija_shaped_answer_signs_in_the_current_code(app):
    text = latvija_shaped(app)
    tree = etree.fromstring(text.encode())
    assert tree.tag == f"{{{WST}}}RequestSecurityTokenResponseCollection"
    assert tree.find(f".//{{{SAML1}}}NameIdentifier").get("Format") == NAME_ID_FORMAT
    client = app.test_client()
    assert finish(client, post_back(app, text, started(client)["wctx"])).status_code == 302
    person = signed_in(client)
    assert (person["given_name"], person["surname"]) == ("ODS", "KNISLIS")


def test_a_personal_code_in_another_namespace_is_not_the_persons(app):
    """A second, marked privatepersonalidentifier outside the identity claims would make the
    current code ambiguous if it counted; it does not."""
    text = latvija_shaped(app, [("privatepersonalidentifier", "01019012349", IVIS_CLAIMS, "other"),
                                ("givenname", "MALLORY", IVIS_CLAIMS, None)])
    client = app.test_client()
    assert finish(client, post_back(app, text, started(client)["wctx"])).status_code == 302
    assert signed_in(client)["given_name"] == "ODS"


def test_the_february_2005_envelope_is_still_accepted(app):
    text = latvija_shaped(app).replace(WST, WST_2005)
    client = app.test_client()
    assert finish(client, post_back(app, text, started(client)["wctx"])).status_code == 302
    assert signed_in(client) is not None


def test_the_identity_claims_namespace_is_the_one_latvija_uses():
    assert IDENTITY_CLAIMS == "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"


def test_eparaksts_documented_answers_sign_in(app):
    """The token and userinfo answers as developers.eparaksts.lv shows them (Bearer with a
    capital, expires_in as text, no id_token; userinfo's sub, domain, acr, amr, eips)."""
    answers = {TOKEN_PATH: {"access_token": "a2b4", "token_type": "Bearer", "expires_in": "600"},
               USERINFO_PATH: {"sub": "ddf12735f35675ecb652e6e1a80e41f1", "domain": "citizen",
                               "acr": "urn:safelayer:tws:policies:authentication:level:high",
                               "amr": ["urn:eparaksts:tws:policies:authentication:adaptive:methods:sc_plugin"],
                               "given_name": "ANDRIS", "family_name": "PARAUDZIŠ", "name": "ANDRIS PARAUDZIŠ",
                               "serial_number": "PNOLV-010180-15097", "eips": "VAS LVRTC"}}
    client, response = through_faulty_service(
        app, lambda request: httpx.Response(200, json=answers[request.url.path.removeprefix("/_standin/eparaksts")]))
    assert response.status_code == 302 and signed_in(client)["surname"] == "PARAUDZIŠ"


def test_the_eparaksts_stand_in_answers_with_the_documented_members(app):
    import base64
    import hashlib

    from runtime.identity import Person

    standin = app.extensions["pkip_standins"]["eparaksts"]
    verifier = "v" * 43
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = standin.issue_code(Person("16117519997", "Jānis", "Ozols"), "https://site/cb", challenge)
    userinfo = standin.userinfo(standin.redeem(code, "https://site/cb", verifier))
    assert {"sub", "domain", "acr", "amr", "serial_number", "given_name", "family_name", "name", "eips"} <= set(userinfo)
    assert userinfo["serial_number"] == "PNOLV-16117519997" and userinfo["domain"] == "citizen"
