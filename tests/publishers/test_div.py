"""DIV e-address: the client against the stand-in over mutual TLS (keys made for the
test, never committed), and the message against the protocol facts of DOMAIN.md
(namespaces, SenderSection, SHA-512 payload digests, XAdES-BES RSA-SHA512, SOAP 1.2 with
WS-Addressing and a WS-Security Timestamp); the stand-in's refusals as the real service's."""
from __future__ import annotations

import base64
import ssl
from datetime import datetime, timezone

import pytest
from lxml import etree

from publishers.contract import PermanentRefusal, TemporaryFailure
from publishers.div import DIV, DS, PUBLISHER, SOAP, UUI, WSA, WSSE, message_id, signed_soap
from publishers.div_standin import DivStandIn
from publishers.pki import make_local_pki, server_tls_context

PDF = b"%PDF-1.7 a permit to fell one oak"
RECIPIENT = "_PRIVATE@01019015267"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_local_pki(tmp_path_factory.mktemp("pki"), clients=("sender", "stranger"))


def data(**changes):
    item = {"reference": "RIX-TFP-2026-000001", "title": "Koku ciršanas atļauja", "date": "2026-03-10",
            "sender_name": "Rīgas valstspilsētas pašvaldība", "sender_e_address": "_DEFAULT@90011524360",
            "recipient_e_address": RECIPIENT,
            "files": [{"name": "permit.pdf", "media_type": "application/pdf", "content": base64.b64encode(PDF).decode()}]}
    item.update(changes)
    return item


def client_tls(pki, client="sender"):
    context = ssl.create_default_context(cafile=str(pki.ca))
    context.load_cert_chain(str(pki.certificate(client)), str(pki.key(client)))
    return context


def settings(url, pki, client="sender"):
    return {"url": url, "certificate": str(pki.certificate(client)), "key": str(pki.key(client)),
            "ca_file": str(pki.ca), "timeout_seconds": 10.0, "max_attempts": 3}


@pytest.fixture
def div(served, pki):
    standin = DivStandIn(senders=[pki.certificate("sender").read_text()], addressees={RECIPIENT})
    return standin, served(standin, ssl_context=server_tls_context(pki))


def test_a_document_reaches_the_mailbox_once_with_its_digest_checked(div, pki):
    standin, url = div
    first = PUBLISHER.deliver(data(), "div:RIX-TFP-2026-000001:permit", settings(url, pki))
    again = PUBLISHER.deliver(data(), "div:RIX-TFP-2026-000001:permit", settings(url, pki))
    assert first.receiver_id == again.receiver_id and first.receiver_id.startswith("div-")
    [delivered] = standin.mailboxes[RECIPIENT]
    assert delivered["title"] == "Koku ciršanas atļauja" and delivered["sender"] == "_DEFAULT@90011524360"
    assert delivered["files"][0]["size"] == len(PDF) and delivered["kind"] == "DOC_EMPTY"
    assert len(standin.applied) == 1


def test_an_unknown_addressee_is_refused_for_good(div, pki):
    _standin, url = div
    with pytest.raises(PermanentRefusal, match="RecipientNotFound"):
        PUBLISHER.deliver(data(recipient_e_address="_PRIVATE@32000000000"), "k1", settings(url, pki))


def test_a_signature_by_an_unregistered_system_is_refused(div, pki):
    standin, url = div
    with pytest.raises(PermanentRefusal, match="InvalidSecurity|InvalidSignature"):   # the header is checked first
        PUBLISHER.deliver(data(), "k1", settings(url, pki, client="stranger"))
    assert standin.mailboxes == {}


def test_an_attachment_changed_on_the_way_fails_its_sha512_digest(div, pki):
    standin, url = div
    import httpx
    message = PUBLISHER.build(data(), "k1")
    soap = signed_soap(message, settings(url, pki), datetime.now(timezone.utc))
    forged = soap.replace(base64.b64encode(PDF), base64.b64encode(PDF.replace(b"one oak", b"all oaks")))
    response = httpx.post(url, content=forged, headers={"Content-Type": "application/soap+xml"},
                          verify=client_tls(pki))
    assert response.status_code == 400 and b"InvalidDigest" in response.content
    assert standin.mailboxes == {}


def test_a_changed_sender_section_breaks_the_signature(div, pki):
    _standin, url = div
    import httpx
    soap = signed_soap(PUBLISHER.build(data(), "k1"), settings(url, pki), datetime.now(timezone.utc))
    forged = soap.replace("Koku ciršanas atļauja".encode(), "Atļauja visam".encode())
    response = httpx.post(url, content=forged, headers={"Content-Type": "application/soap+xml"},
                          verify=client_tls(pki))
    assert response.status_code == 400 and b"InvalidSignature" in response.content


