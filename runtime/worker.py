"""The outbox worker: claims due jobs, runs the handler for each job's kind, marks it
done or schedules a retry (`runtime.outbox`).

    pkip worker           # runs until stopped (SIGINT/SIGTERM), polling every 2 s
    pkip worker --once    # runs every job that is due now, then exits

Under `pkip serve` in development a background thread does the same, so a resident's PDF
appears without a second process (`start_background_worker`). In production run
`pkip worker` processes next to the web processes, as many as needed.

A handler is `handler(state, payload) -> None`; raising means "try again later", except
`publishers.contract.PermanentRefusal`, which parks the job as a dead letter at once (as
does any failure of a job's last attempt). Handlers must be idempotent: a job may run twice when a worker dies after the work but before
marking the job done.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator, Mapping

from publishers.contract import PermanentRefusal

from . import outbox
from .state import RuntimeState

log = logging.getLogger(__name__)
Handler = Callable[[RuntimeState, dict[str, Any]], None]
POLL_SECONDS = 2.0


def default_handlers() -> dict[str, Handler]:
    """Every job kind the runtime knows (publishers add theirs here)."""
    from .cases.webhooks import JOB as WEBHOOK_JOB, deliver_webhook
    from .cases.commissions import RENDER_MINUTES
    from .documents.jobs import render_application_pdf
    from .documents.minutes import render_minutes
    from .documents.results import RENDER_RESULT, RESULT_READY, note_result_ready, render_result_document
    from .notifications import send_email
    from .publishing import handlers as publishing_handlers

    # a publisher's handler of the result hand-off replaces the runtime's (which only logs)
    return {"render_application_pdf": render_application_pdf, RENDER_RESULT: render_result_document,
            RESULT_READY: note_result_ready, "send_email": send_email, WEBHOOK_JOB: deliver_webhook,
            RENDER_MINUTES: render_minutes,
            **publishing_handlers()}


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class WorkerReport:
    done: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


@contextmanager
def heartbeat(state: RuntimeState, job: outbox.ClaimedJob, worker_id: str) -> Iterator[None]:
    """Renew the job's lease every `outbox.HEARTBEAT` while the block runs (a daemon
    thread: when the process dies, the renewals stop and the lease runs out)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(outbox.HEARTBEAT.total_seconds()):
            try:
                if not outbox.renew(state.database, job, worker_id):
                    log.warning("outbox job %s: the lease was lost while it ran", job.id)
                    return
            except Exception:   # the database is briefly away: try at the next beat
                log.warning("outbox job %s: could not renew the lease", job.id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"pkip-lease-{job.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_job(state: RuntimeState, job: outbox.ClaimedJob, worker_id: str,
            handlers: Mapping[str, Handler], now: datetime | None = None) -> bool:
    """Run one claimed job, renewing its lease meanwhile; True when it succeeded."""
    handler = handlers.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        with heartbeat(state, job, worker_id):
            handler(state, job.payload)
    except PermanentRefusal as refusal:   # retrying cannot help: a dead letter for an admin
        log.warning("outbox job %s (%s) refused for good on attempt %d", job.id, job.kind, job.attempts)
        outbox.bury(state.database, job, worker_id, f"refused: {refusal}", now=now)
        return False
    except Exception as error:  # any failure is retried; the worker keeps going
        log.warning("outbox job %s (%s) failed on attempt %d: %s", job.id, job.kind, job.attempts,
                    type(error).__name__, exc_info=True)
        outbox.fail(state.database, job, worker_id, f"{type(error).__name__}: {error}", now=now)
        return False
    outbox.complete(state.database, job, worker_id)
    return True


def run_pending(state: RuntimeState, *, handlers: Mapping[str, Handler] | None = None,
                worker_id: str | None = None, limit: int | None = None,
                now: datetime | None = None) -> WorkerReport:
    """Run due jobs until none is left (or `limit` jobs ran). A job that fails is not
    due again within this call, since its retry lies in the future."""
    handlers = default_handlers() if handlers is None else handlers
    worker_id = worker_id or new_worker_id()
    report = WorkerReport()
    while limit is None or len(report.done) + len(report.failed) < limit:
        job = outbox.claim(state.database, worker_id, now=now)
        if job is None:
            break
        succeeded = run_job(state, job, worker_id, handlers, now=now)
        (report.done if succeeded else report.failed).append(job.id)
    return report


def run_forever(state: RuntimeState, stop: threading.Event, *, poll_seconds: float = POLL_SECONDS,
                handlers: Mapping[str, Handler] | None = None) -> None:
    """Work until `stop` is set; an error in the loop itself (database down) is logged
    and retried after the poll interval."""
    worker_id = new_worker_id()
    log.info("outbox worker %s started", worker_id)
    while not stop.is_set():
        try:
            report = run_pending(state, handlers=handlers, worker_id=worker_id)
        except Exception:
            log.exception("outbox worker %s: cannot reach the outbox", worker_id)
            report = WorkerReport()
        if not report.done and not report.failed:
            stop.wait(poll_seconds)
    log.info("outbox worker %s stopped", worker_id)


def start_background_worker(state: RuntimeState) -> tuple[threading.Thread, threading.Event]:
    """A daemon thread running `run_forever` (development: `pkip serve`)."""
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(state, stop), name="pkip-outbox-worker", daemon=True)
    thread.start()
    return thread, stop
