"""Signed webhooks per institution: a new case and each status change become outbox jobs
in the same transaction, delivered by the worker with the Standard Webhooks headers; the
reference library `standardwebhooks` verifies every signature. A failing receiver is
retried with the same message id; other institutions' endpoints hear nothing."""
from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from runtime.cases import webhooks
from runtime.cases.clock import Clock
from runtime.cases.webhooks import JOB, add_endpoint, disable_endpoint
from runtime.storage.models import OutboxJob
from runtime.worker import run_pending

from ..staff.cases import file_case
from .conftest import bearer, make_token


class Receiver:
    """What a back office's endpoint got; it fails the first `failures` requests."""

    def __init__(self, failures: int = 0):
        self.requests: list[httpx.Request] = []
        self.failures = failures

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            self.failures -= 1
            return httpx.Response(503)
        return httpx.Response(204)


@pytest.fixture
def receiver(monkeypatch):
    found = Receiver()
    monkeypatch.setattr(webhooks, "transport", httpx.MockTransport(found))
    return found


def endpoint(app, institution="environment", municipality="riga", events="case.created,case.transitioned",
             url="https://dvs.example.lv/hooks"):
    state = app.extensions["pkip"]
    return add_endpoint(state.database, state.catalogue, state.settings.secret_key, municipality_id=municipality,
                        institution_id=institution, url=url, events=events)


def verified(secret: str, request: httpx.Request) -> dict:
    return Webhook(secret).verify(request.content, dict(request.headers))


def test_a_new_case_and_a_step_reach_the_institution_signed(staff_app, receiver):
    listing, secret = endpoint(staff_app)
    endpoint(staff_app, institution="education")                 # another institution's: hears nothing
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app, scopes="cases:write")
    assert staff_app.test_client().post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "in_review"},
                                        headers=bearer(token)).status_code == 200
    run_pending(staff_app.extensions["pkip"])
    assert [r.url for r in receiver.requests] == [listing.url, listing.url]
    created, moved = (verified(secret, r) for r in receiver.requests)
    assert created["type"] == "case.created" and created["data"]["reference"] == reference
    assert moved["type"] == "case.transitioned"
    assert (moved["data"]["from_status"], moved["data"]["status"]) == ("submitted", "in_review")
    assert created["data"]["href"] == f"/api/v1/riga/cases/{reference}"
    body = receiver.requests[0].content.decode()
    assert "Jānis" not in body and "010190" not in body and "janis@" not in body    # no personal data
    with pytest.raises(WebhookVerificationError):
        verified(endpoint(staff_app)[1], receiver.requests[0])     # another secret does not verify it


def test_a_failing_receiver_gets_the_same_message_again(staff_app, monkeypatch):
    failing = Receiver(failures=1)
    monkeypatch.setattr(webhooks, "transport", httpx.MockTransport(failing))
    _listing, secret = endpoint(staff_app, events="case.created")
    file_case(staff_app, "tree-felling-permit", "riga")
    state = staff_app.extensions["pkip"]
    first = run_pending(state)
    with state.database.transaction() as session:
        job = session.scalars(select(OutboxJob).where(OutboxJob.kind == JOB)).one()
        assert job.done_at is None and "503" in job.last_error
        session.execute(OutboxJob.__table__.update().where(OutboxJob.id == job.id).values(run_after=job.created_at))
    run_pending(state)
    assert len(first.failed) == 1 and len(failing.requests) == 2
    ids = {r.headers["webhook-id"] for r in failing.requests}
    assert len(ids) == 1 and verified(secret, failing.requests[1])["type"] == "case.created"


def test_a_receiver_refusing_for_good_makes_a_dead_letter_and_the_next_waits(staff_app, monkeypatch):
    gone = Receiver()
    monkeypatch.setattr(webhooks, "transport", httpx.MockTransport(lambda request: (gone(request), httpx.Response(410))[1]))
    endpoint(staff_app)
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app, scopes="cases:write")
    staff_app.test_client().post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "in_review"},
                                 headers=bearer(token))
    state = staff_app.extensions["pkip"]
    run_pending(state)
    with state.database.transaction() as session:
        jobs = session.scalars(select(OutboxJob).where(OutboxJob.kind == JOB).order_by(OutboxJob.id)).all()
        assert jobs[0].dead_at is not None and "410" in jobs[0].last_error and jobs[0].municipality_id == "riga"
        assert jobs[1].done_at is None and jobs[1].attempts == 0     # in order per case: it waits
    assert len(gone.requests) == 1


def test_only_listened_events_and_active_endpoints_are_sent(staff_app, receiver):
    state = staff_app.extensions["pkip"]
    created_only, _secret = endpoint(staff_app, events="case.created")
    gone, _other = endpoint(staff_app)
    disable_endpoint(state.database, gone.id, Clock())
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    token = make_token(staff_app, scopes="cases:write")
    staff_app.test_client().post(f"/api/v1/riga/cases/{reference}/transitions", json={"target": "in_review"},
                                 headers=bearer(token))
    run_pending(state)
    assert [json.loads(r.content)["type"] for r in receiver.requests] == ["case.created"]


