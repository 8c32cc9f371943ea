"""A SAML 1.1 assertion from a WS-Federation `wresult`, verified: decrypted when it comes
encrypted, its XML signature checked by signxml against the one pinned certificate (never
a certificate the message brings), issued by the expected issuer, meant for our realm
and inside its validity window. Only the element the signature covers is read, so a
second, unsigned assertion wrapped around or beside it is never believed.

Parsing is hardened (no entities, no network, no DTD) and the wresult is size-limited
before it is parsed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import InvalidInput, SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidSignature

from .xmlenc import DecryptionFailed, decrypt_element

SAML1 = "urn:oasis:names:tc:SAML:1.0:assertion"
# latvija.lv answers in WS-Trust 1.3 (a RequestSecurityTokenResponseCollection, as public
# clients' fixtures show: docs/signin.md); the February 2005 draft is accepted too.
WST = "http://docs.oasis-open.org/ws-sx/ws-trust/200512"
WST_2005 = "http://schemas.xmlsoap.org/ws/2005/02/trust"
XENC = "http://www.w3.org/2001/04/xmlenc#"
WIF_CLAIMS = "http://schemas.xmlsoap.org/ws/2009/09/identity/claims"
# the namespace of givenname, surname and privatepersonalidentifier (AttributeNamespace);
# the same names in another namespace are not the person's
IDENTITY_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
NS = {"saml": SAML1, "wst": WST, "wst2005": WST_2005, "xenc": XENC}
MAX_WRESULT_BYTES = 256 * 1024
CLOCK_LEEWAY = timedelta(minutes=2)
MAX_LIFETIME = timedelta(hours=1)


class AssertionRefused(ValueError):
    """The wresult is not a valid, current assertion for us; `reason` is for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class AssertionExpired(AssertionRefused):
    """The assertion was good but its NotOnOrAfter has passed: the resident signs in again."""


@dataclass(frozen=True)
class Attribute:
    name: str
    value: str
    original_issuer: str | None
    namespace: str = IDENTITY_CLAIMS


@dataclass(frozen=True)
class Assertion:
    assertion_id: str
    issuer: str
    not_on_or_after: datetime
    name_identifier: str
    attributes: tuple[Attribute, ...]

    def values(self, name: str, namespace: str = IDENTITY_CLAIMS) -> list[Attribute]:
        return [attribute for attribute in self.attributes
                if attribute.name == name and attribute.namespace == namespace]

    def value(self, name: str) -> str:
        found = self.values(name)
        return found[0].value if found else ""


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True)


