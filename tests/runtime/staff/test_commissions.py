"""Commission sessions: Riga's green-areas commission (declared in its overlay) sits on
tree felling permits. A clerk of the environment department creates a session and puts a
case waiting for the commission on its agenda with a motion; the three members vote; the
decision by strict majority of the votes cast moves the case through the same process
step a clerk's button makes; closing the session renders the minutes in Latvian."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from runtime.cases.commission_votes import session_record
from runtime.cases.commissions import Tally
from runtime.documents.minutes import render_minutes_html
from runtime.storage.models import (AuditEntry, CaseHistoryEntry, CommissionAgendaItem, CommissionSession,
                                    CommissionVote, OutboxJob, Submission)
from runtime.worker import run_pending

from .cases import file_case
from ..test_documents import pdf_text
from .conftest import csrf_token, make_staff, sign_in

MEMBERS = ("juris@riga.lv", "daina@riga.lv", "karlis@riga.lv")


@pytest.fixture
def riga(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
    for email, name in zip(MEMBERS, ("Juris Ozols", "Daina Priede", "Kārlis Vītols")):
        make_staff(staff_app, email, "commission_member", "riga", "environment", name=name)
    make_staff(staff_app, "education@riga.lv", "clerk", "riga", "education")
    return staff_app


def client_of(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def post(client, url, page, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def waiting_for_the_commission(app, clerk) -> str:
    reference = file_case(app, "tree-felling-permit", "riga")
    for target in ("in_review", "commission"):
        page = f"/staff/riga/case/{reference}"
        assert post(clerk, f"{page}/move", page, target=target).status_code == 303
    return reference


def new_session(clerk, held_on="2026-03-10", place="Rātslaukums 1, 2. zāle"):
    return post(clerk, "/staff/riga/commissions/green_areas/sessions", "/staff/riga/commissions",
                held_on=held_on, place=place)


def session_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[-800:]
    return response.headers["Location"]


def the_item(app):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(CommissionAgendaItem.id).order_by(CommissionAgendaItem.id.desc()))


def status_of(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(Submission.status).where(Submission.reference == reference))


def vote(app, email, url, item, value):
    member = client_of(app, email)
    return post(member, f"{url}/items/{item}/vote", url, vote=value)


def on_the_agenda(app, clerk, target="awaiting_payment", motion="Atļauju piešķirt; kompensācija jāmaksā"):
    reference = waiting_for_the_commission(app, clerk)
    url = session_url(new_session(clerk))
    page = clerk.get(url).get_data(as_text=True)
    assert f'value="{reference}|{target}"' in page       # the case and the step are offered
    assert post(clerk, f"{url}/agenda", url, case=f"{reference}|{target}", motion=motion).status_code == 303
    return reference, url, the_item(app)


def test_a_majority_for_moves_the_case_through_its_declared_step(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    reference, url, item = on_the_agenda(riga, clerk)
    for email, value in zip(MEMBERS, ("for", "for", "against")):
        assert vote(riga, email, url, item, value).status_code == 303
    chair = client_of(riga, MEMBERS[0])
    assert post(chair, f"{url}/items/{item}/decide", url).status_code == 303
    assert status_of(riga, reference) == "awaiting_payment"
    with riga.extensions["pkip"].database.transaction() as session:
        entry = session.scalars(select(CaseHistoryEntry).where(CaseHistoryEntry.to_status == "awaiting_payment")).one()
        assert entry.from_status == "commission" and "kompensācija jāmaksā" in entry.note
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"commission.session", "commission.agenda", "commission.vote", "commission.decision",
                "case.transition"} <= actions
        assert session.scalar(select(CommissionAgendaItem.outcome)) == "approved"
        events = [job.payload["history_id"] for job in session.scalars(select(OutboxJob)
                                                                           .where(OutboxJob.kind == "case_event"))]
    assert entry.id in events          # the step's status event for PSPP, as a clerk's step writes it
    page = chair.get(url).get_data(as_text=True)
    assert "Juris Ozols" in page and "Daina Priede" in page


def test_a_tie_is_no_decision_and_the_case_stays_where_it_was(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    reference, url, item = on_the_agenda(riga, clerk)
    vote(riga, MEMBERS[0], url, item, "for")
    vote(riga, MEMBERS[1], url, item, "against")
    vote(riga, MEMBERS[2], url, item, "abstain")     # an abstention is no vote cast: 1 for, 1 against
    chair = client_of(riga, MEMBERS[0])
    assert post(chair, f"{url}/items/{item}/decide", url).status_code == 303
    assert status_of(riga, reference) == "commission"
    page = chair.get(url).get_data(as_text=True)
    assert "equal" in page or "vienād" in page
    # decided is decided: no more votes on it, and the case may go on a later agenda
    assert vote(riga, MEMBERS[1], url, item, "for").status_code == 422
    later = session_url(new_session(clerk, held_on="2026-03-24"))
    assert f'value="{reference}|awaiting_payment"' in clerk.get(later).get_data(as_text=True)


def test_a_majority_against_rejects_the_motion(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    reference, url, item = on_the_agenda(riga, clerk, target="issued", motion="Atļauju piešķirt bez kompensācijas")
    vote(riga, MEMBERS[0], url, item, "against")
    vote(riga, MEMBERS[1], url, item, "against")
    vote(riga, MEMBERS[2], url, item, "for")
    assert post(client_of(riga, MEMBERS[2]), f"{url}/items/{item}/decide", url).status_code == 303
    assert status_of(riga, reference) == "commission"
    with riga.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(CommissionAgendaItem.outcome)) == "rejected"


def test_strict_majority_of_votes_cast():
    assert Tally({1: "for", 2: "for", 3: "against"}).outcome == "approved"
    assert Tally({1: "for", 2: "abstain", 3: "abstain"}).outcome == "approved"
    assert Tally({1: "for", 2: "against"}).outcome == "no_decision"
    assert Tally({1: "abstain"}).outcome == "no_decision"
    assert Tally({}).outcome == "no_decision"
    assert Tally({1: "against", 2: "against", 3: "for"}).outcome == "rejected"


def test_a_member_changes_a_vote_until_the_decision(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    _reference, url, item = on_the_agenda(riga, clerk)
    vote(riga, MEMBERS[0], url, item, "against")
    vote(riga, MEMBERS[0], url, item, "for")
    with riga.extensions["pkip"].database.transaction() as session:
        assert list(session.scalars(select(CommissionVote.vote))) == ["for"]


def test_who_may_do_what(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    reference, url, item = on_the_agenda(riga, clerk)
    member = client_of(riga, MEMBERS[0])
    # members vote and decide; clerks prepare: neither does the other's part
    assert post(clerk, f"{url}/items/{item}/vote", url, vote="for").status_code == 422
    assert post(member, f"{url}/close", url).status_code == 422
    assert post(member, "/staff/riga/commissions/green_areas/sessions", "/staff/riga/commissions",
                held_on="2026-04-01", place="x").status_code == 422
    # a clerk of another institution does not see the commission at all
    other = client_of(riga, "education@riga.lv")
    assert other.get("/staff/riga/commissions").status_code == 404
    assert other.get(url).status_code == 404
    assert post(other, f"{url}/items/{item}/vote", "/staff/", vote="for").status_code == 404
    # a bad vote, an unknown case or step, a missing motion
    assert post(member, f"{url}/items/{item}/vote", url, vote="maybe").status_code == 422
    assert post(clerk, f"{url}/agenda", url, case=f"{reference}|refused", motion="").status_code == 422
    assert post(clerk, f"{url}/agenda", url, case=f"{reference}|in_review", motion="x").status_code == 422
    refused = post(clerk, f"{url}/agenda", url, case=f"{reference}|refused", motion="Nav pamata")
    assert refused.status_code == 422 and "agenda" in refused.get_data(as_text=True)
    with riga.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CommissionVote)) == 0
        assert session.scalar(select(func.count()).select_from(CommissionAgendaItem)) == 1


def test_a_session_needs_a_date_and_a_place(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    response = new_session(clerk, held_on="10.03.2026", place="")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#held_on"' in body and 'href="#place"' in body
    with riga.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CommissionSession)) == 0


def test_closing_renders_the_minutes_in_latvian(riga):
    clerk = client_of(riga, "clerk@riga.lv")
    reference, url, item = on_the_agenda(riga, clerk)
    for email in MEMBERS[:2]:
        vote(riga, email, url, item, "for")
    post(client_of(riga, MEMBERS[0]), f"{url}/items/{item}/decide", url)
    assert post(clerk, f"{url}/close", url).status_code == 303
    assert post(clerk, f"{url}/agenda", url, case=f"{reference}|issued", motion="x").status_code == 422   # closed
    assert clerk.get(f"{url}/minutes.pdf").status_code == 404        # not rendered yet
    run_pending(riga.extensions["pkip"])
    response = clerk.get(f"{url}/minutes.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    text = pdf_text(response.data)
    assert "/StructTreeRoot" in text and "(lv)" in text            # tagged, in Latvian
    state = riga.extensions["pkip"]
    with state.database.transaction() as session:
        session_id = session.scalar(select(CommissionSession.id))
    html = render_minutes_html(state, session_record(state.database, state.catalogue, session_id))
    assert "Sēdes protokols" in html and reference in html and "Apstādījumu komisija" in html
    assert "Juris Ozols" in html and "Daina Priede" in html and "Pieņemts" in html
    assert "par 2, pret 0, atturas 0" in html
    assert "Kārlis Vītols" in html.split("Piedalās")[0] and "Kārlis Vītols" not in html.split("Piedalās")[1]