def test_the_signature_is_standard_webhooks_v1():
    """The documented construction, by hand: HMAC-SHA256 over id.timestamp.body with the
    secret's base64-decoded bytes, base64 after `v1,`."""
    import base64
    import hashlib
    import hmac

    from publishers.webhooks import signature
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef01234567").decode()
    expected = base64.b64encode(hmac.new(b"0123456789abcdef01234567", b"msg_1.1700000000.{}", hashlib.sha256)
                                .digest()).decode()
    assert signature(secret, "msg_1", 1700000000, "{}") == "v1," + expected


def file_invoice(app) -> tuple[str, bytes]:
    """An e-invoice case as the resident's form files it: the UBL stored as an upload of
    the draft (the same checks), then the draft submitted with that answer."""
    import io
    from pathlib import Path

    from werkzeug.datastructures import FileStorage

    from builder.engine import Context, evaluate
    from runtime.cases.access import Actor
    from runtime.cases.drafts import create_draft
    from runtime.cases.submitting import DraftToSubmit, submit
    from runtime.storage.models import ServiceVersion
    from runtime.uploads import store_upload

    from ..staff.cases import SUBMITTED_ON
    state = app.extensions["pkip"]
    effective = state.catalogue.effective("riga", "e-invoice")
    test = next(t for t in effective.service.tests if t.expect.get("valid") is True)
    data = (Path(state.catalogue.root) / "fixtures" / test.answers["invoice"]["fixture"]).read_bytes()
    with state.database.transaction() as session:
        version_id = session.scalars(select(ServiceVersion.id).where(ServiceVersion.service_id == "e-invoice")
                                     .order_by(ServiceVersion.id.desc())).first()
    draft, _token = create_draft(state.database, municipality_id="riga", version_id=version_id, first_page=None,
                                 person_code_hash=None)
    field = next(f for f in effective.service.fields if f.name == "invoice")
    with state.database.transaction() as session:
        answer = store_upload(session, draft_id=draft.id, field=field, field_path="invoice", settings=state.settings,
                              file_storage=FileStorage(io.BytesIO(data), filename="rekins.xml"))
    outcome = evaluate(effective, {**test.answers, "invoice": answer}, Context(today=SUBMITTED_ON))
    assert outcome.valid, [str(e) for e in outcome.errors]
    reference = submit(state.database, DraftToSubmit(draft.id, version_id, effective), outcome, actor=Actor(),
                       clock=Clock(fixed_today=SUBMITTED_ON), language="lv")
    return reference, data


def test_an_e_invoice_reaches_the_buyers_finance_endpoint_as_ubl_and_summary(staff_app, receiver):
    import base64
    import hashlib
    buyer = staff_app.extensions["pkip"].catalogue.effective("riga", "e-invoice").municipality.institutions
    assert "finance" in buyer
    _listing, secret = endpoint(staff_app, institution="finance", events="invoice.received")
    endpoint(staff_app, institution="environment", events="invoice.received")     # not the buyer: hears nothing
    reference, data = file_invoice(staff_app)
    run_pending(staff_app.extensions["pkip"])
    [request] = receiver.requests
    message = verified(secret, request)
    assert message["type"] == "invoice.received" and message["data"]["reference"] == reference
    assert message["data"]["institution"] == "finance"
    [invoice] = message["data"]["invoices"]
    assert base64.b64decode(invoice["ubl_base64"]) == data          # the original UBL, byte for byte
    assert invoice["sha256"] == hashlib.sha256(data).hexdigest()
    assert invoice["summary"]["buyer_registration_number"] == "90011524360"
    assert invoice["summary"]["invoice_number"] and invoice["summary"]["total_with_vat"]


def test_the_local_receiver_stand_in_verifies_and_lists_a_real_delivery(staff_app, tmp_path):
    """`pkip stand-ins`' webhook receiver, registered with its own secret as the printed
    command does, gets a new case's message over HTTP and verifies its signature."""
    from publishers.local import start_standins
    started = start_standins(tmp_path, ports={"catalogue": 0, "pspp": 0, "div": 0, "opendata": 0, "webhooks": 0})
    try:
        state = staff_app.extensions["pkip"]
        add_endpoint(state.database, state.catalogue, state.settings.secret_key, municipality_id="riga",
                     institution_id="environment", url=started.urls["webhooks"] + "/hooks", events="case.created",
                     secret=started.webhook_secret)
        reference = file_case(staff_app, "tree-felling-permit", "riga")
        run_pending(state)
        receiver = started.apps["webhooks"]
        assert [(event["type"], event["data"]["reference"]) for event in receiver.events] == [
            ("case.created", reference)]
        assert [entry.outcome for entry in receiver.received] == ["applied"]
        assert reference in httpx.get(started.urls["webhooks"] + "/").text
    finally:
        started.stop()
