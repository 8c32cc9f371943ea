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

from ..saml import IDENTITY_CLAIMS, SAML1, WIF_CLAIMS, WST
from ..xmlenc import encrypt_element
from .keys import StandInKeys

CLAIMS = IDENTITY_CLAIMS
# as latvija.lv writes them (docs/signin.md): the subject's format, and the sign-in method
# (the real one names the bank or eID used; the stand-in names itself)
NAME_ID_FORMAT = "urn:ivis:100001:name.id-viss"
STANDIN_METHOD = "urn:ivis:100001:am-pkip-standin"
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
    etree.SubElement(subject, f"{{{SAML1}}}NameIdentifier", Format=NAME_ID_FORMAT).text = name_identifier
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
                                      AuthenticationMethod=STANDIN_METHOD,
                                      AuthenticationInstant=_time(issued.now))
    _subject(authentication, issued.name_identifier)
    return assertion


def signed_assertion(issued: Issued, keys: StandInKeys) -> etree._Element:
    return sign_assertion(assertion_element(issued), keys)


def sign_assertion(assertion: etree._Element, keys: StandInKeys) -> etree._Element:
    """`assertion` signed (enveloped, over its AssertionID)."""
    signer = XMLSigner(method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=EXCLUSIVE_C14N)
    return signer.sign(assertion, key=keys.key_pem, cert=[keys.certificate_pem],
                       reference_uri=assertion.get("AssertionID"), id_attribute="AssertionID")


WSP = "http://schemas.xmlsoap.org/ws/2004/09/policy"
WSA = "http://www.w3.org/2005/08/addressing"


def wresult(token: etree._Element, realm: str) -> str:
    """The WS-Trust 1.3 RequestSecurityTokenResponseCollection around `token` (a signed
    assertion, or its EncryptedData), in the shape latvija.lv sends (docs/signin.md)."""
    collection = etree.Element(f"{{{WST}}}RequestSecurityTokenResponseCollection", nsmap={"trust": WST})
    response = etree.SubElement(collection, f"{{{WST}}}RequestSecurityTokenResponse")
    applies_to = etree.SubElement(response, f"{{{WSP}}}AppliesTo", nsmap={"wsp": WSP})
    reference = etree.SubElement(applies_to, f"{{{WSA}}}EndpointReference", nsmap={"wsa": WSA})
    etree.SubElement(reference, f"{{{WSA}}}Address").text = realm
    etree.SubElement(response, f"{{{WST}}}RequestedSecurityToken").append(token)
    etree.SubElement(response, f"{{{WST}}}TokenType").text = "urn:oasis:names:tc:SAML:1.0:assertion"
    etree.SubElement(response, f"{{{WST}}}RequestType").text = f"{WST}/Issue"
    return etree.tostring(collection, encoding="unicode")


def issue_wresult(issued: Issued, keys: StandInKeys, encrypt_for: rsa.RSAPublicKey | None = None) -> str:
    token = signed_assertion(issued, keys)
    return wresult(encrypt_element(token, encrypt_for) if encrypt_for is not None else token, issued.realm)
