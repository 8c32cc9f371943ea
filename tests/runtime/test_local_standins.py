"""Development's whole loop: `pkip serve` starts every publisher's stand-in and points the
publishers at them (an explicit setting wins, PKIP_PUBLISHER_STANDINS=false turns it
off, outside development nothing starts); a case's status then shows at the PSPP
stand-in's page and the cards at the catalogue stand-in's."""
from __future__ import annotations

import httpx

from app import create_app, start_publisher_standins
from runtime.worker import run_pending

from .support_documents import ROOT


def test_development_points_the_publishers_at_local_standins(app_config, tmp_path):
    environ = {"PKIP_ENV": "development", "PKIP_PSPP_URL": "http://pspp.example"}
    started = start_publisher_standins(environ, tmp_path)
    try:
        assert environ["PKIP_PSPP_URL"] == "http://pspp.example"          # the explicit setting wins
        assert environ["PKIP_CATALOGUE_URL"] == started.urls["catalogue"]
        assert environ["PKIP_DIV_URL"].startswith("https://127.0.0.1:")
        app_config.update(definitions_path=str(ROOT / "definitions"), catalogue_url=started.urls["catalogue"],
                          pspp_url=started.urls["pspp"])
        state = create_app(app_config).extensions["pkip"]
        run_pending(state)
        page = httpx.get(started.urls["catalogue"] + "/").text
        assert "pkip.riga.dog-fee" in page and len(started.apps["catalogue"].cards) > 50
        state.database.dispose()
    finally:
        started.stop()


def test_no_standins_outside_development_or_when_turned_off(tmp_path):
    assert start_publisher_standins({"PKIP_ENV": "production"}, tmp_path) is None
    assert start_publisher_standins({"PKIP_ENV": "development", "PKIP_PUBLISHER_STANDINS": "false"}, tmp_path) is None
