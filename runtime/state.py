"""What every request handler needs from start-up: the settings, the database and the
compiled catalogue, kept in `app.extensions["pkip"]`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol

from flask import abort, current_app

from .config import Settings
from .storage.database import Database


class Catalogue(Protocol):
    """The part of `builder.catalogue.Catalogue` the runtime uses."""

    problems: Any
    municipalities: Mapping[str, Any]
    services: Mapping[str, Any]
    codelists: Mapping[str, Any]

    def enabled_services(self, municipality_id: str) -> list[Any]: ...

    def effective(self, municipality_id: str, service_id: str) -> Any | None: ...


@dataclass(frozen=True)
class RuntimeState:
    settings: Settings
    database: Database
    catalogue: Catalogue
    registers: Any = None       # runtime.registers.Registry: who answers the definitions' look-ups


def runtime_state() -> RuntimeState:
    return current_app.extensions["pkip"]


def municipality_or_404(municipality_id: str) -> Any:
    municipality = runtime_state().catalogue.municipalities.get(municipality_id)
    if municipality is None:
        abort(404)
    return municipality


def enabled_service_or_404(municipality_id: str, service_id: str) -> Any:
    for effective in runtime_state().catalogue.enabled_services(municipality_id):
        if effective.service.id == service_id:
            return effective
    abort(404)
