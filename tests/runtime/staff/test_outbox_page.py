"""The outgoing-messages page: a municipal admin sees their municipality's dead letters
with the last error, retries one (due again, attempts afresh) or discards one (done, and
the case's later messages may go), each audited; a platform admin sees it too."""
from __future__ import annotations

from sqlalchemy import select

from runtime.storage.models import AuditEntry, OutboxJob, utc_now

from .conftest import csrf_token, make_staff, sign_in


def park(app, municipality_id="riga", key="pspp:RIG-1:1", error="refused: unknown addressee"):
    with app.extensions["pkip"].database.transaction() as session:
        job = OutboxJob(kind="publish", payload={"publisher": "pspp"}, attempts=12, max_attempts=12,
                        municipality_id=municipality_id, idempotency_key=key, ordering_key="pspp:RIG-1",
                        last_error=error, dead_at=utc_now())
        session.add(job)
        session.flush()
        return job.id


def job(app, job_id):
    with app.extensions["pkip"].database.transaction() as session:
        return session.get(OutboxJob, job_id)


def admin_client(app, email="admin@riga.lv", role="municipal_admin", municipality="riga"):
    make_staff(app, email, role, municipality)
    client = app.test_client()
    sign_in(client, email)
    return client


def test_the_admin_sees_dead_letters_and_retries_one(staff_app):
    job_id = park(staff_app)
    other = park(staff_app, "jurmala", key="pspp:JUR-1:1", error="refused: jurmala's own")
    client = admin_client(staff_app)
    page = client.get("/staff/riga/outbox").get_data(as_text=True)
    assert "refused: unknown addressee" in page and "pspp:RIG-1:1" in page and "jurmala&#39;s own" not in page
    response = client.post(f"/staff/riga/outbox/{job_id}/retry", data={"csrf_token": csrf_token(client, "/staff/riga/outbox")})
    assert response.status_code == 303
    retried = job(staff_app, job_id)
    assert retried.dead_at is None and retried.attempts == 0 and retried.done_at is None
    # another municipality's job is not found
    assert client.post(f"/staff/riga/outbox/{other}/retry",
                       data={"csrf_token": csrf_token(client, "/staff/riga/outbox")}).status_code == 404
    assert job(staff_app, other).dead_at is not None
    with staff_app.extensions["pkip"].database.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.retry")).all()
        assert entry.object_id == str(job_id) and entry.municipality_id == "riga"


def test_a_discard_is_done_by_whom_and_audited_and_cannot_be_repeated(staff_app):
    job_id = park(staff_app)
    client = admin_client(staff_app)
    token = csrf_token(client, "/staff/riga/outbox")
    assert client.post(f"/staff/riga/outbox/{job_id}/discard", data={"csrf_token": token}).status_code == 303
    discarded = job(staff_app, job_id)
    assert discarded.done_at is not None and discarded.discarded_by.startswith("staff:")
    again = client.post(f"/staff/riga/outbox/{job_id}/discard", data={"csrf_token": token})
    assert again.status_code == 200 and "nekas netika mainīts" in again.get_data(as_text=True)
    with staff_app.extensions["pkip"].database.transaction() as session:
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.discard")).all()) == 1


def test_without_a_csrf_token_nothing_is_retried(staff_app):
    job_id = park(staff_app)
    client = admin_client(staff_app)
    assert client.post(f"/staff/riga/outbox/{job_id}/retry").status_code == 400
    assert job(staff_app, job_id).dead_at is not None


def test_a_platform_admin_sees_every_municipalitys_messages_and_a_municipal_admin_not(staff_app):
    job_id = park(staff_app, "jurmala", key="pspp:JUR-1:1", error="refused: in jurmala")
    client = admin_client(staff_app, "platform@pkip.lv", "platform_admin", None)
    assert "refused: in jurmala" in client.get("/staff/outbox").get_data(as_text=True)
    assert client.post(f"/staff/outbox/{job_id}/discard",
                       data={"csrf_token": csrf_token(client, "/staff/outbox")}).status_code == 303
    assert job(staff_app, job_id).done_at is not None
    riga_admin = admin_client(staff_app)
    assert riga_admin.get("/staff/outbox").status_code == 404
