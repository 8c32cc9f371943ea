"""Growth of whole pages with the number of repeat entries: the runtime's check your
answers GET and its submit (the check page's POST, until the redirect) with 1, 10 and 50
dogs, in one process (`httpx.WSGITransport`, as bench/pages.py). Each figure is the
Python calls per dog from 10 to 50 over those from 1 to 10 (1.0 is linear; cProfile's count
of one request per size, which the machine's load does not change), with the median times
beside it; `growth.evaluate_per_entry` is the evaluation alone, timed.

The shipped dog-fee service allows at most 20 dogs, so the runtime here reads a copy of
definitions/ in which that one `max` is 50 (nothing else differs): otherwise 50 dogs
would be refused before the pages do their work.
"""
from __future__ import annotations

import cProfile
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from . import client
from .report import Figure, emit, ratio

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1, 10, 50)
BASE = "http://localhost"
DOGS_MAX = "  dogs:\n    type: repeat\n    min: 1\n    max: 20\n"


def definitions_for_fifty_dogs(folder: Path) -> Path:
    """A copy of definitions/ whose dog-fee service takes up to 50 dogs."""
    copied = folder / "definitions"
    shutil.copytree(ROOT / "definitions", copied)
    service = copied / "services" / "dog-fee.yaml"
    text = service.read_text(encoding="utf-8")
    if DOGS_MAX not in text:
        raise RuntimeError("dog-fee.yaml's dogs no longer say `max: 20` where growth_pages expects it")
    service.write_text(text.replace(DOGS_MAX, DOGS_MAX.replace("max: 20", "max: 50")), encoding="utf-8")
    return copied


def runtime_app(folder: Path):
    from app import create_app
    return create_app({"instance_path": str(folder / "runtime"), "env": "development", "dev_signin": True,
                       "secret_key": "g" * 40, "auto_upgrade": True, "rate_limits": "off",
                       "definitions_path": str(definitions_for_fifty_dogs(folder))})


def submit_form(browser: httpx.Client, check_path: str) -> client.Form:
    page = browser.get(check_path)
    form = client.main_form(page.text, str(page.url))
    if page.status_code != 200 or form is None:
        raise RuntimeError(f"GET {check_path}: {page.status_code}, no form to send")
    return form


def ready_to_send(browser: httpx.Client, dogs: int) -> client.Form:
    """The check page's form of a fresh complete draft with `dogs` dogs."""
    check_path, _ = client.complete(browser, stop_at="/check", entries=dogs)
    return submit_form(browser, check_path)


def send(browser: httpx.Client, form: client.Form) -> None:
    sent = browser.post(form.action, data=form.values, follow_redirects=False)
    if sent.status_code != 302 or not client.CASE.search(sent.headers.get("location", "")):
        raise RuntimeError(f"not sent: {sent.status_code} {client.error_text(sent.text)}")


def timed_submit(browser: httpx.Client, dogs: int) -> float:
    """Milliseconds of one check page POST that sends a fresh draft with `dogs` dogs."""
    form = ready_to_send(browser, dogs)
    started = time.perf_counter()
    send(browser, form)
    return (time.perf_counter() - started) * 1000


def check_path_with(browser: httpx.Client, dogs: int) -> str:
    """Check your answers of a complete draft with `dogs` dogs, warmed up."""
    check_path, _ = client.complete(browser, stop_at="/check", entries=dogs)
    page = browser.get(check_path)
    if page.status_code != 200 or client.entry_answers(dogs - 1)["dogs-chip"] not in page.text:
        raise RuntimeError(f"check your answers does not list {dogs} dogs")
    for _ in range(5):
        browser.get(check_path)
    return check_path


def calls_of(action) -> int:
    """Python function calls of one `action()`: a count the machine's load does not change."""
    profile = cProfile.Profile()
    profile.runcall(action)
    return pstats.Stats(profile).total_calls


def timed_get(browser: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    browser.get(path)
    return (time.perf_counter() - started) * 1000


def per_dog(by_size: dict[int, float]) -> tuple[float, float]:
    """The cost of one more dog from 1 to 10 dogs, and from 10 to 50."""
    first, middle, last = (by_size[size] for size in SIZES)
    return (middle - first) / (SIZES[1] - SIZES[0]), (last - middle) / (SIZES[2] - SIZES[1])


def per_entry_figure(figure_id: str, title: str, medians: dict[int, float], calls: dict[int, int],
                     runs: int) -> Figure:
    early, late = per_dog(medians)
    early_calls, late_calls = per_dog(calls)
    return emit(Figure(
        figure_id, title, ratio(late_calls, early_calls), "late / early Python calls per entry", "lower",
        {**{f"dogs_{size}_ms": round(medians[size], 3) for size in SIZES},
         "per_dog_1_to_10_ms": round(early, 4), "per_dog_10_to_50_ms": round(late, 4),
         "calls_per_dog_1_to_10": round(early_calls), "calls_per_dog_10_to_50": round(late_calls), "runs": runs},
        note="the ratio is of calls per dog (cProfile, one request a size): the times are small "
             "differences of medians, too noisy on a shared machine to decide 'flat'"))


def figures(count: int) -> list[Figure]:
    """The sizes take turns, request by request, so that the machine's other load falls on
    all three alike (a per-dog cost is a small difference of two medians)."""
    submits = max(5, count // 20)
    with tempfile.TemporaryDirectory(prefix="pkip-bench-growth-") as tmp:
        app = runtime_app(Path(tmp))
        browsers = {size: client.signed_in_client(BASE, transport=httpx.WSGITransport(app=app)) for size in SIZES}
        paths = {size: check_path_with(browsers[size], size) for size in SIZES}
        checks: dict[int, list[float]] = {size: [] for size in SIZES}
        for _ in range(count):
            for size in SIZES:
                checks[size].append(timed_get(browsers[size], paths[size]))
        get_calls = {size: calls_of(lambda size=size: browsers[size].get(paths[size])) for size in SIZES}
        timed_submit(browsers[SIZES[-1]], SIZES[-1])   # the app's first case (its number series) untimed
        sends: dict[int, list[float]] = {size: [] for size in SIZES}
        for _ in range(submits):
            for size in SIZES:
                sends[size].append(timed_submit(browsers[size], size))
        forms = {size: ready_to_send(browsers[size], size) for size in SIZES}
        send_calls = {size: calls_of(lambda size=size: send(browsers[size], forms[size])) for size in SIZES}
    median = {name: {size: statistics.median(times) for size, times in found.items()}
              for name, found in (("checks", checks), ("sends", sends))}
    return [per_entry_figure("growth.check_per_entry", "check your answers GET: calls per dog, 10 to 50 / 1 to 10",
                             median["checks"], get_calls, count),
            per_entry_figure("growth.submit_per_entry", "submit: calls per dog, 10 to 50 / 1 to 10",
                             median["sends"], send_calls, submits)]
