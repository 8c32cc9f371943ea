"""Tenant isolation on every `/staff/` route, enumerated from the app's url_map so that a
new route cannot be forgotten: a member of another municipality, a member of another
institution of the same municipality, the resident whose case it is (from the browser
that sent it) and an anonymous browser get neither the data nor the action. The member
whose work it is gets both, so that every refusal here could fail."""
from __future__ import annotations

import datetime
import hashlib
import io
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from runtime.documents.jobs import store_document
from runtime.storage.models import (AuditEntry, CaseNote, CommissionAgendaItem, CommissionSession, CommissionVote, Draft,
                                    FeeAssessment, FeeWaiver, InformationRequest, OutboxJob, Payment, Submission, Upload,
                                    utc_now)

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in
from .statements import statement

PUBLIC = {"staff.signin", "staff.signin_submit", "staff.signout", "staff.oidc_signin", "staff.oidc_callback",
          "static"}   # the sign-ins (test_staff_oidc.py has the organisation's)
POST_DATA = {"staff.move": {"target": "in_review"}, "staff.note": {"note": "a note", "visible": "1"},
             "staff.payment": {"amount": "1.00"}, "staff.request_information": {"question": "a photo, please"},
             "staff.waive": {"waiver_reason": "a reason"},
             "staff.profile_save": {"language": "lv"},
             "staff.assist_start": {"service": "tree-felling-permit", "personal_code": "010190-15267",
                                    "given_name": "Jānis", "surname": "Bērziņš"},
             "staff.new_session": {"held_on": "2026-03-10", "place": "Rātslaukums 1"},
             "staff.session_vote": {"vote": "for"},
             "staff.assess": {"fee": "compensation_by_municipality", "assessed_amount": "24.48",
                              "assessed_reason": "a reason"}}
SECRETS = ("Jānis", "janis@example.lv", "0100 012 0034", "a photo of the tree", "Sākt izskatīt", "staff.signin",
           "the permit of the tree", "Rātslaukums 1", "Nav pamata", "the minutes of the session")
OWN_LISTS = {"staff.inbox"}
OWN_PAGES = {"staff.home", "staff.profile", "staff.profile_save"}     # every member's own (tested on their own)
PARKED_JOB = 900001     # a fixed id, so that every route's URL can be built before the calls
SESSION, ITEM = 900002, 900003      # a commission session of Riga and the case on its agenda
AGENDA = {}             # the case the owner's call puts on the agenda (filed by the fixture)
OWNER_OF = {"staff.audit_log": "admin@riga.lv", "staff.audit_csv": "admin@riga.lv", "staff.payments": "finance@riga.lv",
            "staff.payments_import": "finance@riga.lv", "staff.outbox": "admin@riga.lv",
            "staff.outbox_retry": "admin@riga.lv", "staff.outbox_discard": "admin@riga.lv",
            "staff.platform_outbox": "platform@pkip.lv", "staff.platform_outbox_retry": "platform@pkip.lv",
            "staff.platform_outbox_discard": "platform@pkip.lv", "staff.assist": "csc@riga.lv",
            "staff.assist_start": "csc@riga.lv",
            "staff.session_vote": "commission@riga.lv", "staff.session_decide": "commission@riga.lv"}


