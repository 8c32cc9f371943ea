"""The owner page in one process, without HTTP: both apps' WSGI handlers called through
Flask's test client, taking turns request by request, so that the machine's other load
falls on both alike. Also the place to profile a request:

    python -m bench.inprocess --profile runtime-get    (or handwritten-post, ...)
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import client
from .report import Figure, emit, ratio

OWNER = f"/{client.MUNICIPALITY}/{client.SERVICE}/apply/owner"
BODY = {k: v for k, v in client.ANSWERS.items() if k.startswith("owner")}


def _signed_in(app):
    """A test client with a signed-in person and a draft on the owner page (CSRF off in both apps)."""
    app.config["WTF_CSRF_ENABLED"] = False
    browser = app.test_client()
    browser.post(f"/signin/dev?next=/{client.MUNICIPALITY}/{client.SERVICE}/", data=client.PERSON)
    started = browser.post(f"/{client.MUNICIPALITY}/{client.SERVICE}/start")
    if started.status_code != 302 or not started.location.endswith("/apply/owner"):
        raise RuntimeError(f"start gave {started.status_code} {started.location}")
    posted = browser.post(OWNER, data=BODY)
    if posted.status_code != 302:
        raise RuntimeError(f"the owner page refused a valid answer ({posted.status_code})")
    return browser


def flask_apps(folder: Path) -> dict:
    """The two apps, each on its own SQLite file under `folder`."""
    from app import create_app
    os.environ["BENCH_HW_INSTANCE"] = str(folder / "handwritten")
    from bench.handwritten.app import create_app as create_handwritten
    from bench.handwritten.storage import create_tables
    (folder / "handwritten").mkdir(parents=True, exist_ok=True)
    create_tables(f"sqlite:///{folder / 'handwritten' / 'handwritten.sqlite3'}")
    runtime = create_app({"instance_path": str(folder / "runtime"), "env": "development", "dev_signin": True,
                          "secret_key": "b" * 40, "auto_upgrade": True, "rate_limits": "off"})
    return {"handwritten": create_handwritten(), "runtime": runtime}


def apps(folder: Path) -> dict:
    return {kind: _signed_in(app) for kind, app in flask_apps(folder).items()}


def request(browser, method: str):
    return browser.get(OWNER) if method == "get" else browser.post(OWNER, data=BODY)


def measure(browsers: dict, method: str, count: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {kind: [] for kind in browsers}
    for kind, browser in browsers.items():       # warm
        for _ in range(10):
            request(browser, method)
    for _ in range(count):
        for kind, browser in browsers.items():
            started = time.perf_counter()
            response = request(browser, method)
            times[kind].append(time.perf_counter() - started)
            if response.status_code != (200 if method == "get" else 302):
                raise RuntimeError(f"{kind} {method.upper()} {OWNER}: {response.status_code}")
    return times


def figures(count: int) -> list[Figure]:
    out = []
    with tempfile.TemporaryDirectory(prefix="pkip-bench-inprocess-") as tmp:
        browsers = apps(Path(tmp))
        for method in ("get", "post"):
            times = measure(browsers, method, count)
            r, h = (statistics.median(times[k]) * 1000 for k in ("runtime", "handwritten"))
            out.append(emit(Figure(
                f"form.inprocess.{method}", f"owner page {method.upper()} in one process, no HTTP (median ms)",
                ratio(r, h), "runtime / hand-written", "lower",
                {"runtime_ms": round(r, 3), "handwritten_ms": round(h, 3), "requests": count})))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess")
    parser.add_argument("--profile", required=True, help="runtime-get, runtime-post, handwritten-get or handwritten-post")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    arguments = parser.parse_args(argv)
    kind, method = arguments.profile.split("-")
    with tempfile.TemporaryDirectory(prefix="pkip-bench-profile-") as tmp:
        browser = apps(Path(tmp))[kind]
        for _ in range(20):
            request(browser, method)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(arguments.count):
            request(browser, method)
        profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(arguments.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
