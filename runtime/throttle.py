"""Rate limits at the edge of a request: who the client is, and a 429 with Retry-After
when it has sent too many of one kind (`runtime.cases.ratelimit` counts, in the database,
for every process together).

For submissions and uploads the client is the signed-in person when there is one
(their keyed hash: an office's shared address does not count them together), else the
address the request came from (behind proxies, the one `trust_proxies` takes from
X-Forwarded-For). Sign-ins and resume links are always counted by address: whoever tries
them is not known yet, and signing in again must not reset the count.
"""
from __future__ import annotations

import logging

from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

from . import identity
from .cases.clock import Clock
from .cases.ratelimit import Verdict, take
from .state import runtime_state

log = logging.getLogger(__name__)


class RateLimited(TooManyRequests):
    """A 429; `retry_after` seconds until the client may try again (the error page says
    it in minutes, the header in seconds)."""

    def __init__(self, kind: str, retry_after: int):
        super().__init__(retry_after=retry_after)
        self.kind, self.seconds = kind, retry_after


BY_ADDRESS = frozenset({"signin", "resume"})


def client_key(kind: str = "") -> str:
    person = None if kind in BY_ADDRESS else identity.current_person_hash()
    return f"person:{person}" if person else f"address:{request.remote_addr or 'unknown'}"


def within_limit(kind: str, amount: int = 1, *, refund_when_refused: bool = False,
                 client: str | None = None) -> Verdict:
    """Count `amount` of `kind` for this request's client (or the given one: the API counts
    by token); whether it is still allowed (always, when the limit is turned off)."""
    limit = runtime_state().settings.limits.rate(kind)
    if limit is None:
        return Verdict(True, 0)
    verdict = take(runtime_state().database, kind=kind, client=client or client_key(kind), limit=limit,
                   now=Clock().now(),
                   secret=current_app.config["SECRET_KEY"], amount=amount, refund_when_refused=refund_when_refused)
    if not verdict.allowed:
        log.info("rate limit %s reached by a client; retry after %s s", kind, verdict.retry_after)
    return verdict


def enforce(kind: str) -> None:
    """One request of `kind`, or `RateLimited` past the limit."""
    verdict = within_limit(kind)
    if not verdict.allowed:
        raise RateLimited(kind, verdict.retry_after)
