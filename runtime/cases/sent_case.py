"""A sent case as its confirmation page reads it: the facts stored at submission (the
reference, who it belongs to, the institution it went to, the fees as charged, the due
dates) and its service version, with one prebuilt Core select on a plain connection
(no ORM objects, and not the answers nor the version's source text unless needed)."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import bindparam, select

from ..storage.database import Database
from ..storage.models import ServiceVersion, Submission
from .drafts import VERSION_COLUMNS, VersionRow

SENT_COLUMNS = (Submission.reference, Submission.municipality_id, Submission.person_code_hash,
                Submission.institution_id, Submission.subject_kind, Submission.subject_hash, Submission.fees,
                Submission.institution, Submission.due_on, Submission.payment_due_on)
# Built once, with the reference a bound parameter (as `drafts._DRAFT_SELECT`)
_SENT_SELECT = (select(*SENT_COLUMNS, *VERSION_COLUMNS)
                .join_from(Submission, ServiceVersion, Submission.service_version_id == ServiceVersion.id)
                .where(Submission.reference == bindparam("reference")))


class SentCase:
    """The stored facts of a case that its confirmation shows (an `access.CaseLike`)."""
    __slots__ = ("reference", "municipality_id", "person_code_hash", "institution_id", "subject_kind",
                 "subject_hash", "fees", "institution", "due_on", "payment_due_on")

    def __init__(self, values) -> None:
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)


def read_sent_case(database: Database, reference: str,
                   source_text_needed: Callable[[VersionRow], bool] = lambda version: False,
                   ) -> tuple[SentCase, VersionRow] | None:
    """The case `reference` and its service version (its `source_text` only when
    `source_text_needed(version)` says so), or None when there is no such case."""
    with database.read_only() as connection:
        row = connection.execute(_SENT_SELECT, {"reference": reference}).first()
        if row is None:
            return None
        split = len(SENT_COLUMNS)
        case, version = SentCase(row[:split]), VersionRow(row[split:])
        if source_text_needed(version):
            version.source_text = connection.execute(
                select(ServiceVersion.source_text).where(ServiceVersion.id == version.id)).scalar_one()
        return case, version
