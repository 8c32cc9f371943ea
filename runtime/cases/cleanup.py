"""Clean-up (issue 16 finding 6; the retention job of the admin issue reuses it): drafts
nobody touched for `keep_drafts` and their files, uploaded files nothing refers to any
more, expired browser sessions and rate counters. `pkip cleanup [--dry-run]` runs it.

Never deleted: a file attached to a case (`submission_id`), a file a live draft's
answers name, anything younger than `keep_uploads` (a file is stored a moment before
the answers that name it are saved: a young file is never judged unreferenced). Each
draft is decided inside a transaction that holds its row (`FOR UPDATE` on PostgreSQL,
the write lock on SQLite), so a resident saving or submitting at that moment either
comes first, and their draft or files are kept, or finds the draft gone. Rows go
first, in that transaction; the files after it commits: a crash in between leaves a
file without a row (which the next run removes), never a row without its file.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import BrowserSession, Draft, Upload
from ..uploads import UPLOADS_FOLDER, uploaded_file_ids
from .ratelimit import forget_expired

log = logging.getLogger(__name__)
BATCH = 200


@dataclass(frozen=True)
class Retention:
    keep_drafts: timedelta
    keep_uploads: timedelta


@dataclass
class CleanupReport:
    drafts: int = 0
    uploads: int = 0
    stray_files: int = 0
    sessions: int = 0
    counters: int = 0
    freed_bytes: int = 0
    paths: list[str] = field(default_factory=list, repr=False)

    def summary(self, dry_run: bool) -> str:
        verb = "would delete" if dry_run else "deleted"
        return (f"{verb}: {self.drafts} abandoned drafts, {self.uploads} uploaded files "
                f"({self.freed_bytes} bytes), {self.stray_files} files without a row, "
                f"{self.sessions} expired sessions, {self.counters} expired rate counters")


def clean_up(database: Database, instance_path: Path, retention: Retention, *, now: datetime,
             dry_run: bool = False) -> CleanupReport:
    report = CleanupReport()
    draft_cutoff, upload_cutoff = now - retention.keep_drafts, now - retention.keep_uploads
    abandoned = _ids(database, select(Draft.id).where(Draft.updated_at < draft_cutoff))
    with_old_files = select(Upload.draft_id).where(Upload.draft_id.is_not(None), Upload.submission_id.is_(None),
                                                   Upload.created_at < upload_cutoff).distinct()
    for draft_id in dict.fromkeys([*abandoned, *_ids(database, with_old_files)]):
        _decide_draft(database, draft_id, report, dry_run, abandoned_before=draft_cutoff, young_after=upload_cutoff)
    _orphans(database, report, dry_run, upload_cutoff)
    _stray_files(database, instance_path, report, dry_run, upload_cutoff)
    if not dry_run:
        _remove_files(instance_path, report.paths)
        report.sessions = _expired_sessions(database, now)
        report.counters = forget_expired(database, now)
    return report


def _ids(database: Database, statement) -> list[uuid.UUID]:
    with database.sessions() as session:
        return list(session.scalars(statement))


def _decide_draft(database: Database, draft_id: uuid.UUID, report: CleanupReport, dry_run: bool, *,
                  abandoned_before: datetime, young_after: datetime) -> None:
    """Delete the draft if it is still abandoned (with its files), else only its files
    that are older than `young_after` and that its answers no longer name."""
    with database.transaction() as session:
        if not dry_run:
            _hold(session, draft_id)
        draft = session.execute(select(Draft.answers, Draft.updated_at).where(Draft.id == draft_id)
                                .with_for_update()).first()
        if draft is None:
            return
        abandoned = _aware(draft.updated_at) < abandoned_before
        kept = set() if abandoned else set(uploaded_file_ids(draft.answers))
        files = [row for row in session.execute(
            select(Upload.id, Upload.storage_path, Upload.size, Upload.created_at)
            .where(Upload.draft_id == draft_id, Upload.submission_id.is_(None)))
            if row.id not in kept and (abandoned or _aware(row.created_at) < young_after)]
        _drop_uploads(session, files, report, dry_run)
        if abandoned:
            report.drafts += 1
            if not dry_run:
                session.execute(delete(Draft).where(Draft.id == draft_id).execution_options(synchronize_session=False))


def _hold(session: Session, draft_id: uuid.UUID) -> None:
    """Take the write lock before reading the draft. PostgreSQL's FOR UPDATE holds the
    row; SQLite has no row locks, and a transaction that read first and writes later
    would fail if someone wrote in between, so it writes first (a no-op update)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Draft).where(Draft.id == draft_id).values(updated_at=Draft.updated_at)
                        .execution_options(synchronize_session=False))


def _orphans(database: Database, report: CleanupReport, dry_run: bool, young_after: datetime) -> None:
    """Files of drafts that were submitted (the draft is gone) that the case did not take:
    the resident replaced or removed them before sending."""
    with database.sessions() as session:
        files = list(session.execute(
            select(Upload.id, Upload.storage_path, Upload.size)
            .where(Upload.draft_id.is_(None), Upload.submission_id.is_(None), Upload.created_at < young_after)))
    for start in range(0, len(files), BATCH):
        with database.transaction() as session:
            _drop_uploads(session, files[start:start + BATCH], report, dry_run)


def _drop_uploads(session: Session, files: list, report: CleanupReport, dry_run: bool) -> None:
    if not files:
        return
    if not dry_run:   # only rows still unattached: a submission that took one meanwhile keeps it
        deleted = set(session.scalars(delete(Upload).where(Upload.id.in_([f.id for f in files]),
                                                           Upload.submission_id.is_(None)).returning(Upload.id)))
        files = [f for f in files if f.id in deleted]
    report.uploads += len(files)
    report.freed_bytes += sum(f.size for f in files)
    report.paths.extend(f.storage_path for f in files)


def _stray_files(database: Database, instance_path: Path, report: CleanupReport, dry_run: bool,
                 young_after: datetime) -> None:
    """Files under `uploads/` that no row names (a process killed between writing a file
    and its row), older than `young_after`."""
    folder = instance_path / UPLOADS_FOLDER
    if not folder.is_dir():
        return
    with database.sessions() as session:
        known = set(session.scalars(select(Upload.storage_path)))
    limit = young_after.timestamp()
    for path in folder.rglob("*"):
        relative = str(path.relative_to(instance_path))
        if path.is_file() and relative not in known and relative not in report.paths \
                and path.stat().st_mtime < limit:
            report.stray_files += 1
            report.paths.append(relative)


def _remove_files(instance_path: Path, paths: list[str]) -> None:
    uploads = (instance_path / UPLOADS_FOLDER).resolve()
    for relative in paths:
        path = (instance_path / relative).resolve()
        if uploads in path.parents:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:     # reported, and tried again on the next run
                log.warning("clean-up could not remove an uploaded file: %s", error.strerror)


def _expired_sessions(database: Database, now: datetime) -> int:
    statement = delete(BrowserSession).where(BrowserSession.expires_at <= now).execution_options(
        synchronize_session=False)
    with database.transaction() as session:
        return session.execute(statement).rowcount


def _aware(moment: datetime) -> datetime:
    """SQLite gives timestamps back without their zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