def test_a_changed_timestamp_breaks_the_ws_security_signature(div, pki):
    _standin, url = div
    import httpx
    soap = signed_soap(PUBLISHER.build(data(), "k1"), settings(url, pki), datetime.now(timezone.utc))
    created = etree.fromstring(soap).findtext(".//{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}Expires")
    forged = soap.replace(created.encode(), b"2099-01-01T00:00:00Z")
    response = httpx.post(url, content=forged, headers={"Content-Type": "application/soap+xml"}, verify=client_tls(pki))
    assert response.status_code == 400 and b"InvalidSecurity" in response.content


def test_without_a_client_certificate_the_server_is_not_reached(div, pki):
    _standin, url = div
    import httpx
    with pytest.raises(httpx.HTTPError):
        httpx.post(url, content=b"<x/>", verify=ssl.create_default_context(cafile=str(pki.ca)))
    with pytest.raises(TemporaryFailure):
        PUBLISHER.deliver(data(), "k1", {**settings(url, pki), "ca_file": None})   # our CA unknown: no TLS


def test_the_message_speaks_the_div_protocol(pki):
    soap = etree.fromstring(signed_soap(PUBLISHER.build(data(), "key-1"), settings("https://div.example", pki),
                                        datetime.now(timezone.utc)))
    assert soap.tag == f"{{{SOAP}}}Envelope"
    header = soap.find(f"{{{SOAP}}}Header")
    assert header.findtext(f"{{{WSA}}}Action").endswith("/SendMessage")
    assert header.findtext(f"{{{WSA}}}MessageID") == message_id("key-1")
    security = header.find(f"{{{WSSE}}}Security")
    assert security[0].tag.endswith("Timestamp")
    timestamp_signature = security.find(f"{{{DS}}}Signature")
    assert [r.get("URI") for r in timestamp_signature.iter(f"{{{DS}}}Reference")] == ["#TS-1"]
    envelope = soap.find(f"{{{SOAP}}}Body/{{{UUI}}}SendMessageInput/{{{DIV}}}Envelope")
    assert UUI == "http://vraa.gov.lv/xmlschemas/div/uui/2011/11"
    assert DIV == "http://ivis.eps.gov.lv/XMLSchemas/100001/DIV/v1-0"
    sender = envelope.find(f"{{{DIV}}}SenderDocument")
    assert sender.get("Id") == "SenderSection"
    general = sender.find(f"{{{DIV}}}DocumentMetadata/{{{DIV}}}GeneralMetadata")
    assert [child.tag.split("}")[1] for child in general] == ["Title", "Date", "DocumentKind", "Authors", "Description"]
    file = sender.find(f".//{{{DIV}}}PayloadReference/{{{DIV}}}File")
    assert file.find(f".//{{{DS}}}DigestMethod").get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha512"
    transport = sender.find(f"{{{DIV}}}SenderTransportMetadata")
    assert [child.tag.split("}")[1] for child in transport] == [
        "SenderE-Address", "SenderRefNumber", "Recipients", "NotifySenderOnDelivery", "Priority", "TraceInfo"]
    signature = envelope.find(f"{{{DIV}}}Signatures/{{{DS}}}Signature")
    assert signature.find(f".//{{{DS}}}SignatureMethod").get("Algorithm").endswith("rsa-sha512")
    assert signature.find(".//{http://uri.etsi.org/01903/v1.3.2#}SignedProperties") is not None   # XAdES
    assert "#SenderSection" in [r.get("URI") for r in signature.iter(f"{{{DS}}}Reference")]


def test_the_tls_context_is_built_once_per_set_of_files_and_anew_when_one_changes(pki, tmp_path):
    from publishers.http import tls_context
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.ca.read_bytes())
    cert = (str(pki.certificate("sender")), str(pki.key("sender")))
    first = tls_context(str(ca), cert)
    assert tls_context(str(ca), cert) is first, "the same files: the same context"
    assert tls_context(True, None) is tls_context(True, None) and isinstance(tls_context(True, None), ssl.SSLContext)
    given = ssl.create_default_context()
    assert tls_context(given, None) is given and tls_context(False, None) is False
    ca.write_bytes(pki.ca.read_bytes() + b"\n")      # a renewed CA file
    assert tls_context(str(ca), cert) is not first
