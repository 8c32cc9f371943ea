"""A local DIV (e-adrese) stand-in: SOAP 1.2 with WS-Addressing, reached over mutual TLS
(`pki.server_tls_context`), implementing SendMessage as `publishers.div` speaks it. It
checks the SOAP and WS-Addressing headers and the WS-Security Timestamp, the Envelope's
structure, each attachment's size and SHA-512 digest, the XAdES-BES signature against the
certificates of the registered senders, and the addressee; it answers SendMessageOutput
with its MessageId, or a SOAP Fault as the real service does: `s:Sender` (HTTP 400) for
an unknown addressee, a bad signature or digest, a malformed message; each WS-Addressing
MessageID is applied once."""
from __future__ import annotations

import base64
import hashlib
import re
import uuid
from datetime import datetime, timezone
from typing import Any, Iterable

from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier
from werkzeug.wrappers import Request, Response

from .div import DIV, DS, EXCLUSIVE_C14N, SEND_ACTION, SOAP, UUI, WSA, WSSE, WSU
from .standin import StandIn

E_ADDRESS = re.compile(r"^_(DEFAULT|PRIVATE)@[0-9]{11}$")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Fault(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def soap_fault(code: str, reason: str, status: int = 400) -> Response:
    side = "s:Sender" if status < 500 else "s:Receiver"
    body = (f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP}"><s:Body><s:Fault>'
            f'<s:Code><s:Value>{side}</s:Value><s:Subcode><s:Value>{code}</s:Value></s:Subcode></s:Code>'
            f'<s:Reason><s:Text xml:lang="en">{reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>')
    return Response(body, status=status, content_type="application/soap+xml; charset=utf-8")


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path)
    if found is None or not (found.text or "").strip():
        raise Fault("InvalidMessage", f"missing {path.split('}')[-1]}")
    return found.text.strip()


