"""Import the catalogue's services into `service_versions` (`pkip sync`, and at start-up).

A service's current definition is stored when its source hash is new for that service;
a stored row is never updated (the database refuses it too). Drafts and submissions point
at these rows, so a case is always handled against the exact text it was filled against.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .kept import kept_on
from .storage.database import Database
from .storage.models import ServiceVersion, utc_now

log = logging.getLogger(__name__)


class CompiledService(Protocol):
    id: str
    version: str
    source_hash: str
    source_text: str


@dataclass
class SyncReport:
    imported: list[str] = field(default_factory=list)   # "dog-fee 1.0.0"
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.imported)} imported, {len(self.unchanged)} unchanged"


def sync_service_versions(database: Database, services: Iterable[CompiledService]) -> SyncReport:
    report = SyncReport()
    with database.transaction() as session:
        for service in sorted(services, key=lambda s: s.id):
            _sync_one(session, service, report)
    for line in report.imported:
        log.info("published service version %s", line)
    for line in report.warnings:
        log.warning("%s", line)
    return report


def _sync_one(session: Session, service: CompiledService, report: SyncReport) -> None:
    label = f"{service.id} {service.version}"
    known = session.execute(
        select(ServiceVersion.source_hash, ServiceVersion.version)
        .where(ServiceVersion.service_id == service.id)
    ).all()
    if any(row.source_hash == service.source_hash for row in known):
        report.unchanged.append(label)
        return
    if any(row.version == service.version for row in known):
        report.warnings.append(
            f"{label}: the definition changed but its version did not; "
            "raise `service.version` when publishing a change"
        )
    _insert_if_absent(session, service)
    report.imported.append(label)


def _insert_if_absent(session: Session, service: CompiledService) -> None:
    """Insert, doing nothing when another process imported the same text meanwhile."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ServiceVersion).values(
        service_id=service.id,
        version=service.version,
        source_hash=service.source_hash,
        source_text=service.source_text,
        published_at=utc_now(),
    ).on_conflict_do_nothing(index_elements=["service_id", "source_hash"])
    session.execute(statement)


_VERSION_ID = select(ServiceVersion.id).where(ServiceVersion.service_id == bindparam("service_id"),
                                              ServiceVersion.source_hash == bindparam("source_hash"))
VERSION_IDS_KEPT = "_pkip_version_ids"


def current_version_id(session: Session | Connection, service: CompiledService) -> int | None:
    """The `service_versions` id of the service's current definition, once synced."""
    return session.execute(_VERSION_ID, {"service_id": service.id, "source_hash": service.source_hash}
                           ).scalar_one_or_none()


def kept_version_id(database: Database, service: CompiledService) -> int | None:
    """`current_version_id`, read once per database and definition: a stored version row
    is never updated nor deleted (the database refuses both), so its id stays that
    definition's. Kept on the app's `Database` (a read and a connection less for every
    "Start now"); not found (not synced yet) is not kept."""
    kept = kept_on(database, VERSION_IDS_KEPT)
    key = (service.id, service.source_hash)
    found = kept.get(key)
    if found is None:
        with database.read_only() as connection:
            found = current_version_id(connection, service)
        if found is not None:
            kept[key] = found
    return found
