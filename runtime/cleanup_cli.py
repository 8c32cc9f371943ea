"""`pkip cleanup [--dry-run] [--drafts-days N] [--uploads-hours N]`: delete abandoned
drafts and their files, uploaded files nothing refers to, expired sessions and rate
counters (`runtime.cases.cleanup`). The ages default to the settings `keep_drafts_days`
and `keep_replaced_uploads_hours`; run it daily from a scheduler (cron, a systemd timer).
`--dry-run` only reports what would go."""
from __future__ import annotations

import argparse
from datetime import timedelta

from .cases.cleanup import Retention, clean_up
from .cases.clock import Clock
from .config import load_settings
from .startup import open_database


def add_cleanup_command(commands) -> None:
    cleanup = commands.add_parser("cleanup", help="delete abandoned drafts, unreferenced uploads, expired sessions")
    cleanup.add_argument("--dry-run", action="store_true", help="report what would be deleted, delete nothing")
    cleanup.add_argument("--drafts-days", type=_positive, help="drafts untouched this many days (default: setting)")
    cleanup.add_argument("--uploads-hours", type=_positive,
                         help="unreferenced files at least this many hours old (default: setting)")
    cleanup.set_defaults(run=_cleanup)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _cleanup(arguments: argparse.Namespace) -> int:
    settings = load_settings()
    limits = settings.limits
    retention = Retention(keep_drafts=timedelta(days=arguments.drafts_days or limits.keep_drafts_days),
                          keep_uploads=timedelta(hours=arguments.uploads_hours or limits.keep_replaced_uploads_hours))
    database = open_database(settings)
    try:
        report = clean_up(database, settings.instance_path, retention, now=Clock().now(), dry_run=arguments.dry_run)
    finally:
        database.dispose()
    print(f"pkip cleanup: {report.summary(arguments.dry_run)}")
    return 0
