"""Who applied and how to reach them, read from a case's answers for the inbox and the
case file. Services name their groups differently (`applicant`, `owner`, `individual`,
`trader`, `contacts`...); the applicant's groups are read first, in a fixed order, because
PostgreSQL's JSONB does not keep the order in which the answers were written. Never the
personal code."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

APPLICANT_GROUPS = ("applicant", "owner", "individual", "trader", "company", "organisation", "organiser",
                    "contacts", "contact")


@dataclass(frozen=True)
class Applicant:
    name: str = ""
    email: str | None = None
    phone: str | None = None
    address: str | None = None


def applicant_of(answers: dict[str, Any] | None) -> Applicant:
    name = email = phone = address = None
    for group in _groups(answers or {}):
        if name is None:
            name = _name(group)
        email = email or _text(group.get("email"))
        phone = phone or _text(group.get("phone"))
        address = address or _text(group.get("address"))
    return Applicant(name=name or "", email=email, phone=phone, address=address)


def _groups(answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield answers
    keys = [k for k in APPLICANT_GROUPS if k in answers] + sorted(k for k in answers if k not in APPLICANT_GROUPS)
    for key in keys:
        if isinstance(answers[key], dict):
            yield answers[key]


def _name(group: dict[str, Any]) -> str | None:
    person = " ".join(p for p in (_text(group.get("given_name")), _text(group.get("surname"))) if p)
    return person or _text(group.get("name")) or _text(group.get("company_name"))


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