@pytest.fixture
def world(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
    make_staff(staff_app, "admin@riga.lv", "municipal_admin", "riga", name="Inese Liepa")
    make_staff(staff_app, "clerk@jurmala.lv", "clerk", "jurmala", "environment")
    make_staff(staff_app, "admin@jurmala.lv", "municipal_admin", "jurmala")
    make_staff(staff_app, "education@riga.lv", "clerk", "riga", "education")
    make_staff(staff_app, "csc@riga.lv", "csc_clerk", "riga")
    make_staff(staff_app, "finance@riga.lv", "finance", "riga")
    make_staff(staff_app, "finance@jurmala.lv", "finance", "jurmala")
    make_staff(staff_app, "platform@pkip.lv", "platform_admin", None)
    make_staff(staff_app, "commission@riga.lv", "commission_member", "riga", "environment")
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    upload_id = attach_file(staff_app, reference)
    park_a_message(staff_app)
    store_permit(staff_app, reference)
    hold_a_session(staff_app)
    return staff_app, reference, upload_id


def hold_a_session(app):
    """Two more cases waiting for Riga's green-areas commission: one on a session's agenda
    (whose minutes are stored), one for the owner's call to put there."""
    state = app.extensions["pkip"]
    on_agenda, AGENDA["case"] = (file_case(app, "tree-felling-permit", "riga") for _ in range(2))
    minutes = state.settings.instance_path / "documents" / "mi" / "minutes.pdf"
    minutes.parent.mkdir(parents=True, exist_ok=True)
    minutes.write_bytes(b"%PDF-1.7 the minutes of the session")
    with state.database.transaction() as session:
        cases = session.scalars(select(Submission).where(Submission.reference.in_([on_agenda, AGENDA["case"]])))
        ids = {}
        for case in cases:
            case.status, ids[case.reference] = "commission", case.id
        session.add(CommissionSession(id=SESSION, municipality_id="riga", commission_id="green_areas",
                                      held_on=datetime.date(2026, 3, 10), place="Rātslaukums 1",
                                      minutes_path="documents/mi/minutes.pdf", minutes_size=36))
        session.flush()
        session.add(CommissionAgendaItem(id=ITEM, session_id=SESSION, submission_id=ids[on_agenda],
                                         source="commission", target="refused", motion="Nav pamata"))


def park_a_message(app):
    """A dead letter of Riga, for the outbox page and its retry and discard."""
    with app.extensions["pkip"].database.transaction() as session:
        session.add(OutboxJob(id=PARKED_JOB, kind="publish", payload={"publisher": "pspp"}, attempts=3, municipality_id="riga",
                              idempotency_key="pspp:secret", last_error="refused: staff.signin",
                              dead_at=utc_now()))


def store_permit(app, reference):
    """A rendered result document of the case, as the worker stores it, and a fee due."""
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        case.fee_total = Decimal("24.48")     # the compensation, so that a waiver has something to waive
        session.flush()
        session.expunge(case)
    store_document(state, case, "permit", b"%PDF-1.7 the permit of the tree")


def attach_file(app, reference):
    state = app.extensions["pkip"]
    data = b"%PDF-1.4 a photo of the tree"
    folder = state.settings.instance_path / "uploads" / "ab"
    folder.mkdir(parents=True, exist_ok=True)
    upload_id = uuid.uuid4()
    (folder / str(upload_id)).write_bytes(data)
    with state.database.transaction() as session:
        case_id = session.scalar(select(Submission.id).where(Submission.reference == reference))
        session.add(Upload(id=upload_id, submission_id=case_id, field_path="photo", filename="tree.pdf",
                           media_type="application/pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                           storage_path=f"uploads/ab/{upload_id}"))
    return upload_id


def staff_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff/") and rule.endpoint not in PUBLIC:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def url_for_rule(rule, reference, upload_id):
    values = {"municipality_id": "riga", "reference": reference, "upload_id": upload_id, "job_id": PARKED_JOB,
              "document_id": "permit", "commission_id": "green_areas", "session_id": SESSION, "item_id": ITEM}
    return rule.build({name: values[name] for name in rule.arguments})[1]


def call(client, rule, method, url, assignee_id):
    if method == "GET":
        return client.get(url)
    data = {"assignee": str(assignee_id)} if rule.endpoint == "staff.assign" else POST_DATA.get(rule.endpoint, {})
    if rule.endpoint == "staff.session_agenda":
        data = {"case": f"{AGENDA['case']}|awaiting_payment", "motion": "Atļauju piešķirt"}
    if rule.endpoint == "staff.payments_import":
        data = {"statement": (io.BytesIO(statement([("1.00", "x", "TX-1")])), "s.xml")}
    return client.post(url, data={"csrf_token": csrf_token(client), **data}, content_type="multipart/form-data")


def outsiders(app, reference):
    for email in ("clerk@jurmala.lv", "admin@jurmala.lv", "finance@jurmala.lv", "education@riga.lv", "csc@riga.lv"):
        client = app.test_client()
        sign_in(client, email)
        yield email, client
    resident = app.test_client()
    with resident.session_transaction() as session:
        session["submitted"] = [reference]
    yield "the resident", resident
    yield "anonymous", app.test_client()


def test_every_staff_route_refuses_everyone_but_the_member_whose_work_it_is(world):
    app, reference, upload_id = world
    routes = list(staff_routes(app))
    assert {rule.endpoint for rule, _ in routes} >= {"staff.inbox", "staff.case_file", "staff.move", "staff.note",
                                                   "staff.assign", "staff.attachment", "staff.audit_log",
                                                   "staff.commissions", "staff.commission_session",
                                                   "staff.session_vote", "staff.session_minutes"}
    clerk_id = _user_id(app, "clerk@riga.lv")
    for who, client in outsiders(app, reference):
        for rule, method in routes:
            if rule.endpoint in OWN_PAGES or OWNER_OF.get(rule.endpoint) == who:
                continue
            response = call(client, rule, method, url_for_rule(rule, reference, upload_id), clerk_id)
            body = response.get_data(as_text=True)
            signed_in = who not in ("the resident", "anonymous")
            expected = {404} if signed_in else {302}
            if rule.endpoint in OWN_LISTS and who.endswith("@riga.lv"):
                expected = {200}       # their own inbox in Riga, without this case
            assert response.status_code in expected, (who, method, rule.rule, response.status_code)
            # (the reference itself may appear: the 404 page's language links repeat the URL)
            assert not [secret for secret in SECRETS if secret in body], (who, rule.rule)
    _nothing_changed(app, reference)
    for rule, method in routes:
        owner = app.test_client()
        sign_in(owner, OWNER_OF.get(rule.endpoint, "clerk@riga.lv"))
        response = call(owner, rule, method, url_for_rule(rule, reference, upload_id), clerk_id)
        body = response.get_data(as_text=True)     # read to the end: a streamed CSV holds its request until then
        response.close()
        assert response.status_code in (200, 303), (method, rule.rule, response.status_code, body[-500:])


def test_the_staff_home_shows_only_the_members_own_roles(world):
    app, reference, _upload_id = world
    for who, client in outsiders(app, reference):
        response = client.get("/staff/")
        assert response.status_code in (200, 302)
        assert not [s for s in ("Rita Kļava", *SECRETS) if s in response.get_data(as_text=True)]


def _user_id(app, email):
    from runtime.storage.models import StaffUser
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(StaffUser.id).where(StaffUser.email == email))


def _nothing_changed(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        assert (case.status, case.assigned_to_id) == ("submitted", None)
        assert session.scalar(select(func.count()).select_from(CaseNote)) == 0
        assert session.scalar(select(func.count()).select_from(Payment)) == 0
        parked = session.get(OutboxJob, PARKED_JOB)
        assert parked.dead_at is not None and parked.done_at is None
        assert session.scalar(select(func.count()).select_from(FeeWaiver)) == 0
        assert session.scalar(select(func.count()).select_from(InformationRequest)) == 0
        assert session.scalar(select(func.count()).select_from(Draft)) == 0       # no filing in person started
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.object_type.in_(("case", "commission_session")))) == 0
        assert session.scalar(select(func.count()).select_from(CommissionSession)) == 1
        assert session.get(CommissionSession, SESSION).closed_at is None
        assert session.scalar(select(func.count()).select_from(CommissionAgendaItem)) == 1
        assert session.get(CommissionAgendaItem, ITEM).outcome is None
        assert session.scalar(select(func.count()).select_from(CommissionVote)) == 0
        assert session.scalar(select(func.count()).select_from(FeeAssessment)) == 0
