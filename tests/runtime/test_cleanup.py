"""`pkip cleanup` (issue 16 finding 6): abandoned drafts and unreferenced uploads go,
never a file a case or a live draft refers to, nor a young one; on both databases."""
from __future__ import annotations

import io
import os
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from app import main
from runtime.cases.cleanup import Retention, clean_up
from runtime.cases.ratelimit import Limit, take
from runtime.storage.models import BrowserSession, Draft, RateCounter, Upload
from runtime.uploads import store_upload

from .support_documents import insert_draft, insert_submission, real_app
from .test_uploads import PDF, FileField

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
RETENTION = Retention(keep_drafts=timedelta(days=30), keep_uploads=timedelta(hours=24))


@pytest.fixture
def app(app_config):
    application = real_app(app_config)
    yield application
    application.extensions["pkip"].database.dispose()


def upload(app, draft_id, *, age: timedelta, name: str = "a.pdf") -> dict:
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        answer = store_upload(session, draft_id=draft_id, field=FileField(), field_path="consent_document",
                              file_storage=FileStorage(io.BytesIO(PDF + name.encode()), filename=name),
                              settings=state.settings)
        session.execute(update(Upload).where(Upload.id == _uuid(answer["id"])).values(created_at=NOW - age))
    return answer


def _uuid(text):
    import uuid
    return uuid.UUID(text)


def set_draft(app, draft_id, *, age: timedelta, answers: dict | None = None) -> None:
    values = {"updated_at": NOW - age, **({"answers": answers} if answers is not None else {})}
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Draft).where(Draft.id == draft_id).values(**values))


def upload_ids(app) -> set[str]:
    with app.extensions["pkip"].database.sessions() as session:
        return {str(found) for found in session.scalars(select(Upload.id))}


def draft_ids(app) -> set:
    with app.extensions["pkip"].database.sessions() as session:
        return set(session.scalars(select(Draft.id)))


def file_of(app, answer) -> str:
    with app.extensions["pkip"].database.sessions() as session:
        relative = session.scalar(select(Upload.storage_path).where(Upload.id == _uuid(answer["id"])))
    return str(app.extensions["pkip"].settings.instance_path / relative)


def run(app, dry_run: bool = False):
    state = app.extensions["pkip"]
    return clean_up(state.database, state.settings.instance_path, RETENTION, now=NOW, dry_run=dry_run)


def scene(app):
    """An abandoned draft with two files; a live draft with a file it names, an old file it
    replaced and a young one it does not name yet; a case's file; a submitted draft's leftover."""
    abandoned = insert_draft(app)
    abandoned_files = [upload(app, abandoned, age=timedelta(days=40), name=f"old{n}.pdf") for n in range(2)]
    set_draft(app, abandoned, age=timedelta(days=31))
    live = insert_draft(app, code=None)
    named = upload(app, live, age=timedelta(days=3), name="named.pdf")
    replaced = upload(app, live, age=timedelta(days=2), name="replaced.pdf")
    young = upload(app, live, age=timedelta(minutes=5), name="young.pdf")
    set_draft(app, live, age=timedelta(days=1), answers={"consent_document": named})
    sent = insert_draft(app, code=None)
    attached, leftover = (upload(app, sent, age=timedelta(days=60), name=f"{n}.pdf") for n in ("case", "leftover"))
    submission_id = insert_submission(app, "RIX-PET-2026-000001", with_job=False)
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Upload).where(Upload.id == _uuid(attached["id"])).values(submission_id=submission_id))
        session.execute(Draft.__table__.delete().where(Draft.__table__.c.id == sent))   # submitted: draft gone
    return {"abandoned": abandoned, "abandoned_files": abandoned_files, "live": live, "named": named,
            "replaced": replaced, "young": young, "attached": attached, "leftover": leftover}


