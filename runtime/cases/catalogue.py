"""What a municipality's catalogue lists, in its order: the services it offers grouped by
topic (in `builder.model.TOPICS` order), within a topic the ones its residents applied for
most first (its own counts of sent applications, one query), example services only in
development, and, for a search, only the services whose title, summary or keywords hold
every word searched for (case and Latvian diacritics aside: "suns" finds "Suņi")."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from builder.model import TOPICS
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..storage.models import ServiceVersion, Submission


@dataclass
class TopicGroup:
    topic: str
    services: list          # EffectiveService, most used first


def application_counts(session: Session, municipality_id: str) -> dict[str, int]:
    """{service id: applications sent to this municipality}."""
    rows = session.execute(
        select(ServiceVersion.service_id, func.count(Submission.id))
        .join(ServiceVersion, Submission.service_version_id == ServiceVersion.id)
        .where(Submission.municipality_id == municipality_id)
        .group_by(ServiceVersion.service_id))
    return {service_id: count for service_id, count in rows}


def catalogue_groups(services: Iterable, counts: dict[str, int], *, development: bool,
                     query: str = "") -> list[TopicGroup]:
    words = folded(query).split()
    shown = [e for e in services if (development or not e.service.example) and _matches(e.service, words)]
    groups = []
    for topic in sorted({e.service.topic for e in shown}, key=_topic_rank):
        members = [e for e in shown if e.service.topic == topic]
        members.sort(key=lambda e: -counts.get(e.service.id, 0))     # stable: by title within a count
        groups.append(TopicGroup(topic, members))
    return groups


def folded(text: str) -> str:
    """Lower case without diacritics: what a resident types on a phone matches."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _matches(service, words: list[str]) -> bool:
    if not words:
        return True
    texts = [*(service.title.values()), *((service.summary or {}).values()), *service.keywords]
    haystack = folded(" ".join(texts))
    return all(word in haystack for word in words)


def _topic_rank(topic: str) -> int:
    return TOPICS.index(topic) if topic in TOPICS else len(TOPICS)
