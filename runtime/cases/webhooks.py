"""Webhooks per institution: a back office registers an endpoint (`pkip webhooks add`),
and every new case routed to the institution and every status change of one becomes a
signed message to it (`publishers.webhooks`, Standard Webhooks), written to the outbox in
the same transaction as the change and delivered by the worker with retries.

The endpoint's secret is needed to sign, so it is kept sealed (Fernet under a key derived
from the secret key), shown once when made. A message carries no personal data: the
case's reference, service, status and where to read it with a token; its id stays the
same on every retry, so the receiver applies it once. One case's messages to one endpoint
leave in the order written (the outbox's ordering key); a receiver that refuses one for
good (a 4xx) or keeps failing makes it a dead letter on the outbox admin page.
"""
from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from publishers.webhooks import MAX_ATTEMPTS, SECRET_PREFIX, WebhookMessage, deliver, new_secret

from ..outbox import enqueue_once
from ..sealing import fernet_for
from ..storage.api_models import WebhookEndpoint
from ..storage.database import Database
from ..storage.models import Submission
from .api_tokens import TokenError, check_institution, end_once, listed
from .clock import Clock

JOB = "deliver_webhook"
CASE_CREATED, CASE_TRANSITIONED = "case.created", "case.transitioned"
INVOICE_RECEIVED = "invoice.received"        # for the buyer institution's finance system (`invoices.py`)
EVENTS = (CASE_CREATED, CASE_TRANSITIONED, INVOICE_RECEIVED)
SEAL_PURPOSE = "webhook secret"
transport: Any = None          # tests hand httpx a transport here; None: the network


@dataclass(frozen=True)
class EndpointListing:
    id: int
    municipality_id: str
    institution_id: str
    url: str
    events: tuple[str, ...]
    disabled: bool


def add_endpoint(database: Database, catalogue: Any, secret_key: str, *, municipality_id: str, institution_id: str,
                 url: str, events: str | list[str] = ",".join(EVENTS),
                 secret: str | None = None) -> tuple[EndpointListing, str]:
    """A new endpoint and its signing secret (shown once): a new one, or the one given
    (a receiver that has its secret already, as the stand-in)."""
    check_institution(catalogue, municipality_id, institution_id)
    if not url.startswith(("https://", "http://")) or len(url) > 2000:
        raise TokenError(f"{url!r} is not an http(s) URL")
    chosen = _events(events)
    if secret is not None and not valid_secret(secret):
        raise TokenError("a secret is whsec_ and the base64 of at least 24 random bytes")
    secret = secret or new_secret()
    row = WebhookEndpoint(municipality_id=municipality_id, institution_id=institution_id, url=url, events=list(chosen),
                          secret_sealed=fernet_for(secret_key, SEAL_PURPOSE).encrypt(secret.encode()).decode())
    with database.transaction() as session:
        session.add(row)
        session.flush()
        return _listing(row), secret


def valid_secret(secret: str) -> bool:
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return False
    try:
        return len(base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)) >= 24
    except (binascii.Error, ValueError):
        return False


def list_endpoints(database: Database, municipality_id: str | None = None) -> list[EndpointListing]:
    return listed(database, WebhookEndpoint, municipality_id, _listing)


def disable_endpoint(database: Database, endpoint_id: int, clock: Clock) -> EndpointListing:
    return end_once(database, WebhookEndpoint, endpoint_id, "disabled_at", clock, _listing, "webhook endpoint")


def announce(session: Session, case: Submission, service_id: str, event: str, at: datetime,
             from_status: str | None = None) -> None:
    """In the caller's transaction: one outbox job per endpoint of the case's institution
    that listens for `event`."""
    listening = listening_endpoints(session, case, event)
    if not listening:
        return
    data = case_event_data(case, service_id)
    if from_status is not None:
        data["from_status"] = from_status
    body = event_body(event, at, data)
    for endpoint_id in listening:
        enqueue_message(session, endpoint_id, case, body=body)


# Built once: every submission asks it.
_ENDPOINTS = WebhookEndpoint.__table__
_LISTENING = select(_ENDPOINTS.c.id, _ENDPOINTS.c.events).where(
    _ENDPOINTS.c.municipality_id == bindparam("municipality_id"),
    _ENDPOINTS.c.institution_id == bindparam("institution_id"), _ENDPOINTS.c.disabled_at.is_(None))


def listening_endpoints(session: Session, case: Submission, event: str) -> list[int]:
    """The active endpoints of the case's institution that listen for `event`."""
    if case.institution_id is None:
        return []
    endpoints = session.execute(_LISTENING, {"municipality_id": case.municipality_id,
                                             "institution_id": case.institution_id}).all()
    return [endpoint_id for endpoint_id, events in endpoints if event in (events or ())]


def case_event_data(case: Submission, service_id: str) -> dict[str, Any]:
    return {"reference": case.reference, "municipality": case.municipality_id, "institution": case.institution_id,
            "service": service_id, "status": case.status, "channel": case.channel,
            "href": f"/api/v1/{case.municipality_id}/cases/{case.reference}"}


def event_body(event: str, at: datetime, data: dict[str, Any]) -> str:
    moment = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return json.dumps({"type": event, "timestamp": moment.isoformat().replace("+00:00", "Z"), "data": data},
                      ensure_ascii=False, sort_keys=True)


def enqueue_message(session: Session, endpoint_id: int, case: Submission, **content: Any) -> None:
    """One message to one endpoint: its `body`, or what the worker builds it from; in
    order per case and endpoint, a dead letter after `MAX_ATTEMPTS` or a refusal."""
    message_id = f"msg_{uuid.uuid4().hex}"
    enqueue_once(session, JOB, {"endpoint_id": endpoint_id, "message_id": message_id, **content},
                 idempotency_key=message_id, ordering_key=f"{JOB}:{endpoint_id}:{case.reference}",
                 municipality_id=case.municipality_id, max_attempts=MAX_ATTEMPTS)


def deliver_webhook(state: Any, payload: dict[str, Any]) -> None:
    """Outbox handler: sign and send one message; raising retries it later. A disabled
    or removed endpoint gets nothing more."""
    with state.database.transaction() as session:
        endpoint = session.get(WebhookEndpoint, int(payload["endpoint_id"]))
        if endpoint is None or endpoint.disabled_at is not None:
            return
        url, sealed = endpoint.url, endpoint.secret_sealed
    secret = fernet_for(state.settings.secret_key, SEAL_PURPOSE).decrypt(sealed.encode()).decode()
    body = payload.get("body")
    if body is None:                 # built from stored facts, so every attempt sends the same bytes
        from .invoices import invoice_body
        body = invoice_body(state, payload["invoice"])
    message = WebhookMessage(url=url, secret=secret, message_id=payload["message_id"], body=body)
    deliver(message, int(Clock().now().timestamp()), transport=transport)


def _events(events: str | list[str]) -> tuple[str, ...]:
    names = {name.strip() for name in (events.split(",") if isinstance(events, str) else events) if name.strip()}
    unknown = sorted(names - set(EVENTS))
    if unknown or not names:
        raise TokenError(f"unknown or no events {', '.join(unknown)}; the events are: {', '.join(EVENTS)}")
    return tuple(event for event in EVENTS if event in names)


def _listing(row: WebhookEndpoint) -> EndpointListing:
    return EndpointListing(id=row.id, municipality_id=row.municipality_id, institution_id=row.institution_id,
                           url=row.url, events=tuple(row.events or ()), disabled=row.disabled_at is not None)
