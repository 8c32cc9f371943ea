"""Case status to PSPP end to end: a submission and each process step write a case event
in their own transaction; the worker turns it into a PSPP event and the stand-in, over
HTTP, receives them in order, once each; with PSPP off nothing is written for it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from publishers.pspp_standin import PsppStandIn
from runtime.cases.access import Actor, StaffRole
from runtime.cases.audit import AuditContext
from runtime.cases.caseflow import move_case
from runtime.cases.requests import ask_for_information
from runtime.cases.clock import Clock
from runtime.storage.models import OutboxJob
from runtime.worker import run_pending
from tests.standins import served  # noqa: F401  (a fixture)

from .cases import file_case
from .conftest import ROOT, make_staff


@pytest.fixture
def pspp(served):
    standin = PsppStandIn()
    return standin, served(standin)


@pytest.fixture
def publishing_app(app_config, shipped_catalogue, pspp):
    app_config.update(definitions_path=str(ROOT / "definitions"), pspp_url=pspp[1])
    application = create_app(app_config, catalogue=shipped_catalogue)
    yield application
    application.extensions["pkip"].database.dispose()


def clerk():
    return Actor(roles=(StaffRole.of_kind("clerk", "riga", "environment"),), staff_user_id=1)


def test_a_case_and_its_steps_reach_pspp_in_order(publishing_app, pspp):
    standin, _url = pspp
    state = publishing_app.extensions["pkip"]
    reference = file_case(publishing_app, "tree-felling-permit", "riga")
    for target in ("in_review", "commission"):
        move_case(state.database, state.catalogue, clerk(), Clock(), AuditContext("staff:1"), "riga", reference,
                  target, {})
    run_pending(state)
    events = standin.cases[reference]
    assert [e["sequence"] for e in events] == [1, 2, 3]
    assert [e["localStatus"] for e in events] == ["submitted", "in_review", "commission"]
    assert [e["status"] for e in events] == ["submitted", "in_processing", "in_processing"]
    assert events[0]["serviceId"] == "pkip.riga.tree-felling-permit" and events[0]["channel"] == "e_service"
    run_pending(state)      # nothing is sent twice
    assert len(standin.applied) == 3


def test_an_information_request_shows_at_pspp_as_information_requested(publishing_app, pspp):
    standin, _url = pspp
    state = publishing_app.extensions["pkip"]
    reference = file_case(publishing_app, "tree-felling-permit", "riga")
    member = make_staff(publishing_app, "clerk@riga.lv", "clerk", "riga", "environment")
    ask_for_information(state.database, state.catalogue, member.actor(), Clock(), AuditContext("staff:1"), "riga",
                        reference, "Please send a photo of the tree", wants_files=True)
    run_pending(state)
    assert [e["status"] for e in standin.cases[reference]] == ["submitted", "information_requested"]
    assert standin.cases[reference][1]["statusName"] == "paprasīta papildu informācija"
    assert "photo" not in str(standin.cases[reference])      # the question is not the platform's business


def test_with_pspp_off_no_status_message_is_written(staff_app):
    state = staff_app.extensions["pkip"]
    file_case(staff_app, "tree-felling-permit", "riga")
    run_pending(state)
    with state.database.transaction() as session:
        kinds = session.scalars(select(OutboxJob.kind)).all()
    assert "case_event" in kinds and "publish" not in kinds


def test_a_permit_reaches_the_applicants_e_address_signed_over_mutual_tls(app_config, shipped_catalogue, served,
                                                                           tmp_path):
    from publishers.div_standin import DivStandIn
    from publishers.pki import make_local_pki, server_tls_context
    pki = make_local_pki(tmp_path / "pki")
    standin = DivStandIn(senders=[pki.certificate("sender").read_text()])
    url = served(standin, ssl_context=server_tls_context(pki))
    app_config.update(definitions_path=str(ROOT / "definitions"), div_url=url, div_certificate=str(pki.certificate("sender")),
                      div_key=str(pki.key("sender")), div_ca_file=str(pki.ca))
    app = create_app(app_config, catalogue=shipped_catalogue)
    state = app.extensions["pkip"]
    reference = file_case(app, "tree-felling-permit", "riga")
    for target in ("in_review", "commission"):
        move_case(state.database, state.catalogue, clerk(), Clock(), AuditContext("staff:1"), "riga", reference, target, {})
    commission = Actor(roles=(StaffRole.of_kind("commission_member", "riga", "environment"),), staff_user_id=2)
    move_case(state.database, state.catalogue, commission, Clock(), AuditContext("staff:2"), "riga", reference, "issued",
              {"decision": "Atļauts nocirst vienu ozolu."})
    for _ in range(3):      # render, hand off, send
        run_pending(state)
    [delivered] = standin.mailboxes["_PRIVATE@01019015267"]
    assert delivered["reference"] == reference and delivered["sender"] == "_DEFAULT@90011524360"
    assert delivered["files"][0]["media_type"] == "application/pdf" and delivered["files"][0]["size"] > 1000
    state.database.dispose()
