"""Figures 1 and 2: the dog-fee service served by the runtime vs the hand-written app
(bench/handwritten), both under gunicorn with the same workers, loaded by the same
generator in the same run.

1. The owner page: GET, and POST of a valid answer (302 to the next page), under wrk.
2. Whole applications (sign-in once; start, every page, "add another" dog, check your
   answers, declaration, submit, confirmation) per second, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import statistics
import tempfile
from pathlib import Path

import httpx

from . import client, load, servers
from .report import FAILED, NOT_AVAILABLE, OK, Figure, emit, ratio

CLIENT_PROCESSES = 2
SUBJECT = "runtime / hand-written"
KINDS = ("handwritten", "runtime")


def _sessions(base: str) -> tuple[str, list[load.Session], list[load.Session]]:
    prepared = [client.owner_session(base) for _ in range(load.THREADS)]
    path = prepared[0][1]
    return path, [load.Session(cookie) for cookie, _, _ in prepared], [load.Session(cookie, body) for cookie, _, body in prepared]


def _warm(base: str, path: str, sessions: list[load.Session]) -> None:
    for session in sessions:
        for _ in range(5):
            if session.body:
                httpx.post(base + path, content=session.body, headers={
                    "Cookie": session.cookie, "Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
            else:
                httpx.get(base + path, headers={"Cookie": session.cookie}, timeout=30)


def _rounds(seconds: float) -> tuple[int, float]:
    """Alternate the two targets in rounds, so that a change in the machine's other load
    hits both alike (the machine is shared: see the load average in the report)."""
    rounds = 3 if seconds >= 9 else 2
    return rounds, max(1.0, seconds / rounds)


def _combine(parts: list[dict]) -> dict:
    """Rounds into one: throughput over all rounds, latency percentiles as the median of the rounds'."""
    seconds = sum(p["seconds"] for p in parts)
    combined = {"generator": parts[0]["generator"], "rps": sum(p["requests"] for p in parts) / seconds,
                "requests": sum(p["requests"] for p in parts), "bad_status": sum(p["bad_status"] for p in parts),
                "socket_errors": sum(p["socket_errors"] for p in parts), "rounds": len(parts)}
    for metric in ("p50_ms", "p99_ms"):
        values = [p[metric] for p in parts if p[metric] is not None]
        combined[metric] = statistics.median(values) if values else None
    cpu = [p.get("worker_cpu_s") for p in parts]
    combined["worker_cpu_ms"] = (sum(cpu) * 1000 / combined["requests"]
                                 if None not in cpu and combined["requests"] else None)
    return combined


@contextlib.contextmanager
def _pair(instance: Path, database: str):
    """Both apps up at once on `database` ("sqlite" or "postgresql", each app its own database)."""
    with contextlib.ExitStack() as stack:
        urls = {kind: None for kind in KINDS}
        if database == "postgresql":
            urls = {kind: stack.enter_context(servers.postgres_database(kind[:2])) for kind in KINDS}
        yield {kind: stack.enter_context(servers.serve(kind, instance / f"{kind}-{database}", urls[kind]))
               for kind in KINDS}


def _orders(rounds: int):
    for number in range(rounds):
        yield number, (KINDS if number % 2 == 0 else KINDS[::-1])


def _measure_forms(bases: dict[str, str], seconds: float) -> dict[str, dict]:
    rounds, each = _rounds(seconds)
    prepared: dict[str, dict] = {}
    for kind, base in bases.items():
        try:
            path, gets, posts = _sessions(base)
        except client.FlowError as error:
            prepared[kind] = {"available": False, "reason": str(error)}
            continue
        prepared[kind] = {"available": True, "base": base, "path": path, "get": gets, "post": posts}
    results = {kind: {"available": p["available"], "reason": p.get("reason"), "get": [], "post": []}
               for kind, p in prepared.items()}
    for label in ("get", "post"):
        for number, order in _orders(rounds):
            for kind in order:
                p = prepared[kind]
                if not p["available"]:
                    continue
                if number == 0:
                    _warm(p["base"], p["path"], p[label])
                before = servers.workers_cpu_seconds(p["base"])
                measured = load.run(p["base"], p["path"], p[label], each)
                after = servers.workers_cpu_seconds(p["base"])
                measured["worker_cpu_s"] = after - before if before is not None and after is not None else None
                results[kind][label].append(measured)
    for result in results.values():
        for label in ("get", "post"):
            result[label] = _combine(result[label]) if result[label] else None
    return results


def form_figures(measured: dict[str, dict], seconds: float) -> list[Figure]:
    hand, runtime = measured["handwritten"], measured["runtime"]
    if not hand["available"]:
        raise RuntimeError(f"the hand-written app failed its own flow: {hand['reason']}")
    out = []
    for label in ("get", "post"):
        h = hand[label]
        r = runtime.get(label) if runtime["available"] else None
        status, note = OK, ""
        if r is None:
            status, note = NOT_AVAILABLE, f"runtime form page not available: {runtime['reason']}"
        elif r["bad_status"] or h["bad_status"]:
            status, note = FAILED, f"error responses: runtime {r['bad_status']}, hand-written {h['bad_status']}"
        raw_common = {"generator": h["generator"], "seconds": seconds, "rounds": h["rounds"],
                      "connections": load.CONNECTIONS, "workers": servers.WORKERS}
        for metric, better, unit in (("rps", "higher", "req/s"), ("p50_ms", "lower", "ms"), ("p99_ms", "lower", "ms")):
            name = {"rps": "throughput", "p50_ms": "p50", "p99_ms": "p99"}[metric]
            out.append(emit(Figure(
                f"form.{label}.{name}", f"owner page {label.upper()} {name} ({unit})",
                ratio(r[metric], h[metric]) if r else None, SUBJECT, better,
                {f"runtime_{metric}": round(r[metric], 2) if r else None, f"handwritten_{metric}": round(h[metric], 2),
                 **(_worker_cpu(r, h) if metric == "rps" else {}),
                 "runtime_requests": r["requests"] if r else None, "handwritten_requests": h["requests"], **raw_common},
                status=status, note=note)))
    return out


