"""A service synced while the app runs is served without a restart: each process looks for
newly synced versions every `catalogue_refresh_seconds` and reloads the definitions folder
then; a folder with errors by that time is not swapped in."""
from __future__ import annotations

import pytest

from app import create_app
from builder.catalogue import load_catalogue
from runtime.sync import sync_service_versions

from ..builder.defs import RIGA, service, write_layout

TWO_SERVICES = RIGA.replace("x: {enabled: true}", "x: {enabled: true}\n  y: {enabled: true}")


@pytest.fixture
def folder(tmp_path):
    return write_layout(tmp_path / "definitions")


@pytest.fixture
def app(app_config, folder):
    application = create_app({**app_config, "definitions_path": str(folder), "catalogue_refresh_seconds": 5})
    now = [1000.0]
    refresher = application.extensions["pkip.refresher"]
    refresher.clock, refresher.checked = (lambda: now[0]), now[0]
    application.advance = lambda seconds: now.__setitem__(0, now[0] + seconds)
    yield application
    application.extensions["pkip"].database.dispose()


def _sync(app, folder) -> None:
    sync_service_versions(app.extensions["pkip"].database, load_catalogue(folder).services.values())


def _add_service_y(folder) -> None:
    (folder / "services" / "y.yaml").write_text(service().replace("id: x", "id: y").replace("code: XX", "code: YY"),
                                                encoding="utf-8")
    (folder / "municipalities" / "riga.yaml").write_text(TWO_SERVICES, encoding="utf-8")


def test_a_newly_synced_service_is_served_within_the_interval(app, folder):
    client = app.test_client()
    assert client.get("/riga/x/").status_code == 200
    assert client.get("/riga/y/").status_code == 404
    _add_service_y(folder)
    _sync(app, folder)
    app.advance(1)
    assert client.get("/riga/y/").status_code == 404       # not looked yet: within the interval
    app.advance(5)
    assert client.get("/riga/y/").status_code == 200       # looked, reloaded, served


def test_a_changed_folder_without_a_sync_is_not_picked_up(app, folder):
    _add_service_y(folder)
    app.advance(60)
    assert app.test_client().get("/riga/y/").status_code == 404


def test_a_folder_with_errors_is_not_swapped_in(app, folder, caplog):
    _add_service_y(folder)
    _sync(app, folder)
    (folder / "services" / "x.yaml").write_text(service().replace("to: council", "to: [broken"), encoding="utf-8")
    app.advance(60)
    client = app.test_client()
    assert client.get("/riga/x/").status_code == 200 and client.get("/riga/y/").status_code == 404
    assert "still serving the catalogue loaded before" in caplog.text


def test_zero_keeps_the_catalogue_of_start_up(app_config, folder):
    application = create_app({**app_config, "definitions_path": str(folder), "catalogue_refresh_seconds": 0})
    assert "pkip.refresher" not in application.extensions
    application.extensions["pkip"].database.dispose()
