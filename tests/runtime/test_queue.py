"""Queues (runtime/queue.py, runtime/web/queue.py) on SQLite and PostgreSQL, with the
real preschool-queue definition: positions per institution follow the priority group,
then the exact registration time, then the case id; withdrawals and admissions move
everybody behind up; only the case's owner sees the page."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import session as flask_session
from sqlalchemy import func, select

from app import create_app
from builder.catalogue import load_catalogue
from builder.engine import Context, evaluate, to_json
from runtime.identity import Person, person_code_hash, sign_in
from runtime.queue import on_status_change, partitions, positions, record_queue_entries
from runtime.storage.database import Database
from runtime.storage.migrate import upgrade
from runtime.storage.models import QueueEntry, ServiceVersion, Submission
from runtime.sync import sync_service_versions

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "preschool-queue"
PARENT = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}
OTHER_PARENT = {"personal_code": "120185-20003", "given_name": "Līga", "surname": "Ozola"}
SECRET = "queue-tests-secret-key-0123456789abcdef"
T0 = datetime(2026, 2, 1, 9, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def catalogue():
    loaded = load_catalogue(ROOT / "definitions")
    assert not loaded.problems.errors
    return loaded


@pytest.fixture
def database(database_url, catalogue):
    db = Database(database_url)
    upgrade(db.engine)
    sync_service_versions(db, catalogue.services.values())
    yield db
    db.dispose()


def answers(institutions: list[str], claims: list[str] | None = None, **extra) -> dict:
    base = {
        "applicant": {**PARENT, "declared_here": True, "address": "Brīvības iela 1, Rīga, LV-1010",
                      "email": "janis@example.lv"},
        "parent_declaration": True,
        "child": {"personal_code": "321234-00001", "birth_date": "2024-03-10", "given_name": "Anna",
                  "surname": "Bērziņa", "declared_here": True, "address": "Brīvības iela 1, Rīga, LV-1010"},
        "institutions": [{"institution": value} for value in institutions],
        "start_date": "2026-09-01",
    }
    if claims:
        base["priority_claims"] = claims
    if claims and "sibling" in claims:
        base.update(sibling_institution=institutions[0], sibling_name="Pēteris Bērziņš", family_same_address=True)
    if claims and "staff" in claims:
        base["staff_certificate"] = {"name": "izzina.pdf", "size": 1000, "media_type": "application/pdf"}
    base.update(extra)
    return base


_counter = iter(range(1, 1_000_000))


def submit(db: Database, catalogue, raw: dict, at: datetime, *, municipality: str = "riga",
           person: dict = PARENT, secret: str = SECRET) -> int:
    """Evaluate, store and queue one application, as the resident flow does on submit."""
    effective = catalogue.effective(municipality, SERVICE)
    outcome = evaluate(effective, raw, Context(today=date(2026, 2, 1), person=person))
    assert outcome.valid, [issue.key for issue in outcome.errors]
    with db.transaction() as session:
        version = session.scalars(select(ServiceVersion.id).where(ServiceVersion.service_id == SERVICE)).one()
        submission = Submission(
            reference=f"RIX-PII-2026-{next(_counter):06d}", municipality_id=municipality,
            service_version_id=version, answers=to_json(outcome.values), status="submitted",
            submitted_at=at, person_code_hash=person_code_hash(person["personal_code"], secret), locale="lv")
        session.add(submission)
        record_queue_entries(session, effective, submission, outcome)
        return submission.id


def places(db: Database, catalogue, submission_id: int) -> dict[str, tuple[int, int, int]]:
    """institution -> (rank, position, total)"""
    with db.transaction() as session:
        submission = session.get(Submission, submission_id)
        found = positions(session, SERVICE, submission.municipality_id, submission, catalogue=catalogue)
        return {p.partition_value: (p.rank, p.position, p.total) for p in found}


def set_status(db: Database, catalogue, submission_id: int, status: str) -> None:
    with db.transaction() as session:
        submission = session.get(Submission, submission_id)
        submission.status = status
        session.flush()
        on_status_change(session, submission, catalogue=catalogue)


# -- positions -------------------------------------------------------------------------
def test_positions_follow_priority_group_then_registration_time_per_institution(database, catalogue):
    a = submit(database, catalogue, answers(["riga_pii_zilite", "riga_pii_4"]), T0)
    b = submit(database, catalogue, answers(["riga_pii_4"]), T0 + timedelta(minutes=1))
    c = submit(database, catalogue, answers(["riga_pii_zilite"], ["sibling"]), T0 + timedelta(minutes=2))
    d = submit(database, catalogue, answers(["riga_pii_4", "riga_pii_zilite"], ["staff"]), T0 + timedelta(minutes=3))
    # Zīlīte: D (out of turn, group 1), C (sibling, 2), A (general, 4, registered first)
    # No. 4:  D (group 1), A (4, earlier), B (4, later)
    assert places(database, catalogue, a) == {"riga_pii_zilite": (1, 3, 3), "riga_pii_4": (2, 2, 3)}
    assert places(database, catalogue, b) == {"riga_pii_4": (1, 3, 3)}
    assert places(database, catalogue, c) == {"riga_pii_zilite": (1, 2, 3)}
    assert places(database, catalogue, d) == {"riga_pii_4": (1, 1, 3), "riga_pii_zilite": (2, 1, 3)}


def test_queues_are_per_municipality(database, catalogue):
    riga = submit(database, catalogue, answers(["riga_pii_4"]), T0)
    daugavpils_answers = answers(["daugavpils_pii_3", "daugavpils_pii_10"])
    daugavpils = submit(database, catalogue, daugavpils_answers, T0 - timedelta(days=1), municipality="daugavpils")
    assert places(database, catalogue, riga) == {"riga_pii_4": (1, 1, 1)}
    assert places(database, catalogue, daugavpils) == {"daugavpils_pii_3": (1, 1, 1), "daugavpils_pii_10": (2, 1, 1)}


def test_a_withdrawal_moves_later_applicants_up(database, catalogue):
    first = submit(database, catalogue, answers(["riga_pii_4"]), T0)
    second = submit(database, catalogue, answers(["riga_pii_4"]), T0 + timedelta(seconds=1))
    third = submit(database, catalogue, answers(["riga_pii_4"]), T0 + timedelta(seconds=2))
    assert places(database, catalogue, third) == {"riga_pii_4": (1, 3, 3)}
    set_status(database, catalogue, second, "withdrawn")
    assert places(database, catalogue, third) == {"riga_pii_4": (1, 2, 2)}
    assert places(database, catalogue, first) == {"riga_pii_4": (1, 1, 2)}
    assert places(database, catalogue, second) == {}
    with database.transaction() as session:      # a final state: its entries are gone
        assert session.scalar(select(func.count()).where(QueueEntry.submission_id == second)) == 0


def test_an_admission_removes_the_child_from_every_queue_of_theirs(database, catalogue):
    admitted = submit(database, catalogue, answers(["riga_pii_zilite", "riga_pii_4", "riga_pii_120"]), T0)
    others = [submit(database, catalogue, answers([value]), T0 + timedelta(minutes=1))
              for value in ("riga_pii_zilite", "riga_pii_4", "riga_pii_120")]
    assert [places(database, catalogue, o) for o in others] == [
        {"riga_pii_zilite": (1, 2, 2)}, {"riga_pii_4": (1, 2, 2)}, {"riga_pii_120": (1, 2, 2)}]
    set_status(database, catalogue, admitted, "in_queue")
    set_status(database, catalogue, admitted, "offered")        # still queued while offered
    assert places(database, catalogue, admitted)["riga_pii_4"] == (2, 1, 2)
    set_status(database, catalogue, admitted, "admitted")
    assert [places(database, catalogue, o) for o in others] == [
        {"riga_pii_zilite": (1, 1, 1)}, {"riga_pii_4": (1, 1, 1)}, {"riga_pii_120": (1, 1, 1)}]
    assert places(database, catalogue, admitted) == {}


def test_a_new_higher_priority_applicant_goes_ahead(database, catalogue):
    early = submit(database, catalogue, answers(["riga_pii_4"]), T0)
    assert places(database, catalogue, early) == {"riga_pii_4": (1, 1, 1)}
    submit(database, catalogue, answers(["riga_pii_4"], ["staff"]), T0 + timedelta(days=30))
    assert places(database, catalogue, early) == {"riga_pii_4": (1, 2, 2)}


def test_identical_timestamps_are_broken_by_the_case_id(database, catalogue):
    ids = [submit(database, catalogue, answers(["riga_pii_saulite"]), T0) for _ in range(3)]
    assert [places(database, catalogue, i)["riga_pii_saulite"][1] for i in ids] == [1, 2, 3]
    assert [places(database, catalogue, i)["riga_pii_saulite"][1] for i in ids] == [1, 2, 3]   # stable


def test_two_submissions_at_the_same_moment_get_distinct_positions(database, catalogue):
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def one() -> None:
        try:
            barrier.wait()
            results.append(submit(database, catalogue, answers(["riga_pii_pasacina"]), T0))
        except BaseException as error:      # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seen = sorted(places(database, catalogue, i)["riga_pii_pasacina"] for i in results)
    assert seen == [(1, 1, 2), (1, 2, 2)]


def test_missing_entries_are_recreated_from_the_stored_answers(database, catalogue):
    case = submit(database, catalogue, answers(["riga_pii_zilite", "riga_pii_4"], ["sibling"]), T0)
    with database.transaction() as session:
        session.query(QueueEntry).filter(QueueEntry.submission_id == case).delete()
    set_status(database, catalogue, case, "in_queue")
    assert places(database, catalogue, case) == {"riga_pii_zilite": (1, 1, 1), "riga_pii_4": (2, 1, 1)}
    with database.transaction() as session:
        keys = session.scalars(select(QueueEntry.order_keys).where(QueueEntry.submission_id == case)).first()
    assert keys["priority_group"] == ["n", "2"]


# -- the general construct ------------------------------------------------------------
def test_partitions_of_a_repeat_member_a_multi_choice_a_scalar_and_none():
    values = {"institutions": [{"institution": "b"}, {"institution": None}, {"institution": "a"},
                               {"institution": "b"}],
              "areas": ["north", "south"], "district": "centre"}
    assert [(p, r) for p, r, _ in partitions("institutions.institution", values)] == [("b", 1), ("a", 3)]
    assert [(p, r) for p, r, _ in partitions("areas", values)] == [("north", 1), ("south", 2)]
    assert [(p, r) for p, r, _ in partitions("district", values)] == [("centre", 1)]
    assert [(p, r) for p, r, _ in partitions(None, values)] == [("", 1)]
    assert list(partitions("missing", values)) == []


def test_descending_keys_and_missing_values():
    from runtime.queue import _comparator, _encode
    import functools

    rows = [(1, {"score": _encode(5), "submitted_at": _encode(T0)}),
            (2, {"score": _encode(9), "submitted_at": _encode(T0)}),
            (3, {"score": None, "submitted_at": _encode(T0 - timedelta(days=1))}),
            (4, {"score": _encode(9), "submitted_at": _encode(T0 - timedelta(seconds=1))})]
    ordered = sorted(rows, key=functools.cmp_to_key(_comparator(("-score", "submitted_at"))))
    assert [sid for sid, _ in ordered] == [4, 2, 1, 3]


# -- the page --------------------------------------------------------------------------
@pytest.fixture
def app(app_config, catalogue):
    app_config["secret_key"] = SECRET
    application = create_app(app_config, catalogue=catalogue)
    yield application
    application.extensions["pkip"].database.dispose()


def signed_in(app, client, person: dict) -> None:
    with app.test_request_context():
        sign_in(Person(**person))
        stored = dict(flask_session)
    with client.session_transaction() as browser:
        browser.update(stored)


def test_the_page_shows_the_positions_to_the_owner_only(app, catalogue):
    db = app.extensions["pkip"].database
    mine = submit(db, catalogue, answers(["riga_pii_zilite", "riga_pii_4"]), T0 + timedelta(minutes=5))
    submit(db, catalogue, answers(["riga_pii_zilite"]), T0, person=OTHER_PARENT)
    with db.transaction() as session:
        reference = session.get(Submission, mine).reference
    url = f"/riga/{SERVICE}/case/{reference}/queue"

    owner = app.test_client()
    signed_in(app, owner, PARENT)
    page = owner.get(url + "?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2nd of 2" in html and "1st of 1" in html and "1st choice" in html and "2nd choice" in html
    assert "Riga preschool &#34;Zīlīte&#34;" in html or "Riga preschool &quot;Zīlīte&quot;" in html
    assert page.headers["Cache-Control"] == "private, no-store"
    latvian = owner.get(url + "?lang=lv").get_data(as_text=True)
    assert "2. no 2" in latvian and "Vieta rindā" in latvian and "1. izvēle" in latvian

    stranger = app.test_client()
    signed_in(app, stranger, OTHER_PARENT)
    assert stranger.get(url).status_code == 404
    assert app.test_client().get(url).status_code == 404
    assert owner.get(f"/liepaja/{SERVICE}/case/{reference}/queue").status_code == 404
    assert owner.get(f"/riga/dog-fee/case/{reference}/queue").status_code == 404


def test_the_browser_that_submitted_may_see_the_page(app, catalogue):
    db = app.extensions["pkip"].database
    mine = submit(db, catalogue, answers(["riga_pii_120"]), T0)
    with db.transaction() as session:
        reference = session.get(Submission, mine).reference
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["submitted"] = [reference]
    assert "1st of 1" in client.get(f"/riga/{SERVICE}/case/{reference}/queue?lang=en").get_data(as_text=True)
    set_status(db, catalogue, mine, "withdrawn")
    html = client.get(f"/riga/{SERVICE}/case/{reference}/queue?lang=en").get_data(as_text=True)
    assert "not in the queue now" in html and "Withdrawn" in html
