"""What every stand-in shares: a WSGI app (werkzeug) that records what it received,
applies each idempotency key once, injects faults on request, serves a small page
listing what it received, and runs in a thread on a local port.

Faults (`Faults`): a share of requests fails in one of these ways, drawn from a seeded
random source so that a test run can be repeated:
- `error`: 503 before anything is applied;
- `drop_before`: the connection is closed before anything is applied;
- `drop_after`: the message is applied, then the connection is closed (the sender never
  hears; only the idempotency key keeps the retry from applying it twice);
- `slow`: the message is applied, then the answer waits `slow_seconds` (past the
  sender's timeout).
"""
from __future__ import annotations

import html
import json
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

FAULT_KINDS = ("error", "drop_before", "drop_after", "slow")


@dataclass
class Faults:
    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    slow_seconds: float = 3.0
    seed: int | None = None
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown or not 0 <= self.rate <= 1:
            raise ValueError(f"faults: rate 0..1 and kinds among {FAULT_KINDS}, got {self.rate}, {unknown}")
        self._random = random.Random(self.seed)

    def draw(self) -> str | None:
        if self.rate and self._random.random() < self.rate:
            return self._random.choice(self.kinds)
        return None


@dataclass(frozen=True)
class Received:
    """One request as the stand-in saw it, for its page and for tests."""
    at: datetime
    key: str | None
    outcome: str          # applied, duplicate, refused: <why>, fault: <kind>
    summary: str
    detail: Any = None


class Dropped(Exception):
    """Raised inside a handler to make the stand-in close the connection."""


class StandIn:
    """Subclasses set `title` and implement `handle(request) -> Response`, calling
    `self.apply(key, summary, detail, effect)` for a message that changes something
    (under `self.lock`, so checks and effect are one step)."""

    title = "stand-in"

    def __init__(self, faults: Faults | None = None):
        self.faults = faults or Faults()
        self.received: list[Received] = []
        self.applied: dict[str, Received] = {}
        self.lock = threading.RLock()

    # --- recording ---------------------------------------------------------------------
    def record(self, key: str | None, outcome: str, summary: str, detail: Any = None) -> Received:
        entry = Received(datetime.now(timezone.utc), key, outcome, summary, detail)
        with self.lock:
            self.received.append(entry)
        return entry

    def apply(self, key: str, summary: str, detail: Any = None, effect: Callable[[], None] | None = None) -> bool:
        """Apply a message once per key; False when the key was applied before."""
        with self.lock:
            if key in self.applied:
                self.record(key, "duplicate", summary)
                return False
            if effect is not None:
                effect()
            self.applied[key] = self.record(key, "applied", summary, detail)
        return True

    def applied_details(self) -> list[Any]:
        with self.lock:
            return [entry.detail for entry in self.applied.values()]

    # --- WSGI -------------------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.method == "GET" and request.path in ("/", "/_received"):
            return self.page()(environ, start_response)
        with self.lock:
            kind = self.faults.draw()
        try:
            if kind == "error":
                self.record(request.headers.get("Idempotency-Key"), "fault: error", request.path)
                response = Response("the stand-in fails this request on purpose", status=503)
            elif kind == "drop_before":
                self.record(request.headers.get("Idempotency-Key"), "fault: drop_before", request.path)
                raise Dropped()
            else:
                response = self.handle(request)
                if kind == "drop_after":     # applied (or refused), and the sender never hears
                    raise Dropped()
                if kind == "slow":
                    time.sleep(self.faults.slow_seconds)
        except Dropped:
            _drop(environ)
            return []
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def rows(self) -> list[tuple[str, ...]]:
        with self.lock:
            return [(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.key or "", e.outcome, e.summary) for e in self.received]

    def page(self) -> Response:
        """The newest 200 requests, newest first."""
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in reversed(self.rows()[-200:]))
        title = html.escape(self.title)
        text = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}: received</title>'
                f'</head><body><main><h1>{title}: what it received</h1>'
                f'<p>A local stand-in for development and tests; {len(self.applied)} messages applied.</p>'
                f'<table><caption>Requests, newest first</caption><thead><tr><th scope="col">When (UTC)</th>'
                f'<th scope="col">Idempotency key</th><th scope="col">Outcome</th><th scope="col">What</th>'
                f'</tr></thead><tbody>{body}</tbody></table></main></body></html>')
        return Response(text, mimetype="text/html")


def json_response(status: int, body: dict[str, Any]) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def refuses_token(request: Request, token: str | None) -> bool:
    """A stand-in given a token answers only requests bearing it."""
    return bool(token) and request.headers.get("Authorization") != f"Bearer {token}"


def _drop(environ: dict) -> None:
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        connection.close()


def serve(app: Any, host: str = "127.0.0.1", port: int = 0, *, ssl_context: Any = None) -> BaseWSGIServer:
    """Serve `app` in a daemon thread; `server.port` is the port it got (0: any free one).
    Stop it with `server.shutdown()`."""
    server = make_server(host, port, app, threaded=True, ssl_context=ssl_context)
    server.daemon_threads, server.block_on_close = True, False    # a slow answer never holds a shutdown
    thread = threading.Thread(target=server.serve_forever, name=f"standin-{server.port}", daemon=True)
    thread.start()
    return server
