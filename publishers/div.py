"""DIV / e-adrese: a result document to the recipient's official e-address.

The message is an `Envelope` in the DIV namespace: `SenderDocument Id="SenderSection"`
with GeneralMetadata (Title, Date, DocumentKind, Authors, Description) and a
PayloadReference/File per attachment (MimeType, Size, Name, ContentReference and its
SHA-512 DigestValue), then SenderTransportMetadata (SenderE-Address, SenderRefNumber,
Recipients, NotifySenderOnDelivery, Priority, TraceInfo), and `Signatures` with a
XAdES-BES signature (RSA-SHA512, signxml) over the SenderSection. It travels as
`SendMessageInput` (namespace http://vraa.gov.lv/xmlschemas/div/uui/2011/11) with the
attachments' content, inside SOAP 1.2 with WS-Addressing (Action, MessageID, To) and a
WS-Security header with a Timestamp and a signature over it, over mutual TLS.

`build` (pure) makes the unsigned SendMessageInput; `send` signs it with the sender's key,
wraps it and posts it. WS-Addressing's MessageID is derived from the idempotency key, so a
retry is the same message to the server. A SOAP Sender fault (HTTP 400: unknown
addressee, bad signature or digest) is a permanent refusal; a Receiver fault (500), a
timeout or a dropped connection is temporary.
"""
from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from lxml import etree
from signxml import CanonicalizationMethod, SignatureConstructionMethod, XMLSigner
from signxml.xades import XAdESSigner

from . import http, settings as parse
from .contract import Outgoing, PermanentRefusal, PlainData, Publisher, Receipt, Setting, TemporaryFailure

DIV = "http://ivis.eps.gov.lv/XMLSchemas/100001/DIV/v1-0"
UUI = "http://vraa.gov.lv/xmlschemas/div/uui/2011/11"
SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
SEND_ACTION = "http://vraa.gov.lv/div/uui/2011/11/UnifiedServiceInterface/SendMessage"
EXCLUSIVE_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8"


def _sub(parent: etree._Element, namespace: str, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def message_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'pkip:' + key)}"


def envelope(data: PlainData) -> tuple[etree._Element, list[tuple[str, bytes]]]:
    """The unsigned DIV Envelope and its attachments (content id, bytes)."""
    root = etree.Element(f"{{{DIV}}}Envelope", nsmap={None: DIV, "ds": DS})   # one prefix: c14n keeps it
    sender = _sub(root, DIV, "SenderDocument", Id="SenderSection")
    metadata = _sub(sender, DIV, "DocumentMetadata")
    general = _sub(metadata, DIV, "GeneralMetadata")
    _sub(general, DIV, "Title", data["title"])
    _sub(general, DIV, "Date", data["date"])
    kind = _sub(general, DIV, "DocumentKind")
    _sub(kind, DIV, "DocumentKindCode", data.get("document_kind", "DOC_EMPTY"))
    _sub(kind, DIV, "DocumentKindVersion", "v1_0")
    _sub(kind, DIV, "DocumentKindName", data.get("document_kind_name", "Dokuments"))
    author = _sub(_sub(_sub(general, DIV, "Authors"), DIV, "AuthorEntry"), DIV, "Institution")
    _sub(author, DIV, "Title", data["sender_name"])
    _sub(general, DIV, "Description", data.get("description") or data["title"])
    payload = _sub(metadata, DIV, "PayloadReference")
    attachments = []
    for index, file in enumerate(data["files"], start=1):
        content = base64.b64decode(file["content"])
        content_id = f"attachment-{index}"
        entry = _sub(payload, DIV, "File")
        _sub(entry, DIV, "MimeType", file["media_type"])
        _sub(entry, DIV, "Size", str(len(content)))
        _sub(entry, DIV, "Name", file["name"])
        reference = _sub(entry, DIV, "Content")
        _sub(reference, DIV, "ContentReference", f"cid:{content_id}")
        _sub(reference, DS, "DigestMethod", Algorithm=SHA512)
        _sub(reference, DS, "DigestValue", base64.b64encode(hashlib.sha512(content).digest()).decode())
        attachments.append((content_id, content))
    transport = _sub(sender, DIV, "SenderTransportMetadata")
    _sub(transport, DIV, "SenderE-Address", data["sender_e_address"])
    _sub(transport, DIV, "SenderRefNumber", data["reference"])
    recipients = _sub(transport, DIV, "Recipients")
    _sub(_sub(recipients, DIV, "RecipientEntry"), DIV, "RecipientE-Address", data["recipient_e_address"])
    _sub(transport, DIV, "NotifySenderOnDelivery", "true")
    _sub(transport, DIV, "Priority", "normal")
    _sub(transport, DIV, "TraceInfo", f"pkip {data['reference']}")
    signatures = _sub(root, DIV, "Signatures")
    _sub(signatures, DS, "Signature", Id="placeholder")     # where signxml puts the signature
    return root, attachments


def send_message_input(data: PlainData) -> etree._Element:
    root = etree.Element(f"{{{UUI}}}SendMessageInput", nsmap={None: UUI})
    div_envelope, attachments = envelope(data)
    root.append(div_envelope)
    section = _sub(root, UUI, "AttachmentsInput")
    for content_id, content in attachments:
        attachment = _sub(section, UUI, "AttachmentInput")
        _sub(attachment, UUI, "ContentId", content_id)
        _sub(attachment, UUI, "Content", base64.b64encode(content).decode())
    return root


