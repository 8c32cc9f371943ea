"""End-to-end fixtures: the real app on a live server, driven by Debian's Chromium.

- `live_server` (session): `create_app` on a temporary instance folder (SQLite), in
  development with the dev sign-in enabled, with the shipped `definitions/`, served by
  Werkzeug on 127.0.0.1 and a free port in a background thread.
- `browser` (session): Chromium from /usr/bin/chromium via Playwright's sync API.
  Without it the tests are skipped with the reason, or fail when CI is set (CI must run
  them; `.ci/run` installs the package).
- `page` / `no_js_page`: a fresh context per test, with JavaScript on or off.

Every module here sets `pytestmark = pytest.mark.e2e` (`pytest -m "not e2e"` leaves them out).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

from ..conftest import postgres_database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PKIP_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000


class LiveServer:
    def __init__(self, app, server, thread):
        self.app = app
        self.server = server
        self.thread = thread
        self.url = f"http://127.0.0.1:{server.server_port}"

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    @property
    def state(self):
        return self.app.extensions["pkip"]

    def set_today(self, day) -> None:
        """Fix the runtime's "today" (`PKIP_TODAY`, read by runtime.web.resident.application);
        None restores the real date. Tests run one at a time, so this is safe."""
        if day is None:
            self.app.config.pop("PKIP_TODAY", None)
        else:
            self.app.config["PKIP_TODAY"] = day

    def run_outbox(self) -> int:
        """Run the pending background jobs (PDF rendering) now, the way `pkip worker
        --once` does); returns how many ran."""
        return run_outbox(self.app)


def run_outbox(app) -> int:
    """Every due outbox job, run in this process (what `pkip worker --once` does)."""
    from runtime.worker import run_pending

    report = run_pending(app.extensions["pkip"])
    assert not report.failed, f"outbox jobs failed: {report.failed} (see the captured log)"
    return len(report.done)


@contextlib.contextmanager
def serving(instance: Path, settings: dict | None = None, port: int = 0) -> Iterator[LiveServer]:
    """The app on the shipped definitions (SQLite in `instance`, development, dev sign-in
    on, plus `settings`) served on 127.0.0.1:`port` (0: any free port)."""
    from werkzeug.serving import make_server

    from app import create_app

    with pytest.MonkeyPatch.context() as patch:
        # Settings from the developer's shell must not leak into the app under test.
        for name in list(os.environ):
            if name.startswith("PKIP_") and name not in ("PKIP_TEST_POSTGRES_URL", "PKIP_TEST_CHROMIUM"):
                patch.delenv(name)
        app = create_app({
            "instance_path": str(instance),
            "database_url": f"sqlite:///{instance / 'pkip.sqlite3'}",
            "env": "development",
            "dev_signin": True,
            "auto_upgrade": True,
            "definitions_path": str(ROOT / "definitions"),
            # one browser at one address signs in and submits all session long: the rate
            # limits have their own tests (tests/runtime/test_rate_limits.py)
            "rate_limits": "off",
            **(settings or {}),
        })
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(app, server, thread)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["pkip"].database.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    with serving(tmp_path_factory.mktemp("e2e-instance")) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The same app on a fresh PostgreSQL database (dropped at the end of the session)."""
    with postgres_database() as url, serving(tmp_path_factory.mktemp("e2e-pg-instance"),
                                             {"database_url": url}) as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_live_server(request) -> LiveServer:
    """The live server on SQLite, then on PostgreSQL: for the journeys that must hold on both."""
    return request.getfixturevalue("live_server" if request.param == "sqlite" else "postgres_live_server")


@pytest.fixture(scope="session")
def _playwright():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"{CHROMIUM} is missing: install Debian's package with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so the browser tests must run)", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="lv-LV", **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser, live_server):
    """A factory for extra contexts (a second browser session in one test)."""
    made = []

    def make(**options):
        context = _new_context(browser, live_server, **options)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def any_page(browser, any_live_server):
    context = _new_context(browser, any_live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def postgres_page(browser, postgres_live_server):
    context = _new_context(browser, postgres_live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(new_context):
    return new_context(java_script_enabled=False).new_page()
