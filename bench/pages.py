"""Every resident page in one process, without HTTP: the runtime, its hand-written twin
and Flask's "hello" (the ceiling: what a request costs before any page work), driven by
the same client (`bench/client.py` over `httpx.WSGITransport`) taking turns request by
request, so that the machine's other load falls on all three alike. Median and range
(10th to 90th percentile) per page; ratios are runtime / hand-written and runtime /
hello (lower is better for the runtime).

Pages: the start page, the owner question page, check your answers (a complete draft),
the confirmation with its EPC QR code (a submitted case), and "my applications" when
the hand-written app has it (`/my/`).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx
from flask import Flask

from . import client
from .inprocess import flask_apps
from .report import Figure, emit, ratio

BASE = "http://localhost"
KINDS = ("runtime", "handwritten", "hello")


def hello_app() -> Flask:
    app = Flask("hello")

    @app.get("/", defaults={"anything": ""})
    @app.get("/<path:anything>")
    def hello(anything: str) -> str:
        return "Hello, World!"
    return app


def page_paths(browser: httpx.Client, checking: httpx.Client) -> dict[str, str]:
    """Which path each page is at for one app: `browser` submits a case, `checking` stops
    on check your answers with a complete draft."""
    reference, _ = client.complete(browser)
    check_path, _ = client.complete(checking, stop_at="/check")
    service = f"/{client.MUNICIPALITY}/{client.SERVICE}"
    return {"start": f"{service}/", "question": f"{service}/apply/owner", "check": check_path,
            "confirmation": f"{service}/case/{reference}", "my_applications": "/my/"}


def sessions(apps: dict) -> dict:
    """{kind: {page: (client, path)}} for the runtime and the twin; hello answers any path."""
    found = {}
    for kind, app in apps.items():
        transport = httpx.WSGITransport(app=app)
        browser = client.signed_in_client(BASE, transport=transport)
        checking = client.signed_in_client(BASE, transport=transport)
        questioning = client.signed_in_client(BASE, transport=transport)
        client.start(questioning)
        paths = page_paths(browser, checking)
        found[kind] = {page: (checking if page == "check" else questioning if page == "question" else browser, path)
                       for page, path in paths.items()}
    hello = httpx.Client(base_url=BASE, transport=httpx.WSGITransport(app=hello_app()))
    found["hello"] = {page: (hello, path) for page, (_, path) in found["runtime"].items()}
    return found


def measure(targets: dict, page: str, count: int) -> dict[str, list[float]] | None:
    """Milliseconds per GET for each kind, taking turns; None when the twin has no such page."""
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for kind in KINDS:
        browser, path = targets[kind][page]
        if browser.get(path).status_code != 200:
            if kind == "runtime":
                raise RuntimeError(f"runtime GET {path}: not 200")
            return None
        for _ in range(5):
            browser.get(path)
    for _ in range(count):
        for kind in KINDS:
            browser, path = targets[kind][page]
            started = time.perf_counter()
            browser.get(path)
            times[kind].append((time.perf_counter() - started) * 1000)
    return times


def _spread(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=10)
    return statistics.median(values), cuts[0], cuts[-1]


def database_bytes(app: Flask) -> int:
    """The SQLite database's size in pages, the write-ahead log's committed pages included."""
    pkip = app.extensions.get("pkip")
    engine = pkip.database.engine if pkip is not None else app.extensions["hw_sessions"].kw["bind"]
    with engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").scalar_one()


def bytes_per_case(apps: dict, cases: int) -> Figure:
    """What `cases` more whole applications add to each app's database, per case."""
    grown = {}
    for kind, app in apps.items():
        browser = client.signed_in_client(BASE, transport=httpx.WSGITransport(app=app))
        before = database_bytes(app)
        for _ in range(cases):
            client.complete(browser)
        grown[kind] = (database_bytes(app) - before) / cases
    return emit(Figure("pages.database_bytes_per_case", "database bytes per submitted case (SQLite pages)",
                       ratio(grown["runtime"], grown["handwritten"]), "runtime / hand-written", "lower",
                       {"runtime_bytes": round(grown["runtime"]), "handwritten_bytes": round(grown["handwritten"]),
                        "cases": cases},
                       note="the runtime keeps the facts decided at submission, the status history, fees as "
                            "charged and the outbox job; the twin a submission row and an outbox job"))


def figures(count: int) -> list[Figure]:
    out = []
    with tempfile.TemporaryDirectory(prefix="pkip-bench-pages-") as tmp:
        apps = flask_apps(Path(tmp))
        targets = sessions(apps)
        for page in targets["runtime"]:
            times = measure(targets, page, count)
            if times is None:
                out.append(emit(Figure(f"pages.{page}", f"{page} page GET in one process (median ms)", None,
                                       "runtime / hand-written", "lower", {"requests": count},
                                       status="not available", note="the hand-written app has no such page")))
                continue
            (r, r_low, r_high), (h, h_low, h_high), (c, _, _) = (_spread(times[k]) for k in KINDS)
            out.append(emit(Figure(
                f"pages.{page}", f"{page} page GET in one process (median ms)", ratio(r, h),
                "runtime / hand-written", "lower",
                {"runtime_ms": round(r, 3), "runtime_p10_p90": [round(r_low, 3), round(r_high, 3)],
                 "handwritten_ms": round(h, 3), "handwritten_p10_p90": [round(h_low, 3), round(h_high, 3)],
                 "hello_ms": round(c, 3), "runtime_vs_hello": ratio(r, c), "handwritten_vs_hello": ratio(h, c),
                 "requests": count})))
        out.append(bytes_per_case(apps, max(25, count // 6)))     # enough to fill whole 4 KB pages
    return out