class DivStandIn(StandIn):
    title = "DIV e-address stand-in"

    def __init__(self, *, senders: Iterable[str] = (), addressees: Iterable[str] | None = None, **options: Any):
        """`senders`: PEM certificates of the registered systems; `addressees`: the
        e-addresses that exist (None: every well-formed one)."""
        super().__init__(**options)
        self.senders = list(senders)
        self.addressees = set(addressees) if addressees is not None else None
        self.answers: dict[str, str] = {}          # WS-Addressing MessageID -> our MessageId
        self.mailboxes: dict[str, list[dict[str, Any]]] = {}

    def handle(self, request: Request) -> Response:
        if request.method != "POST" or not request.mimetype == "application/soap+xml":
            return soap_fault("InvalidMessage", "SOAP 1.2 (application/soap+xml) POST expected")
        try:
            soap = etree.fromstring(request.get_data(), PARSER)
            message_id = self._check_headers(soap)
            with self.lock:
                if message_id in self.answers:
                    self.record(message_id, "duplicate", "SendMessage")
                    return self._answer(self.answers[message_id])
            delivered = self._check_body(soap)
        except Fault as fault:
            self.record(None, f"refused: {fault.code}", fault.reason)
            return soap_fault(fault.code, fault.reason)
        except etree.XMLSyntaxError:
            self.record(None, "refused: InvalidMessage", "not XML")
            return soap_fault("InvalidMessage", "not well-formed XML")
        ours = f"div-{uuid.uuid4()}"
        with self.lock:
            if message_id in self.answers:
                return self._answer(self.answers[message_id])

            def effect() -> None:
                self.answers[message_id] = ours
                self.mailboxes.setdefault(delivered["recipient"], []).append(delivered)
            self.apply(message_id, f"{delivered['reference']}: {delivered['title']}", delivered, effect)
        return self._answer(ours)

    def _answer(self, ours: str) -> Response:
        body = (f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP}" xmlns:a="{WSA}"><s:Header>'
                f'<a:Action>{SEND_ACTION}Response</a:Action></s:Header><s:Body>'
                f'<SendMessageOutput xmlns="{UUI}"><MessageId>{ours}</MessageId></SendMessageOutput>'
                f'</s:Body></s:Envelope>')
        return Response(body, status=200, content_type="application/soap+xml; charset=utf-8")

    def _check_headers(self, soap: etree._Element) -> str:
        if soap.tag != f"{{{SOAP}}}Envelope":
            raise Fault("InvalidMessage", "not a SOAP 1.2 envelope")
        header = soap.find(f"{{{SOAP}}}Header")
        if header is None:
            raise Fault("InvalidMessage", "no SOAP header")
        if _text(header, f"{{{WSA}}}Action") != SEND_ACTION:
            raise Fault("ActionNotSupported", "unknown WS-Addressing Action")
        _text(header, f"{{{WSA}}}To")
        expires = _text(header, f"{{{WSSE}}}Security/{{{WSU}}}Timestamp/{{{WSU}}}Expires")
        if datetime.fromisoformat(expires.replace("Z", "+00:00")) < datetime.now(timezone.utc):
            raise Fault("MessageExpired", "the WS-Security Timestamp has expired")
        self._check_timestamp_signature(soap)
        return _text(header, f"{{{WSA}}}MessageID")

    def _check_timestamp_signature(self, soap: etree._Element) -> None:
        """The WS-Security signature covers the Timestamp and is by a registered sender."""
        config = SignatureConfiguration(location=f"{{{SOAP}}}Header/{{{WSSE}}}Security/",
                                        default_reference_c14n_method=EXCLUSIVE_C14N)
        for certificate in self.senders:
            try:
                results = XMLVerifier().verify(soap, x509_cert=certificate, expect_config=config,
                                               id_attribute="Id")   # wsu:Id, matched by local name
            except (InvalidSignature, InvalidInput, ValueError):
                continue
            results = results if isinstance(results, list) else [results]
            if any(r.signed_xml is not None and r.signed_xml.tag == f"{{{WSU}}}Timestamp" for r in results):
                return
        raise Fault("InvalidSecurity", "the WS-Security signature over the Timestamp does not verify")

    def _check_body(self, soap: etree._Element) -> dict[str, Any]:
        send = soap.find(f"{{{SOAP}}}Body/{{{UUI}}}SendMessageInput")
        if send is None:
            raise Fault("InvalidMessage", "no SendMessageInput in the body")
        envelope = send.find(f"{{{DIV}}}Envelope")
        sender = envelope.find(f"{{{DIV}}}SenderDocument") if envelope is not None else None
        if sender is None or sender.get("Id") != "SenderSection":
            raise Fault("InvalidMessage", "no SenderDocument Id=SenderSection in a DIV Envelope")
        self._check_signature(envelope)
        contents = {_text(a, f"{{{UUI}}}ContentId"): base64.b64decode(_text(a, f"{{{UUI}}}Content"))
                    for a in send.iterfind(f"{{{UUI}}}AttachmentsInput/{{{UUI}}}AttachmentInput")}
        files = [self._check_file(file, contents) for file in
                 sender.iterfind(f"{{{DIV}}}DocumentMetadata/{{{DIV}}}PayloadReference/{{{DIV}}}File")]
        general = f"{{{DIV}}}DocumentMetadata/{{{DIV}}}GeneralMetadata"
        transport = f"{{{DIV}}}SenderTransportMetadata"
        recipient = _text(sender, f"{transport}/{{{DIV}}}Recipients/{{{DIV}}}RecipientEntry/{{{DIV}}}RecipientE-Address")
        if not E_ADDRESS.match(recipient) or (self.addressees is not None and recipient not in self.addressees):
            raise Fault("RecipientNotFound", "the addressee has no official e-address")
        return {"recipient": recipient, "title": _text(sender, f"{general}/{{{DIV}}}Title"),
                "kind": _text(sender, f"{general}/{{{DIV}}}DocumentKind/{{{DIV}}}DocumentKindCode"),
                "sender": _text(sender, f"{transport}/{{{DIV}}}SenderE-Address"),
                "reference": _text(sender, f"{transport}/{{{DIV}}}SenderRefNumber"), "files": files}

    def _check_file(self, file: etree._Element, contents: dict[str, bytes]) -> dict[str, Any]:
        reference = _text(file, f"{{{DIV}}}Content/{{{DIV}}}ContentReference").removeprefix("cid:")
        content = contents.get(reference)
        if content is None:
            raise Fault("AttachmentNotFound", f"no attachment {reference}")
        if file.find(f"{{{DIV}}}Content/{{{DS}}}DigestMethod").get("Algorithm") != "http://www.w3.org/2001/04/xmlenc#sha512":
            raise Fault("InvalidDigest", "the payload digest must be SHA-512")
        digest = base64.b64encode(hashlib.sha512(content).digest()).decode()
        if _text(file, f"{{{DIV}}}Content/{{{DS}}}DigestValue") != digest or _text(file, f"{{{DIV}}}Size") != str(len(content)):
            raise Fault("InvalidDigest", "an attachment does not match its size or SHA-512 digest")
        return {"name": _text(file, f"{{{DIV}}}Name"), "media_type": _text(file, f"{{{DIV}}}MimeType"),
                "size": len(content), "sha512": digest}

    def _check_signature(self, envelope: etree._Element) -> None:
        """XAdES-BES by one of the registered senders, covering the SenderSection."""
        standalone = etree.fromstring(etree.tostring(envelope), PARSER)
        config = XAdESSignatureConfiguration(expect_references=3, default_reference_c14n_method=EXCLUSIVE_C14N)
        for certificate in self.senders:
            try:
                results = XAdESVerifier().verify(standalone, x509_cert=certificate, expect_config=config)
            except (InvalidSignature, InvalidInput, ValueError):
                continue
            if any(r.signed_xml is not None and r.signed_xml.get("Id") == "SenderSection" for r in results):
                return
        raise Fault("InvalidSignature", "the XAdES signature does not verify against a registered sender")
