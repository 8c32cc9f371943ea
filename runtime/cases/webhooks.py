"""Webhooks per institution: a back office registers an endpoint (`pkip webhooks add`),
and every new case routed to the institution and every status change of one becomes a
signed message to it (`publishers.webhooks`, Standard Webhooks), written to the outbox in
the same transaction as the change and delivered by the worker with retries.

The endpoint's secret is needed to sign, so it is kept sealed (Fernet under a key derived
from the secret key), shown once when made. A message carries no personal data: the
case's reference, service, status and where to read it with a token; its id stays the
same on every retry, so the receiver applies it once.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from publishers.webhooks import WebhookMessage, deliver, new_secret

from ..outbox import enqueue
from ..sealing import fernet_for
from ..storage.api_models import WebhookEndpoint
from ..storage.database import Database
from ..storage.models import Submission
from .api_tokens import TokenError, check_institution
from .clock import Clock

JOB = "deliver_webhook"
CASE_CREATED, CASE_TRANSITIONED = "case.created", "case.transitioned"
EVENTS = (CASE_CREATED, CASE_TRANSITIONED)
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
                 url: str, events: str | list[str] = ",".join(EVENTS)) -> tuple[EndpointListing, str]:
    """A new endpoint and its signing secret (shown once)."""
    check_institution(catalogue, municipality_id, institution_id)
    if not url.startswith(("https://", "http://")) or len(url) > 2000:
        raise TokenError(f"{url!r} is not an http(s) URL")
    chosen = _events(events)
    secret = new_secret()
    row = WebhookEndpoint(municipality_id=municipality_id, institution_id=institution_id, url=url, events=list(chosen),
                          secret_sealed=fernet_for(secret_key, SEAL_PURPOSE).encrypt(secret.encode()).decode())
    with database.transaction() as session:
        session.add(row)
        session.flush()
        return _listing(row), secret


def list_endpoints(database: Database, municipality_id: str | None = None) -> list[EndpointListing]:
    statement = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if municipality_id:
        statement = statement.where(WebhookEndpoint.municipality_id == municipality_id)
    with database.transaction() as session:
        return [_listing(row) for row in session.scalars(statement)]


def disable_endpoint(database: Database, endpoint_id: int, clock: Clock) -> EndpointListing:
    with database.transaction() as session:
        session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                      WebhookEndpoint.disabled_at.is_(None))
                        .values(disabled_at=clock.now()).execution_options(synchronize_session=False))
        row = session.get(WebhookEndpoint, endpoint_id)
        if row is None:
            raise TokenError(f"no webhook endpoint with id {endpoint_id}")
        return _listing(row)


def announce(session: Session, case: Submission, service_id: str, event: str, at: datetime,
             from_status: str | None = None) -> None:
    """In the caller's transaction: one outbox job per endpoint of the case's institution
    that listens for `event`."""
    if case.institution_id is None:
        return
    endpoints = session.execute(select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.municipality_id == case.municipality_id, WebhookEndpoint.institution_id == case.institution_id,
        WebhookEndpoint.disabled_at.is_(None))).all()
    listening = [endpoint_id for endpoint_id, events in endpoints if event in (events or ())]
    if not listening:
        return
    data = {"reference": case.reference, "municipality": case.municipality_id, "institution": case.institution_id,
            "service": service_id, "status": case.status, "channel": case.channel,
            "href": f"/api/v1/{case.municipality_id}/cases/{case.reference}"}
    if from_status is not None:
        data["from_status"] = from_status
    moment = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    body = json.dumps({"type": event, "timestamp": moment.isoformat().replace("+00:00", "Z"), "data": data},
                      ensure_ascii=False, sort_keys=True)
    for endpoint_id in listening:
        enqueue(session, JOB, {"endpoint_id": endpoint_id, "message_id": f"msg_{uuid.uuid4().hex}", "body": body})


def deliver_webhook(state: Any, payload: dict[str, Any]) -> None:
    """Outbox handler: sign and send one message; raising retries it later. A disabled
    or removed endpoint gets nothing more."""
    with state.database.transaction() as session:
        endpoint = session.get(WebhookEndpoint, int(payload["endpoint_id"]))
        if endpoint is None or endpoint.disabled_at is not None:
            return
        url, sealed = endpoint.url, endpoint.secret_sealed
    secret = fernet_for(state.settings.secret_key, SEAL_PURPOSE).decrypt(sealed.encode()).decode()
    message = WebhookMessage(url=url, secret=secret, message_id=payload["message_id"], body=payload["body"])
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
