"""A request's one-row reads (its session, its draft) share one pooled connection
(`Database.hold_reads`, opened by the session store): one checkout for a signed-in
question page instead of two, back in the pool when the request ends; each read still
sees what was committed before it, a failed read leaves the next one a sound connection,
and a sign-out on one device still ends the other's session."""
from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from .test_server_sessions import _csrf
from .resident_support import PET
from .support_documents import CODE_A, dev_sign_in, real_app


@pytest.fixture
def signed_in(app_config):
    app = real_app(app_config, env="development", dev_signin=True)
    client = app.test_client()
    dev_sign_in(client, CODE_A)
    yield app, client
    app.extensions["pkip"].database.dispose()


def _checkouts(database) -> list[int]:
    counted: list[int] = []
    event.listen(database.engine.pool, "checkout", lambda *_args: counted.append(1))
    return counted


def _question_page(client) -> str:
    page = client.get(f"{PET}/").get_data(as_text=True)
    started = client.post(f"{PET}/start", data={"csrf_token": _csrf(page)})
    assert started.status_code == 302
    return started.headers["Location"]


def test_a_signed_in_question_page_checks_out_one_connection(signed_in):
    app, client = signed_in
    database = app.extensions["pkip"].database
    question = _question_page(client)
    counted = _checkouts(database)
    for _ in range(3):
        assert client.get(question).status_code == 200
    assert len(counted) == 3, "the session read and the draft read share one checkout a request"
    assert database.engine.pool.checkedout() == 0, "and it is back in the pool when the request ends"


def test_reads_held_see_what_was_committed_between_them(database):
    database.hold_reads()
    try:
        assert database.first_row("SELECT COUNT(*) FROM person_sessions", ()) == (0,)
        with database.single_write() as connection:
            connection.exec_driver_sql("INSERT INTO person_sessions (person_code_hash, generation) VALUES ('h', 1)")
        assert database.first_row("SELECT COUNT(*) FROM person_sessions", ()) == (1,), "no snapshot kept"
        assert database.engine.pool.checkedout() == 1
    finally:
        database.release_reads()
    assert database.engine.pool.checkedout() == 0


def test_a_failed_read_held_leaves_the_next_read_a_sound_connection(database):
    database.hold_reads()
    try:
        with pytest.raises(DBAPIError):
            database.first_row("SELECT * FROM no_such_table", ())
        assert database.first_row("SELECT 1", ()) == (1,)
    finally:
        database.release_reads()
    assert database.engine.pool.checkedout() == 0


def test_a_sign_out_on_one_device_ends_the_session_another_reads(app_config):
    app = real_app(app_config, env="development", dev_signin=True)
    try:
        phone, laptop = app.test_client(), app.test_client()
        for device in (phone, laptop):
            dev_sign_in(device, CODE_A)
        question = _question_page(laptop)
        assert laptop.get(question).status_code == 200
        page = phone.get("/my/")
        phone.post("/signout", data={"csrf_token": _csrf(page.get_data(as_text=True))})
        assert "/signout" not in laptop.get(question).get_data(as_text=True)
        assert laptop.get("/my/").status_code == 302, "signing out on the phone ends the laptop's session"
    finally:
        app.extensions["pkip"].database.dispose()


def test_a_post_that_saves_the_draft_checks_out_one_connection(signed_in):
    """The session read, the draft read and the draft's save (`write_row`) of a post."""
    from runtime.cases.drafts import load_draft
    from runtime.storage.models import Draft
    from sqlalchemy import select

    app, client = signed_in
    database = app.extensions["pkip"].database
    question = _question_page(client)
    page = client.get(question).get_data(as_text=True)
    assert 'name="applicant_kind"' in page
    counted = _checkouts(database)
    posted = client.post(question, data={"applicant_kind": "company", "csrf_token": _csrf(page)})
    assert posted.status_code == 302
    checkouts = len(counted)
    with database.sessions() as session:
        [draft_id] = session.scalars(select(Draft.id)).all()
    assert load_draft(database, draft_id)[0].answers.get("applicant_kind") == "company", "the answer was saved"
    assert checkouts == 1, "one checkout for the post's reads and its save"
    assert database.engine.pool.checkedout() == 0
