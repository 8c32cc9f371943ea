"""What the latvija.lv stand-in sends: a WS-Federation `wresult` carrying a SAML 1.1
assertion signed with signxml (RSA-SHA256, exclusive canonicalisation, enveloped, as the
SAML 1.1 schema places it), optionally encrypted for the site's key."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import XMLSigner, methods

from ..saml import SAML1, WIF_CLAIMS, WST
from ..xmlenc import encrypt_element
from .keys import StandInKeys

CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
BEARER = "urn:oasis:names:tc:SAML:1.0:cm:bearer"
EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


@dataclass
class Issued:
    """One assertion to issue; `attributes` are (name, value, OriginalIssuer or None)."""
    issuer: str
    realm: str
    name_identifier: str
    attributes: list[tuple[str, str, str | None]]
    now: datetime
    lifetime: timedelta = timedelta(minutes=5)
    assertion_id: str = field(default_factory=lambda: "_" + secrets.token_hex(16))


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _subject(parent: etree._Element, name_identifier: str) -> None:
    subject = etree.SubElement(parent, f"{{{SAML1}}}Subject")
    etree.SubElement(subject, f"{{{SAML1}}}NameIdentifier").text = name_identifier
    confirmation = etree.SubElement(subject, f"{{{SAML1}}}SubjectConfirmation")
    etree.SubElement(confirmation, f"{{{SAML1}}}ConfirmationMethod").text = BEARER


def assertion_element(issued: Issued) -> etree._Element:
    assertion = etree.Element(f"{{{SAML1}}}Assertion", nsmap={"saml": SAML1}, MajorVersion="1", MinorVersion="1",
                              AssertionID=issued.assertion_id, Issuer=issued.issuer, IssueInstant=_time(issued.now))
    conditions = etree.SubElement(assertion, f"{{{SAML1}}}Conditions", NotBefore=_time(issued.now),
                                  NotOnOrAfter=_time(issued.now + issued.lifetime))
    restriction = etree.SubElement(conditions, f"{{{SAML1}}}AudienceRestrictionCondition")
    etree.SubElement(restriction, f"{{{SAML1}}}Audience").text = issued.realm
    statement = etree.SubElement(assertion, f"{{{SAML1}}}AttributeStatement")
    _subject(statement, issued.name_identifier)
    for name, value, original_issuer in issued.attributes:
        attribute = etree.SubElement(statement, f"{{{SAML1}}}Attribute", AttributeName=name, AttributeNamespace=CLAIMS)
        if original_issuer:
            attribute.set(f"{{{WIF_CLAIMS}}}OriginalIssuer", original_issuer)
        etree.SubElement(attribute, f"{{{SAML1}}}AttributeValue").text = value
    authentication = etree.SubElement(assertion, f"{{{SAML1}}}AuthenticationStatement",
                                      AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:unspecified",
                                      AuthenticationInstant=_time(issued.now))
    _subject(authentication, issued.name_identifier)
    return assertion


def signed_assertion(issued: Issued, keys: StandInKeys) -> etree._Element:
    signer = XMLSigner(method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=EXCLUSIVE_C14N)
    return signer.sign(assertion_element(issued), key=keys.key_pem, cert=[keys.certificate_pem],
                       reference_uri=issued.assertion_id, id_attribute="AssertionID")


def wresult(token: etree._Element, realm: str) -> str:
    """The RequestSecurityTokenResponse around `token` (a signed assertion, or its
    EncryptedData)."""
    response = etree.Element(f"{{{WST}}}RequestSecurityTokenResponse", nsmap={"wst": WST})
    etree.SubElement(etree.SubElement(response, f"{{{WST}}}AppliesTo"), f"{{{WST}}}Address").text = realm
    etree.SubElement(response, f"{{{WST}}}RequestedSecurityToken").append(token)
    etree.SubElement(response, f"{{{WST}}}TokenType").text = "urn:oasis:names:tc:SAML:1.0:assertion"
    return etree.tostring(response, encoding="unicode")


def issue_wresult(issued: Issued, keys: StandInKeys, encrypt_for: rsa.RSAPublicKey | None = None) -> str:
    token = signed_assertion(issued, keys)
    return wresult(encrypt_element(token, encrypt_for) if encrypt_for is not None else token, issued.realm)
