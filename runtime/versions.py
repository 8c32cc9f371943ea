"""The compiled service a draft or a submission was filled against: the one way to find it.

Every draft and submission points at one `service_versions` row. When that row is the
catalogue's current definition (same source hash), the catalogue's compiled and bound
service is used as it is. An older row is compiled from its stored source text (with the
catalogue's code lists) once per process and cached by its source hash (not the row id:
ids are per database, the hash is the text itself), then bound to the municipality (a
dictionary merge, cached too): a resident who started on version 1 finishes on version 1,
and an old case is shown and rendered with its own fields, labels and process.

A case stays readable after its municipality stops offering the service: the version is
then bound to the municipality with the service's default parameters (what was charged is
stored with the submission, `runtime.fees`). Whether a draft may still be *continued* is
the resident flow's decision, not this module's.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from builder.compiler import compile_text
from builder.model import Service
from builder.overlay import EffectiveService, bind
from builder.problems import Problems
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .storage.models import ServiceVersion

_compiled: dict[str, Service | None] = {}
_bound: dict[tuple[str, str], EffectiveService] = {}
_lock = threading.Lock()


class UnknownServiceVersion(LookupError):
    """The row is missing, its stored text no longer compiles, or its municipality is gone."""


def compiled_service(catalogue: Any, row: ServiceVersion) -> Service | None:
    """The compiled service of `row`; None when its stored text no longer compiles (only
    possible when a shared code list it names was removed since it was published)."""
    current = catalogue.services.get(row.service_id)
    if current is not None and current.source_hash == row.source_hash:
        return current
    if row.source_hash not in _compiled:
        with _lock:
            if row.source_hash not in _compiled:
                _compiled[row.source_hash] = compile_text(row.source_text, f"service_versions/{row.id}",
                                                          Problems(), catalogue.codelists)
    return _compiled[row.source_hash]


def source_text_needed(catalogue: Any, row: ServiceVersion) -> bool:
    """Whether finding the service of `row` would compile its stored text: neither the
    catalogue's current definition nor compiled in this process yet."""
    current = catalogue.services.get(row.service_id)
    return not (current is not None and current.source_hash == row.source_hash) and row.source_hash not in _compiled


def effective_for_version(catalogue: Any, municipality_id: str, row: ServiceVersion) -> EffectiveService | None:
    """The service of `row` as `municipality_id` offers it (or, if it no longer does, with
    the default parameters); None when the municipality is unknown or the text does not
    compile."""
    municipality = catalogue.municipalities.get(municipality_id)
    if municipality is None:
        return None
    current = catalogue.effective(municipality_id, row.service_id)
    if current is not None and current.service.source_hash == row.source_hash:
        return current
    key = (row.source_hash, municipality_id)
    cached = _bound.get(key)
    if cached is not None and cached.municipality is municipality:   # not one of another catalogue
        return cached
    service = compiled_service(catalogue, row)
    if service is None:
        return None
    effective = bind(service, municipality)
    with _lock:
        _bound[key] = effective
    return effective


def version_row(session: Session, version_id: int) -> ServiceVersion:
    row = session.get(ServiceVersion, version_id)
    if row is None:
        raise UnknownServiceVersion(f"service version {version_id} does not exist")
    return row


# Built once: every list of cases ("my applications") runs it.
_VERSION_HASHES = select(ServiceVersion.id, ServiceVersion.service_id, ServiceVersion.source_hash) \
    .where(ServiceVersion.id.in_(bindparam("ids", expanding=True)))


def services_for_versions(catalogue: Any, session: Session, version_ids: Iterable[int]) -> dict[int, Service | None]:
    """The compiled service of each of `version_ids` (None: it no longer compiles; a
    missing id is left out), for a list of cases: one query for the versions' ids and
    hashes, and a version's stored text (tens of KB) is read only when this process has
    not compiled it yet."""
    wanted = set(version_ids)
    if not wanted:
        return {}
    rows = session.execute(_VERSION_HASHES, {"ids": sorted(wanted)}).all()
    found: dict[int, Service | None] = {}
    for row in rows:
        full = version_row(session, row.id) if source_text_needed(catalogue, row) else row
        found[row.id] = compiled_service(catalogue, full)
    return found


def services_for_rows(catalogue: Any, database: Any, rows: Iterable[Any]) -> dict[int, Service | None]:
    """`services_for_versions` for rows that carry their version's `service_version_id`,
    `service_id` and `source_hash` already (joined in the list's query): no query at all,
    unless a version's stored text must be compiled in this process (then one session
    reads those texts)."""
    versions = {row.service_version_id: _Version(row.service_version_id, row.service_id, row.source_hash)
                for row in rows}
    unread = [version.id for version in versions.values() if source_text_needed(catalogue, version)]
    if unread:
        with database.transaction() as session:
            versions.update({version_id: version_row(session, version_id) for version_id in unread})
    return {version_id: compiled_service(catalogue, version) for version_id, version in versions.items()}


class _Version:
    """A version's id, service and hash (`compiled_service` reads only these when the
    service is current or already compiled)."""
    __slots__ = ("id", "service_id", "source_hash")

    def __init__(self, version_id: int, service_id: str, source_hash: str) -> None:
        self.id, self.service_id, self.source_hash = version_id, service_id, source_hash


def service_for_version(catalogue: Any, session: Session, version_id: int) -> Service:
    """The compiled service of `service_versions.id == version_id`, or `UnknownServiceVersion`."""
    row = version_row(session, version_id)
    service = compiled_service(catalogue, row)
    if service is None:
        raise UnknownServiceVersion(f"service version {row.id} ({row.service_id} {row.version}) does not compile")
    return service


def effective_for_case(catalogue: Any, session: Session, municipality_id: str, version_id: int) -> EffectiveService:
    """The bound service a draft or submission was filled against, or `UnknownServiceVersion`."""
    row = version_row(session, version_id)
    effective = effective_for_version(catalogue, municipality_id, row)
    if effective is None:
        raise UnknownServiceVersion(f"service version {row.id} cannot be shown for {municipality_id!r}")
    return effective
