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


def many_jobs(app, count: int, municipality_id: str = "riga") -> None:
    """`count` dead letters made by the database itself in one statement (100,000 in a
    second or two), "refused #0" to "refused #<count - 1>" in the order of their ids."""
    from sqlalchemy import text
    database = app.extensions["pkip"].database
    numbers = ("generate_series(0, :last) AS n(x)" if database.dialect == "postgresql" else
               "(WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < :last) SELECT x FROM n)")
    payload = "CAST(:payload AS jsonb)" if database.dialect == "postgresql" else ":payload"
    statement = text(
        "INSERT INTO outbox (kind, payload, attempts, max_attempts, municipality_id, idempotency_key,"
        " ordering_key, last_error, dead_at, created_at, run_after)"
        f" SELECT 'publish', {payload}, 12, 12, :municipality, 'pspp:RIG-' || x || '\\:1', 'pspp:RIG-' || x,"
        f" 'refused #' || x, :now, :now, :now FROM {numbers} ORDER BY x")
    with database.transaction() as session:
        session.execute(statement, {"last": count - 1, "payload": '{"publisher": "pspp"}',
                                    "municipality": municipality_id, "now": utc_now()})


def test_the_page_shows_fifty_a_group_with_the_true_count_and_pages_through(staff_app):
    import re
    many_jobs(staff_app, 120)
    park(staff_app, key="pspp:pending:1", error=None)      # a failed-free one: not dead, no error
    with staff_app.extensions["pkip"].database.transaction() as session:
        session.execute(OutboxJob.__table__.update().where(OutboxJob.idempotency_key == "pspp:pending:1")
                        .values(dead_at=None))
    client = admin_client(staff_app)
    first = client.get("/staff/riga/outbox").get_data(as_text=True)
    assert "(120)</h2>" in first and "1. lapa no 3" in first
    assert len(re.findall(r"refused #\d+<", first)) == 50 and "refused #0<" in first and "refused #50<" not in first
    last = client.get("/staff/riga/outbox?dead=3").get_data(as_text=True)
    assert len(re.findall(r"refused #\d+<", last)) == 20 and "refused #119<" in last and "refused #99<" not in last
    assert "pspp:pending:1" in last, "another group keeps its own first page"
    assert 'href="/staff/riga/outbox?dead=2#dead"' in last
    for odd in ("dead=99", "dead=-1", "dead=x", "dead=" + "9" * 30):
        assert client.get(f"/staff/riga/outbox?{odd}").status_code == 200


def test_the_page_stays_quick_with_a_hundred_thousand_jobs(staff_app):
    """What the page reads does not grow with the outbox: two counts and 50 rows a group
    (asserted as rows rendered, not as time: speed is the bench's)."""
    import re
    many_jobs(staff_app, 100_000)
    client = admin_client(staff_app)
    page = client.get("/staff/riga/outbox?dead=2000").get_data(as_text=True)
    assert "(100000)</h2>" in page and "2000. lapa no 2000" in page
    assert len(re.findall(r"refused #\d+<", page)) == 50 and "refused #99999<" in page
