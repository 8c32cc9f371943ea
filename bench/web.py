"""Figures 1 and 2: the dog-fee service served by the runtime vs the hand-written app
(bench/handwritten), both under gunicorn with the same workers, loaded by the same
generator in the same run.

1. The owner page: GET, and POST of a valid answer (302 to the next page), under wrk.
2. Whole applications (sign-in once; start, every page, "add another" dog, check your
   answers, declaration, submit, confirmation) per second, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import multiprocessing
import statistics
import tempfile
from pathlib import Path

import httpx

from . import client, load, servers
from .report import FAILED, NOT_AVAILABLE, OK, Figure, emit, ratio

CLIENT_PROCESSES = 2
SUBJECT = "runtime / hand-written"


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
    return combined


def _measure_forms(instance: Path, seconds: float) -> dict[str, dict]:
    rounds, each = _rounds(seconds)
    with servers.serve("handwritten", instance / "handwritten") as hand_base, \
            servers.serve("runtime", instance / "runtime") as runtime_base:
        prepared: dict[str, dict] = {}
        for kind, base in (("handwritten", hand_base), ("runtime", runtime_base)):
            try:
                path, gets, posts = _sessions(base)
            except client.FlowError as error:
                prepared[kind] = {"available": False, "reason": str(error)}
                continue
            prepared[kind] = {"available": True, "base": base, "path": path, "get": gets, "post": posts}
        results = {kind: {"available": p["available"], "reason": p.get("reason"), "get": [], "post": []}
                   for kind, p in prepared.items()}
        for label in ("get", "post"):
            for number in range(rounds):
                order = ("handwritten", "runtime") if number % 2 == 0 else ("runtime", "handwritten")
                for kind in order:
                    p = prepared[kind]
                    if not p["available"]:
                        continue
                    if number == 0:
                        _warm(p["base"], p["path"], p[label])
                    measured = load.run(p["base"], p["path"], p[label], each)
                    results[kind][label].append(measured)
    for kind, result in results.items():
        for label in ("get", "post"):
            result[label] = _combine(result[label]) if result[label] else None
    return results


def form_figures(seconds: float) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="pkip-bench-form-") as tmp:
        measured = _measure_forms(Path(tmp), seconds)
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
                 "runtime_requests": r["requests"] if r else None, "handwritten_requests": h["requests"], **raw_common},
                status=status, note=note)))
    return out


def _measure_submissions(kind: str, instance: Path, database_url: str | None, seconds: float) -> dict:
    with servers.serve(kind, instance, database_url) as base:
        try:   # one application first: the flow works, and the workers are warm
            with client.signed_in_client(base) as browser:
                reference, requests = client.complete(browser)
        except client.FlowError as error:
            return {"available": False, "reason": str(error)}
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
    if errors:
        return {"available": True, "error": errors[0]}
    latencies = [t for _, times, _, _ in parts for t in times]
    count = sum(n for n, _, _, _ in parts)
    return {"available": True, "per_second": count / seconds, "count": count, "sample_reference": reference,
            "requests_per_application": requests,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else None}


def submit_figures(seconds: float) -> list[Figure]:
    out = []
    with tempfile.TemporaryDirectory(prefix="pkip-bench-submit-") as tmp:
        for database in ("sqlite", "postgresql"):
            if database == "postgresql" and not servers.postgres_available():
                out.append(emit(Figure(f"submit.{database}", "whole applications per second", None, SUBJECT, "higher",
                                       status=NOT_AVAILABLE, note=f"PostgreSQL not reachable at {servers.POSTGRES_ADMIN_URL}")))
                continue
            measured = {}
            for kind in ("handwritten", "runtime"):
                instance = Path(tmp) / f"{kind}-{database}"
                if database == "postgresql":
                    with servers.postgres_database(kind[:2]) as url:
                        measured[kind] = _measure_submissions(kind, instance, url, seconds)
                else:
                    measured[kind] = _measure_submissions(kind, instance, None, seconds)
            hand, runtime = measured["handwritten"], measured["runtime"]
            if not hand["available"] or "error" in hand:
                raise RuntimeError(f"the hand-written app failed its own flow: {hand.get('reason') or hand.get('error')}")
            status, note = OK, ""
            if not runtime["available"]:
                status, note = NOT_AVAILABLE, f"runtime form flow not available: {runtime['reason']}"
            elif "error" in runtime:
                status, note = FAILED, f"runtime: {runtime['error']}"
            ok = status == OK
            out.append(emit(Figure(
                f"submit.{database}", f"whole dog-fee applications per second on {database}",
                ratio(runtime["per_second"], hand["per_second"]) if ok else None, SUBJECT, "higher",
                {"runtime_per_s": round(runtime["per_second"], 2) if ok else None,
                 "handwritten_per_s": round(hand["per_second"], 2),
                 "runtime_p50_ms": round(runtime["p50_ms"], 1) if ok and runtime["p50_ms"] else None,
                 "handwritten_p50_ms": round(hand["p50_ms"], 1) if hand["p50_ms"] else None,
                 "runtime_requests_per_application": runtime.get("requests_per_application"),
                 "handwritten_requests_per_application": hand["requests_per_application"],
                 "seconds": seconds, "client_processes": CLIENT_PROCESSES, "workers": servers.WORKERS},
                status=status, note=note)))
    return out