def test_abandoned_drafts_and_unreferenced_files_go_and_nothing_else(app):
    found = scene(app)
    paths = {name: file_of(app, found[name]) for name in ("named", "replaced", "young", "attached", "leftover")}
    abandoned_paths = [file_of(app, answer) for answer in found["abandoned_files"]]
    report = run(app)
    assert (report.drafts, report.uploads) == (1, 4)      # the abandoned draft's 2, replaced, leftover
    assert draft_ids(app) == {found["live"]}
    assert upload_ids(app) == {found[name]["id"] for name in ("named", "young", "attached")}
    assert all(os.path.exists(paths[name]) for name in ("named", "young", "attached"))
    assert not any(os.path.exists(path) for path in [paths["replaced"], paths["leftover"], *abandoned_paths])
    again = run(app)
    assert (again.drafts, again.uploads, again.stray_files) == (0, 0, 0)


def test_a_dry_run_reports_the_same_and_deletes_nothing(app):
    found = scene(app)
    before = upload_ids(app), draft_ids(app)
    report = run(app, dry_run=True)
    assert (report.drafts, report.uploads) == (1, 4)
    assert (upload_ids(app), draft_ids(app)) == before
    assert os.path.exists(file_of(app, found["replaced"]))


def test_a_file_without_a_row_goes_once_it_is_old(app):
    folder = app.extensions["pkip"].settings.instance_path / "uploads" / "ab"
    folder.mkdir(parents=True)
    old, new = folder / "killed-before-its-row", folder / "being-written.part"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    os.utime(old, (NOW.timestamp() - 3 * 86400,) * 2)
    os.utime(new, (NOW.timestamp() - 60,) * 2)
    report = run(app)
    assert report.stray_files == 1 and not old.exists() and new.exists()


def test_expired_sessions_and_rate_counters_go(app):
    database = app.extensions["pkip"].database
    with database.transaction() as session:
        session.add_all([BrowserSession(token_hash="a" * 64, data={}, expires_at=NOW - timedelta(seconds=1)),
                         BrowserSession(token_hash="b" * 64, data={}, expires_at=NOW + timedelta(days=1))])
    take(database, kind="signin", client="c", limit=Limit(5, 60), now=NOW - timedelta(hours=1), secret="k" * 40)
    take(database, kind="signin", client="c", limit=Limit(5, 60), now=NOW, secret="k" * 40)
    report = run(app)
    assert (report.sessions, report.counters) == (1, 1)
    with database.sessions() as session:
        assert session.scalars(select(BrowserSession.token_hash)).all() == ["b" * 64]
        assert len(session.scalars(select(RateCounter.key_hash)).all()) == 1


def test_a_draft_saved_since_it_was_listed_is_kept(app, monkeypatch):
    """The decision is made on the row as it is inside the transaction, not as listed."""
    import runtime.cases.cleanup as cleanup

    draft = insert_draft(app)
    set_draft(app, draft, age=timedelta(days=40))
    listed = cleanup._ids

    def list_then_save(database, statement):
        found = listed(database, statement)
        set_draft(app, draft, age=timedelta(seconds=1))     # the resident comes back meanwhile
        return found

    monkeypatch.setattr(cleanup, "_ids", list_then_save)
    assert run(app).drafts == 0 and draft_ids(app) == {draft}


def test_pkip_cleanup_command(app_config, monkeypatch, capsys):
    application = real_app(app_config)
    draft = insert_draft(application)
    with application.extensions["pkip"].database.transaction() as session:
        session.execute(update(Draft).where(Draft.id == draft).values(
            updated_at=datetime.now(timezone.utc) - timedelta(days=40)))
    application.extensions["pkip"].database.dispose()
    monkeypatch.setenv("PKIP_INSTANCE_PATH", app_config["instance_path"])
    monkeypatch.setenv("PKIP_DATABASE_URL", app_config["database_url"])
    monkeypatch.setenv("PKIP_ENV", "testing")
    assert main(["cleanup", "--dry-run"]) == 0
    assert "would delete: 1 abandoned drafts" in capsys.readouterr().out
    assert main(["cleanup", "--drafts-days", "50"]) == 0
    assert "deleted: 0 abandoned drafts" in capsys.readouterr().out
    assert main(["cleanup"]) == 0
    assert "deleted: 1 abandoned drafts" in capsys.readouterr().out