def _worker_cpu(r: dict | None, h: dict) -> dict:
    """The workers' CPU per request (ms): the steadier figure on a shared machine."""
    def rounded(value):
        return round(value, 3) if value is not None else None
    return {"runtime_worker_cpu_ms": rounded(r["worker_cpu_ms"]) if r else None,
            "handwritten_worker_cpu_ms": rounded(h["worker_cpu_ms"])}


def _first_application(base: str) -> dict:
    """One application through the whole flow: it works, and the workers are warm."""
    try:
        browser = client.signed_in_client(base)
        try:
            reference, requests = client.complete(browser)
        finally:
            browser.close()
    except client.FlowError as error:
        return {"available": False, "reason": str(error)}
    return {"available": True, "sample_reference": reference, "requests_per_application": requests}


def _run_clients(base: str, seconds: float) -> tuple[int, list[float], str | None]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=client.submissions_for, args=(base, seconds, queue))
                 for _ in range(CLIENT_PROCESSES)]
    for process in processes:
        process.start()
    parts = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    errors = [error for _, _, _, error in parts if error]
    return sum(n for n, _, _, _ in parts), [t for _, times, _, _ in parts for t in times], (errors[0] if errors else None)


def _measure_submissions(bases: dict[str, str], seconds: float) -> dict[str, dict]:
    rounds, each = _rounds(seconds)
    results = {kind: {**_first_application(base), "count": 0, "seconds": 0.0, "latencies": []}
               for kind, base in bases.items()}
    for _, order in _orders(rounds):
        for kind in order:
            result = results[kind]
            if not result["available"] or result.get("error"):
                continue
            count, latencies, error = _run_clients(bases[kind], each)
            if error:
                result["error"] = error
            result["count"] += count
            result["seconds"] += each
            result["latencies"] += latencies
    for result in results.values():
        if result["available"] and not result.get("error"):
            result["per_second"] = result["count"] / result["seconds"] if result["seconds"] else 0.0
            result["p50_ms"] = statistics.median(result["latencies"]) * 1000 if result["latencies"] else None
    return results


def submit_figure(database: str, measured: dict[str, dict], seconds: float) -> Figure:
    hand, runtime = measured["handwritten"], measured["runtime"]
    if not hand["available"] or hand.get("error"):
        raise RuntimeError(f"the hand-written app failed its own flow: {hand.get('reason') or hand.get('error')}")
    status, note = OK, ""
    if not runtime["available"]:
        status, note = NOT_AVAILABLE, f"runtime form flow not available: {runtime['reason']}"
    elif runtime.get("error"):
        status, note = FAILED, f"runtime: {runtime['error']}"
    ok = status == OK
    return emit(Figure(
        f"submit.{database}", f"whole dog-fee applications per second on {database}",
        ratio(runtime["per_second"], hand["per_second"]) if ok else None, SUBJECT, "higher",
        {"runtime_per_s": round(runtime["per_second"], 2) if ok else None,
         "handwritten_per_s": round(hand["per_second"], 2),
         "runtime_p50_ms": round(runtime["p50_ms"], 1) if ok and runtime["p50_ms"] else None,
         "handwritten_p50_ms": round(hand["p50_ms"], 1) if hand["p50_ms"] else None,
         "runtime_requests_per_application": runtime.get("requests_per_application"),
         "handwritten_requests_per_application": hand["requests_per_application"],
         "seconds": seconds, "client_processes": CLIENT_PROCESSES, "workers": servers.WORKERS},
        status=status, note=note))


def figures(parts: list[str], load_seconds: float, submit_seconds: float, inprocess_count: int) -> list[Figure]:
    """The form figures (in one process, then over HTTP on SQLite) and the submission figures
    (SQLite, PostgreSQL); each pair of servers is started once for everything on its database."""
    out = []
    if "form" in parts:
        from . import inprocess
        out += inprocess.figures(inprocess_count)
    with tempfile.TemporaryDirectory(prefix="pkip-bench-web-") as tmp:
        with _pair(Path(tmp), "sqlite") as bases:
            if "form" in parts:
                out += form_figures(_measure_forms(bases, load_seconds), load_seconds)
            if "submit" in parts:
                out.append(submit_figure("sqlite", _measure_submissions(bases, submit_seconds), submit_seconds))
        if "submit" in parts:
            if servers.postgres_available():
                with _pair(Path(tmp), "postgresql") as bases:
                    out.append(submit_figure("postgresql", _measure_submissions(bases, submit_seconds), submit_seconds))
            else:
                out.append(emit(Figure("submit.postgresql", "whole applications per second on postgresql", None,
                                       SUBJECT, "higher", status=NOT_AVAILABLE,
                                       note=f"PostgreSQL not reachable at {servers.POSTGRES_ADMIN_URL}")))
    return out
