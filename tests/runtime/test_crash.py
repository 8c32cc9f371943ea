"""Crash test on PostgreSQL: residents send applications to gunicorn while its workers and
the `pkip worker` process are killed with SIGKILL again and again.

Afterwards every application whose confirmation a resident saw is stored exactly once,
no draft became two cases (a resident whose request died sends it again, as a browser's
reload does), and every application PDF is rendered within a minute of the worker
coming back. Bounded: about 15 s of load (on a machine too busy to confirm three
applications by then, on until it has, at most 90 s), then at most 60 s for the PDFs."""
from __future__ import annotations

import datetime
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from runtime.storage.migrate import upgrade

from ..conftest import postgres_database
from .resident_support import CSRF, DOG, OWNER

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PET = "/riga/example-pet-registration"
LOAD_SECONDS = 15
LOAD_CAP_SECONDS = 90
ENOUGH = 3          # confirmed applications, at the least, for the checks to mean something
PDF_DEADLINE_SECONDS = 60
RESIDENTS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url():
    """PostgreSQL only: SQLite serves one machine and one process, not a fleet of workers."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def environment(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PKIP_")}
    env.update(PKIP_ENV="production", PKIP_DATABASE_URL=database_url, PKIP_INSTANCE_PATH=str(tmp_path),
               PKIP_SECRET_KEY="crash-test-" + "k" * 40, PKIP_SECURE_COOKIES="false",
               PKIP_DEFINITIONS_PATH=str(ROOT / "definitions"),
               PKIP_RATE_LIMITS="off")     # hundreds of submissions from one address, on purpose
    engine = create_engine(database_url)      # `pkip db upgrade`'s work, without a second interpreter
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return env


class Processes:
    """gunicorn (2 workers) and one `pkip worker`, started and killed by their own ids."""

    def __init__(self, env: dict, port: int, logs: Path):
        self.env, self.port, self.logs = env, port, logs
        self.gunicorn = self._start([BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "20",
                                     "app:create_app()"], "gunicorn.log")
        self.worker = self.start_worker()

    def _start(self, command: list, log: str) -> subprocess.Popen:
        return subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=open(self.logs / log, "ab"),
                                stderr=subprocess.STDOUT)

    def start_worker(self) -> subprocess.Popen:
        return self._start([BIN / "pkip", "worker"], "worker.log")

    def web_workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.gunicorn.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def kill_a_web_worker(self) -> None:
        workers = self.web_workers()
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)

    def kill_the_worker(self) -> None:
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait()

    def stop(self) -> None:
        for process in (self.worker, self.gunicorn):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def wait_until_up(port: int) -> None:
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}{PET}/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 30 s")


class Resident:
    """One browser applying for a pet registration, again and again; a request that dies
    is sent again (GET the page for a fresh token, then POST), as a person would."""

    def __init__(self, port: int, name: str):
        self.base = f"http://127.0.0.1:{port}"
        self.name = name
        self.confirmed: list[tuple[str, str]] = []       # (marker in the notes, reference)
        self.attempted: list[str] = []

    def send(self, client: httpx.Client, path: str, data: dict) -> str:
        """POST the page at `path` until it answers with a redirect; where it leads."""
        for _ in range(40):
            try:
                page = client.get(self.base + path)
                found = CSRF.search(page.text)
                if page.status_code == 302 and path.endswith("/check") and "/case/" in page.headers["Location"]:
                    # submitted by the request that died after the server-side session kept
                    # "sent": check your answers now leads to the confirmation
                    return page.headers["Location"].removeprefix(self.base)
                if page.status_code != 200 or not found:
                    if page.status_code == 404 and path.endswith("/check"):
                        return ""          # submitted by the request that died: the draft is gone
                    continue
                response = client.post(self.base + path, data={**data, "csrf_token": found.group(1) or found.group(2)})
                if response.status_code == 302:
                    return response.headers["Location"].removeprefix(self.base)
            except httpx.HTTPError:
                time.sleep(0.05)
        raise AssertionError(f"{self.name}: {path} never accepted the answers")

    def apply_once(self, number: int) -> None:
        marker = f"crash {self.name} {number}"
        self.attempted.append(marker)
        start = (datetime.date.today() + datetime.timedelta(days=10))
        details = {"start_date-day": str(start.day), "start_date-month": str(start.month),
                   "start_date-year": str(start.year), "deposit": "", "notes": marker}
        with httpx.Client(timeout=10) as client:
            applicant = self.start(client)
            pets = self.send(client, self.send(client, applicant, {"applicant_kind": "person"}), OWNER)
            self.send(client, self.send(client, pets, {"add_entry": "pets"}), DOG)
            check = self.send(client, self.send(client, pets, {}), details)
            confirmation = self.send(client, check, {"declaration": "confirmed"})
            if "/case/" in confirmation:
                self.confirmed.append((marker, confirmation.split("/case/")[1].strip("/")))

    def start(self, client: httpx.Client) -> str:
        for _ in range(40):
            try:
                found = CSRF.search(client.get(f"{self.base}{PET}/").text)
                response = client.post(f"{self.base}{PET}/start", data={"csrf_token": found.group(1) or found.group(2)})
                if response.status_code == 302:
                    return response.headers["Location"].removeprefix(self.base)
            except (httpx.HTTPError, AttributeError):
                time.sleep(0.05)
        raise AssertionError(f"{self.name}: the service never started")


def test_killed_web_and_job_workers_lose_nothing_and_double_nothing(environment, tmp_path):
    port = free_port()
    processes = Processes(environment, port, tmp_path)
    helper = None
    try:
        began = time.monotonic()
        wait_until_up(port)
        print(f"up after {time.monotonic() - began:.1f} s")
        residents = [Resident(port, f"r{i}") for i in range(RESIDENTS)]
        stop, cap = time.monotonic() + LOAD_SECONDS, time.monotonic() + LOAD_CAP_SECONDS
        failures: list[BaseException] = []

        def loading() -> bool:
            """LOAD_SECONDS, and on a machine too busy to get ENOUGH applications through by
            then, on until it has (at most LOAD_CAP_SECONDS): a busy machine sees more kills,
            not a weaker test."""
            now = time.monotonic()
            enough = sum(len(r.confirmed) for r in residents) >= ENOUGH
            return now < stop or (not enough and now < cap)

        def apply(resident: Resident) -> None:
            try:
                number = 0
                while loading():
                    resident.apply_once(number)
                    number += 1
            except BaseException as error:          # reported by the main thread
                failures.append(error)

        threads = [threading.Thread(target=apply, args=(r,), daemon=True) for r in residents]
        for thread in threads:
            thread.start()
        kills = 0
        while loading():
            time.sleep(random.uniform(3.0, 5.0))      # a booting worker needs ~2 s
            processes.kill_a_web_worker()
            kills += 1
            if kills % 2 == 0:
                processes.kill_the_worker()
                time.sleep(random.uniform(0.2, 1.0))
                processes.worker = processes.start_worker()
        for thread in threads:
            thread.join(timeout=30)
        assert not failures, failures
        print(f"load done after {time.monotonic() - began:.1f} s")
        processes.kill_the_worker()
        back = time.monotonic()
        # the worker comes back with a second one beside it, as production runs "one or
        # more": the backlog drains in about half the time, the two sharing it through
        # SKIP LOCKED
        processes.worker = processes.start_worker()
        helper = processes.start_worker()

        engine = create_engine(environment["PKIP_DATABASE_URL"])
        with engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT answers->>'notes', reference FROM submissions")).all()
        by_marker: dict[str, list[str]] = {}
        for marker, reference in stored:
            by_marker.setdefault(marker, []).append(reference)
        confirmed = [c for r in residents for c in r.confirmed]
        assert len(confirmed) >= ENOUGH, f"too few applications got through to test anything: {confirmed}"
        for marker, reference in confirmed:
            assert by_marker.get(marker) == [reference], f"{marker}: confirmed {reference}, stored {by_marker.get(marker)}"
        doubled = {m: refs for m, refs in by_marker.items() if len(refs) > 1}
        assert not doubled, f"drafts that became two cases: {doubled}"

        while True:
            with engine.connect() as connection:
                missing = connection.execute(text(
                    "SELECT reference FROM submissions s WHERE NOT EXISTS "
                    "(SELECT 1 FROM documents d WHERE d.submission_id = s.id)")).scalars().all()
            if not missing:
                break
            assert time.monotonic() - back < PDF_DEADLINE_SECONDS, (
                f"{len(missing)} of {len(stored)} PDFs not rendered a minute after the worker came back "
                f"({kills} kills): {missing[:5]}")
            time.sleep(1)
        print(f"PDFs done {time.monotonic() - back:.1f} s after the worker came back; {len(stored)} stored, {kills} kills")
        engine.dispose()
    finally:
        processes.stop()
        if helper is not None and helper.poll() is None:
            helper.terminate()
            helper.wait(timeout=10)
