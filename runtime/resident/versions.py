"""The compiled service a draft was started on, even after a newer version replaced it.

Every draft points at one `service_versions` row. When that row is the catalogue's
current definition, the catalogue's compiled and bound service is used as it is. An older
row is compiled from its stored source text (with the catalogue's code lists) once per
process and cached by its source hash (not the row id: ids are per database, the hash is
the text itself), then bound to the municipality (a dictionary merge,
cached too): a resident who started on version 1 finishes on version 1.
"""
from __future__ import annotations

import threading

from builder.compiler import compile_text
from builder.model import Service
from builder.overlay import EffectiveService, bind
from builder.problems import Problems

from ..storage.models import ServiceVersion

_compiled: dict[str, Service | None] = {}
_bound: dict[tuple[str, str], EffectiveService] = {}
_lock = threading.Lock()


def effective_for_version(catalogue, municipality_id: str, row: ServiceVersion) -> EffectiveService | None:
    """The service of `row` as `municipality_id` offers it; None when the municipality
    no longer offers the service or the stored text no longer compiles."""
    current = catalogue.effective(municipality_id, row.service_id)
    if current is None:
        return None
    if current.service.source_hash == row.source_hash:
        return current
    key = (row.source_hash, municipality_id)
    if key not in _bound:
        service = compiled_version(catalogue, row)
        if service is None:
            return None
        with _lock:
            _bound.setdefault(key, bind(service, current.municipality))
    return _bound[key]


def compiled_version(catalogue, row: ServiceVersion) -> Service | None:
    if row.source_hash not in _compiled:
        with _lock:
            if row.source_hash not in _compiled:
                # The text compiled when it was published; it can stop compiling only if a
                # shared code list it names was removed since. Such a draft is stale.
                _compiled[row.source_hash] = compile_text(row.source_text, f"service_versions/{row.id}",
                                                 Problems(), catalogue.codelists)
    return _compiled[row.source_hash]
