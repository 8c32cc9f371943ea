"""Start the two apps under gunicorn (same worker count and class) on 127.0.0.1, each
with its own instance folder and database; stop them by their own process id."""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import httpx

from .report import ROOT

WORKERS = 2
MASTERS: dict[str, int] = {}     # base URL -> gunicorn master's process id, while it serves
POSTGRES_ADMIN_URL = os.environ.get("PKIP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[-3:])} failed:\n{done.stderr[-2000:]}")


def runtime_env(instance: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "PKIP_INSTANCE_PATH": str(instance), "PKIP_ENV": "development", "PKIP_DEV_SIGNIN": "true",
           "PKIP_SECRET_KEY": secrets.token_hex(32), "PKIP_DEFINITIONS_PATH": str(ROOT / "definitions"),
           "PKIP_AUTO_UPGRADE": "false", "PKIP_SYNC_ON_START": "false",
           # the load comes from one address: past the per-client limits it would measure 429s
           "PKIP_RATE_LIMITS": "off"}
    if database_url:
        env["PKIP_DATABASE_URL"] = database_url
    return env


def handwritten_env(instance: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "BENCH_HW_INSTANCE": str(instance), "BENCH_HW_SECRET_KEY": secrets.token_hex(32)}
    if database_url:
        env["BENCH_HW_DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def serve(kind: str, instance: Path, database_url: str | None = None) -> Iterator[str]:
    """`kind` is "runtime" or "handwritten"; yields the base URL while the server runs."""
    instance.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    if kind == "runtime":
        env = runtime_env(instance, database_url)
        # migrate and import the definitions once, before the workers start (they would race)
        _run([python, "-c", "import sys, app; sys.exit(app.main(['db', 'upgrade']) or app.main(['sync']))"], env)
        target, probe = "app:create_app()", "/riga/"
    else:
        env = handwritten_env(instance, database_url)
        _run([python, "-m", "bench.handwritten", "init"], env)
        target, probe = "bench.handwritten.app:create_app()", "/riga/dog-fee/"
    port = free_port()
    log = open(instance / "gunicorn.log", "w")
    process = subprocess.Popen(
        [python, "-m", "gunicorn", "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--graceful-timeout", "5", target],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + probe, process, instance / "gunicorn.log")
        MASTERS[base] = process.pid
        yield base
    finally:
        MASTERS.pop(base, None)
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def _wait(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                # both workers: a few more requests so that neither answers its first one under load
                for _ in range(2 * WORKERS):
                    httpx.get(url, timeout=10)
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def workers_cpu_seconds(base: str) -> float | None:
    """CPU time (user + system) the workers of the server at `base` have used so far, from
    /proc (None elsewhere): unlike throughput, it hardly moves with the machine's other load."""
    master = MASTERS.get(base)
    try:
        workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for worker in workers:
            fields = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])      # utime, stime
    except (OSError, IndexError, ValueError, TypeError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_available() -> bool:
    try:
        import psycopg
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def postgres_database(label: str) -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards; yields its URL."""
    import psycopg
    name = f"pkip_bench_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
