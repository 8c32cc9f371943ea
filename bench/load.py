"""Load generators: wrk when installed (GET or POST, one session per wrk thread via a Lua
script), else a bounded Python generator (threads, keep-alive off like gunicorn's sync
workers). Both report requests per second and p50/p99 latency in milliseconds."""
from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

THREADS = 2
CONNECTIONS = 4


@dataclass
class Session:
    cookie: str
    body: str | None = None          # a POST body (form-encoded); None: GET


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run(base: str, path: str, sessions: list[Session], seconds: float) -> dict:
    if wrk_available():
        return run_wrk(base, path, sessions, seconds)
    return run_python(base, path, sessions, seconds)


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


LUA = """
local sessions = {%s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end
function init(args)
  local s = sessions[((index - 1) %% #sessions) + 1]
  local headers = {["Cookie"] = s.cookie}
  if s.body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = wrk.format("POST", %s, headers, s.body)
  else
    req = wrk.format("GET", %s, headers)
  end
end
function request()
  return req
end
"""


def run_wrk(base: str, path: str, sessions: list[Session], seconds: float) -> dict:
    entries = ", ".join("{cookie = %s%s}" % (_lua_string(s.cookie), f", body = {_lua_string(s.body)}" if s.body else "")
                        for s in sessions)
    with tempfile.TemporaryDirectory(prefix="pkip-bench-wrk-") as tmp:
        script = Path(tmp) / "session.lua"
        script.write_text(LUA % (entries, _lua_string(path), _lua_string(path)), encoding="utf-8")
        done = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{max(1, round(seconds))}s",
                               "--timeout", "10s", "--latency", "-s", str(script), base],
                              capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr[-1000:]}")
    return parse_wrk(done.stdout)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict:
    percentiles = {int(p): _ms(v, u) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    requests, seconds = int(done.group(1)), _ms(done.group(2), done.group(3)) / 1000
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"generator": "wrk", "rps": rps, "p50_ms": percentiles.get(50), "p99_ms": percentiles.get(99),
            "requests": requests, "seconds": seconds, "bad_status": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0}


def run_python(base: str, path: str, sessions: list[Session], seconds: float) -> dict:
    host = urlsplit(base)
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(session: Session) -> None:
        mine, wrong = [], 0
        headers = {"Cookie": session.cookie, "Connection": "close"}
        if session.body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
            connection.request("POST" if session.body else "GET", path, body=session.body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            mine.append(time.perf_counter() - started)
            wrong += response.status >= 400
        with lock:
            latencies.extend(mine)
            bad[0] += wrong

    threads = [threading.Thread(target=worker, args=(sessions[i % len(sessions)],)) for i in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"generator": "python", "rps": len(ordered) / elapsed, "requests": len(ordered), "seconds": elapsed, "bad_status": bad[0],
            "p50_ms": statistics.median(ordered) * 1000 if ordered else None,
            "p99_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000 if ordered else None, "socket_errors": 0}
