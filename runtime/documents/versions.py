"""The compiled service a draft or submission was filled against.

Usually that is the catalogue's current service (same source hash). When the definition
changed since, the stored source text of the pinned `service_versions` row is compiled
again (once per process, cached by hash), so an old case is always shown and rendered
with its own fields, labels and process.
"""
from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session

from ..state import RuntimeState
from ..storage.models import ServiceVersion

_lock = threading.Lock()
_compiled: dict[str, Any] = {}


class UnknownServiceVersion(LookupError):
    """The row is missing or its stored text no longer compiles."""


def service_for_version(state: RuntimeState, session: Session, version_id: int) -> Any:
    """The compiled `builder.model.Service` of `service_versions.id == version_id`."""
    row = session.get(ServiceVersion, version_id)
    if row is None:
        raise UnknownServiceVersion(f"service version {version_id} does not exist")
    current = state.catalogue.services.get(row.service_id)
    if current is not None and getattr(current, "source_hash", None) == row.source_hash:
        return current
    with _lock:
        if row.source_hash not in _compiled:
            _compiled[row.source_hash] = _compile(state, row)
        return _compiled[row.source_hash]


def _compile(state: RuntimeState, row: ServiceVersion) -> Any:
    from builder.compiler import compile_text
    from builder.problems import Problems

    problems = Problems()
    codelists = getattr(state.catalogue, "codelists", {})
    service = compile_text(row.source_text, f"<service version {row.id}>", problems, codelists)
    if service is None:
        raise UnknownServiceVersion(f"service version {row.id} ({row.service_id} {row.version}) does not compile")
    return service


def effective_for(state: RuntimeState, service: Any, municipality_id: str) -> Any:
    """The service bound to the municipality's parameters (`builder.overlay.bind`)."""
    from builder.overlay import bind

    municipality = state.catalogue.municipalities.get(municipality_id)
    if municipality is None:
        raise UnknownServiceVersion(f"municipality {municipality_id!r} is not in the catalogue")
    current = state.catalogue.effective(municipality_id, service.id) if hasattr(state.catalogue, "effective") else None
    if current is not None and current.service is service:
        return current
    return bind(service, municipality)   # cheap: a merge of parameter values
