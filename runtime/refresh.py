"""Newly synced service versions are served without a restart.

`pkip sync` (or another process's start-up) writes a new `service_versions` row when a
definition changed. Every app process checks, at most once per
`catalogue_refresh_seconds` and on the request that comes after that time, the highest
`service_versions.id`: one indexed query. When it moved, the process loads the definitions
folder again and swaps in the new catalogue for the requests that follow; requests already
running keep the catalogue they started with. A folder that now has errors is not swapped
in: the process keeps serving the catalogue it has and logs why.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Any, Callable

from flask import Flask
from sqlalchemy import func, select

from .state import Catalogue, RuntimeState
from .storage.database import Database
from .storage.models import ServiceVersion

log = logging.getLogger(__name__)


def latest_version_id(database: Database) -> int | None:
    with database.read_only() as connection:
        return connection.execute(select(func.max(ServiceVersion.id))).scalar()


class CatalogueRefresher:
    def __init__(self, app: Flask, load: Callable[[], Catalogue], interval: float,
                 clock: Callable[[], float] = time.monotonic):
        self.app, self.load, self.interval, self.clock = app, load, interval, clock
        self.seen = latest_version_id(self.state.database)
        self.checked = clock()
        self.lock = threading.Lock()

    @property
    def state(self) -> RuntimeState:
        return self.app.extensions["pkip"]

    def before_request(self) -> None:
        if self.clock() - self.checked < self.interval or not self.lock.acquire(blocking=False):
            return                    # not yet due, or another thread is looking already
        try:
            self.checked = self.clock()
            latest = latest_version_id(self.state.database)
            if latest != self.seen:
                self._reload(latest)
        finally:
            self.lock.release()

    def _reload(self, latest: Any) -> None:
        catalogue = self.load()
        self.seen = latest
        if catalogue.problems.has_errors:
            log.warning("new service versions were synced, but the definitions folder now has %d error(s); "
                        "still serving the catalogue loaded before (run pkip validate)", len(catalogue.problems.errors))
            return
        self.app.extensions["pkip"] = dataclasses.replace(self.state, catalogue=catalogue)
        log.info("catalogue reloaded: service_versions up to id %s", latest)


def init_catalogue_refresh(app: Flask, load: Callable[[], Catalogue], interval: float) -> CatalogueRefresher | None:
    """Check for newly synced versions every `interval` seconds (0: never, the catalogue
    stays as loaded at start-up)."""
    if interval <= 0:
        return None
    refresher = CatalogueRefresher(app, load, interval)
    app.before_request(refresher.before_request)
    app.extensions["pkip.refresher"] = refresher
    return refresher