def sign_envelope(div_envelope: etree._Element, key_pem: bytes, certificate_pem: str) -> etree._Element:
    """A signed copy of the Envelope: XAdES-BES (RSA-SHA512) over the SenderSection, in
    place of the placeholder, signed standalone so that no outer namespace enters it."""
    signer = XAdESSigner(method=SignatureConstructionMethod.enveloped, signature_algorithm="rsa-sha512",
                         digest_algorithm="sha512", c14n_algorithm=EXCLUSIVE_C14N)
    standalone = etree.fromstring(etree.tostring(div_envelope))
    return signer.sign(standalone, key=key_pem, cert=[certificate_pem], reference_uri="#SenderSection")


def sign_timestamp(soap: etree._Element, key_pem: bytes, certificate_pem: str) -> None:
    """The WS-Security header signature: RSA-SHA512 over the Timestamp (wsu:Id TS-1),
    placed in wsse:Security, so that a replayed or delayed message shows."""
    signer = XMLSigner(method=SignatureConstructionMethod.detached, signature_algorithm="rsa-sha512",
                       digest_algorithm="sha512", c14n_algorithm=EXCLUSIVE_C14N)
    signature = signer.sign(soap, key=key_pem, cert=[certificate_pem], reference_uri="#TS-1",
                            id_attribute="Id")   # wsu:Id, matched by local name
    soap.find(f"{{{SOAP}}}Header/{{{WSSE}}}Security").append(signature)


def soap_message(body: etree._Element, *, to: str, key: str, now: datetime,
                 signing: tuple[bytes, str] | None = None) -> bytes:
    soap = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"s": SOAP, "a": WSA, "o": WSSE, "u": WSU})
    header = _sub(soap, SOAP, "Header")
    _sub(header, WSA, "Action", SEND_ACTION)
    _sub(header, WSA, "MessageID", message_id(key))
    _sub(header, WSA, "To", to)
    stamp = _sub(_sub(header, WSSE, "Security"), WSU, "Timestamp", **{f"{{{WSU}}}Id": "TS-1"})
    _sub(stamp, WSU, "Created", now.isoformat(timespec="seconds").replace("+00:00", "Z"))
    _sub(stamp, WSU, "Expires", (now + timedelta(minutes=5)).isoformat(timespec="seconds").replace("+00:00", "Z"))
    _sub(soap, SOAP, "Body").append(body)
    if signing is not None:
        sign_timestamp(soap, *signing)
    return etree.tostring(soap, xml_declaration=True, encoding="utf-8")


class DivPublisher(Publisher):
    id = "div"
    title = "DIV e-address (result documents)"
    settings = (
        Setting("url", parse.optional_url, None, "the DIV unified service interface address (https); unset: off"),
        Setting("certificate", parse.optional_text, None, "PEM file: this system's certificate (mutual TLS and signing)"),
        Setting("key", parse.optional_text, None, "PEM file: its private key"),
        Setting("ca_file", parse.optional_text, None, "PEM file: the CA of the DIV server's certificate; else the system's"),
        Setting("timeout_seconds", parse.seconds, 30.0, "per request"),
        Setting("max_attempts", parse.attempts, 12, "tries before a document becomes a dead letter"),
    )

    def build(self, data: PlainData, key: str) -> Outgoing:
        body = etree.tostring(send_message_input(data))
        summary = f"{data['reference']}: {data['title']} -> e-address"
        return Outgoing(self.id, key, body, SOAP_CONTENT_TYPE, summary)

    def send(self, message: Outgoing, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        if not (settings.get("certificate") and settings.get("key")):
            raise TemporaryFailure("div: set div_certificate and div_key (mutual TLS and signing)")
        soap = signed_soap(message, settings, datetime.now(timezone.utc))
        signed = Outgoing(message.publisher, message.key, soap, message.content_type, message.summary)
        response = http.post(settings["url"], signed, timeout=settings["timeout_seconds"], transport=transport,
                             cert=(settings["certificate"], settings["key"]), verify=settings.get("ca_file") or True)
        return Receipt(self.id, message.key, _message_id_of(response.content))

    @classmethod
    def standin(cls, **options: Any) -> Any:
        from .div_standin import DivStandIn
        return DivStandIn(**options)


def signed_soap(message: Outgoing, settings: Mapping[str, Any], now: datetime) -> bytes:
    """The SOAP 1.2 request: the built SendMessageInput, its Envelope signed with the
    sender's key, under WS-Addressing and WS-Security Timestamp headers."""
    body = etree.fromstring(message.body)
    with open(settings["key"], "rb") as file:
        key_pem = file.read()
    with open(settings["certificate"], encoding="ascii") as file:
        certificate_pem = file.read()
    unsigned = body.find(f"{{{DIV}}}Envelope")
    body.replace(unsigned, sign_envelope(unsigned, key_pem, certificate_pem))
    return soap_message(body, to=settings["url"], key=message.key, now=now, signing=(key_pem, certificate_pem))


def _message_id_of(answer: bytes) -> str:
    try:
        found = etree.fromstring(answer).find(f".//{{{UUI}}}MessageId")
    except etree.XMLSyntaxError:
        found = None
    if found is None or not found.text:
        raise PermanentRefusal("div: the answer has no SendMessageOutput/MessageId")
    return found.text


PUBLISHER = DivPublisher()