def parse_time(text: str | None) -> datetime:
    if not text:
        raise AssertionRefused("a required time is missing")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise AssertionRefused(f"{text[:40]!r} is not a time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Expectations:
    """What a good assertion must be: from `issuer`, signed with `certificate`, for
    `realm`; `decryption_key` opens encrypted ones."""
    issuer: str
    realm: str
    certificate: x509.Certificate
    decryption_key: rsa.RSAPrivateKey | None = None
    accept_cbc: bool = True          # False: AES-GCM only (`latvija_accept_cbc`)


def verified_assertion(wresult: str, expected: Expectations, now: datetime) -> Assertion:
    if len(wresult.encode()) > MAX_WRESULT_BYTES:
        raise AssertionRefused("the wresult is larger than any assertion")
    try:
        response = etree.fromstring(wresult.encode(), hardened_parser())
    except etree.XMLSyntaxError:
        raise AssertionRefused("the wresult is not well-formed XML") from None
    signed = _verified_signature(_the_assertion(response, expected), expected.certificate)
    return _checked(signed, expected, now)


def _the_assertion(response: etree._Element, expected: Expectations) -> etree._Element:
    """The one assertion in the response's RequestedSecurityToken, decrypted if needed."""
    tokens = response.xpath("//wst:RequestedSecurityToken | //wst2005:RequestedSecurityToken", namespaces=NS)
    if len(tokens) != 1:
        raise AssertionRefused(f"expected one RequestedSecurityToken, found {len(tokens)}")
    children = [child for child in tokens[0] if isinstance(child.tag, str)]
    if len(children) != 1:
        raise AssertionRefused(f"the RequestedSecurityToken holds {len(children)} elements, not one")
    encrypted = tokens[0].xpath("xenc:EncryptedData", namespaces=NS)
    if encrypted:
        if expected.decryption_key is None:
            raise AssertionRefused("the assertion is encrypted but no decryption key is configured")
        try:
            return decrypt_element(encrypted[0], expected.decryption_key, hardened_parser(),
                                   accept_cbc=expected.accept_cbc)
        except DecryptionFailed as error:     # one message for every cause: no oracle, not even in the log
            raise AssertionRefused(str(error)) from None
    assertions = tokens[0].xpath("saml:Assertion", namespaces=NS)
    if len(assertions) != 1 or len(response.xpath("//saml:Assertion", namespaces=NS)) != 1:
        raise AssertionRefused("expected exactly one SAML 1.1 assertion")
    return assertions[0]


def _verified_signature(assertion: etree._Element, certificate: x509.Certificate) -> etree._Element:
    """The element the signature covers, which must be the assertion itself."""
    try:
        result = XMLVerifier().verify(
            etree.tostring(assertion), x509_cert=certificate, id_attribute="AssertionID", parser=hardened_parser(),
            expect_config=SignatureConfiguration(require_x509=False, location="./", expect_references=1))
    except (InvalidSignature, InvalidInput) as error:
        raise AssertionRefused(f"the signature is not valid: {type(error).__name__}: {str(error)[:120]}") from None
    signed = result.signed_xml
    if signed is None or signed.tag != f"{{{SAML1}}}Assertion" or signed.get("AssertionID") != assertion.get("AssertionID"):
        raise AssertionRefused("the signature does not cover the assertion")
    return signed


def _checked(signed: etree._Element, expected: Expectations, now: datetime) -> Assertion:
    if (signed.get("MajorVersion"), signed.get("MinorVersion")) != ("1", "1"):
        raise AssertionRefused("not a SAML 1.1 assertion")
    if signed.get("Issuer") != expected.issuer:
        raise AssertionRefused("the assertion names another issuer")
    conditions = signed.find(f"{{{SAML1}}}Conditions")
    if conditions is None:
        raise AssertionRefused("the assertion has no conditions")
    not_before, not_after = parse_time(conditions.get("NotBefore")), parse_time(conditions.get("NotOnOrAfter"))
    if now + CLOCK_LEEWAY < not_before:
        raise AssertionRefused("the assertion is not valid yet")
    if now - CLOCK_LEEWAY >= not_after:
        raise AssertionExpired("the assertion has expired")
    if not_after - not_before > MAX_LIFETIME:
        raise AssertionRefused("the assertion claims a validity longer than an hour")
    audiences = conditions.xpath("saml:AudienceRestrictionCondition/saml:Audience/text()", namespaces=NS)
    if expected.realm not in [audience.strip() for audience in audiences]:
        raise AssertionRefused("the assertion is meant for another audience")
    return Assertion(assertion_id=signed.get("AssertionID") or "", issuer=expected.issuer, not_on_or_after=not_after,
                     name_identifier=_name_identifier(signed), attributes=_attributes(signed))


def _name_identifier(signed: etree._Element) -> str:
    found = {text.strip() for text in signed.xpath("saml:*/saml:Subject/saml:NameIdentifier/text()", namespaces=NS)}
    if len(found) != 1:
        raise AssertionRefused("the assertion does not name exactly one subject")
    return found.pop()


def _attributes(signed: etree._Element) -> tuple[Attribute, ...]:
    found = []
    for attribute in signed.xpath("saml:AttributeStatement/saml:Attribute", namespaces=NS):
        issuer = attribute.get(f"{{{WIF_CLAIMS}}}OriginalIssuer") or attribute.get("OriginalIssuer")
        for value in attribute.xpath("saml:AttributeValue", namespaces=NS):
            found.append(Attribute(attribute.get("AttributeName", ""), "".join(value.itertext()).strip(), issuer,
                                   attribute.get("AttributeNamespace", "")))
    return tuple(found)
