"""The webhook receiver stand-in against the Standard Webhooks convention: the sender
(`publishers.webhooks`) over HTTP is accepted once per message id; a wrong secret, a
changed body, a replayed old timestamp and missing headers are refused; the page lists
what it received."""
from __future__ import annotations

import json
import time

import httpx
import pytest

from publishers.contract import PermanentRefusal
from publishers.webhooks import WebhookMessage, deliver, new_secret, signature
from publishers.webhooks_standin import TOLERANCE_SECONDS, WebhookReceiverStandIn

BODY = json.dumps({"type": "case.created", "timestamp": "2026-12-01T10:00:00Z",
                   "data": {"reference": "RIX-KOC-2026-000001", "status": "submitted"}})


@pytest.fixture
def receiver(served):
    secret = new_secret()
    standin = WebhookReceiverStandIn(secrets=[secret])
    return standin, served(standin) + "/hooks", secret


def test_a_signed_message_is_applied_once_and_listed(receiver):
    standin, url, secret = receiver
    message = WebhookMessage(url=url, secret=secret, message_id="msg_1", body=BODY)
    assert deliver(message, int(time.time())) == 204
    assert deliver(message, int(time.time())) == 200, "a retry (a fresh timestamp, the same id) changes nothing"
    assert [event["data"]["reference"] for event in standin.events] == ["RIX-KOC-2026-000001"]
    assert [entry.outcome for entry in standin.received] == ["applied", "duplicate"]
    page = httpx.get(url.removesuffix("/hooks") + "/").text
    assert "case.created RIX-KOC-2026-000001" in page and "msg_1" in page


def test_a_wrong_secret_and_an_old_timestamp_are_refused(receiver):
    standin, url, _secret = receiver
    with pytest.raises(PermanentRefusal, match="401"):
        deliver(WebhookMessage(url=url, secret=new_secret(), message_id="msg_2", body=BODY), int(time.time()))
    with pytest.raises(PermanentRefusal, match="401"):
        deliver(WebhookMessage(url=url, secret=_secret, message_id="msg_3", body=BODY),
                int(time.time()) - TOLERANCE_SECONDS - 60)
    assert standin.events == []
    assert [entry.outcome for entry in standin.received] == ["refused: bad_signature",
                                                             "refused: timestamp_out_of_tolerance"]


def test_a_changed_body_or_missing_headers_are_refused(receiver):
    standin, url, secret = receiver
    stamp = int(time.time())
    signed = {"webhook-id": "msg_4", "webhook-timestamp": str(stamp),
              "webhook-signature": "v1,bm9wZQ== " + signature(secret, "msg_4", stamp, BODY)}
    assert httpx.post(url, content=BODY, headers=signed).status_code == 204, "any one of several signatures"
    tampered = httpx.post(url, content=BODY.replace("submitted", "refused"), headers={**signed, "webhook-id": "msg_5"})
    assert tampered.status_code == 401 and tampered.json()["error"] == "bad_signature"
    bare = httpx.post(url, content=BODY, headers={"webhook-id": "msg_6"})
    assert bare.status_code == 400 and bare.json()["error"] == "missing_headers"
    assert len(standin.events) == 1


def test_a_message_signed_by_the_reference_library_is_accepted(receiver):
    from datetime import datetime, timezone

    from standardwebhooks.webhooks import Webhook
    standin, url, secret = receiver
    now = datetime.now(timezone.utc)
    signed = Webhook(secret).sign("msg_ref", now, BODY)
    headers = {"webhook-id": "msg_ref", "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signed}
    assert httpx.post(url, content=BODY, headers=headers).status_code == 204
    assert standin.received[-1].outcome == "applied"
