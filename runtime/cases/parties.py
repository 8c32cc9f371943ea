"""Whom a signed-in person may act for besides themselves, from the registers: their
children under 18, from the population register's `population_children` look-up, and the
companies the Enterprise Register lists them as representing (`enterprise_representatives`),
each through `runtime.registers.ask_one` (under its timeout and memory). The company of the
identity service's subject and the person who authorised them come from the subject
(`runtime.auth.subjects`), not from here.

A register that does not answer is no error: the person signs in and acts for
themselves; the chooser says the children could not be looked up now.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from builder.expressions.dates import age
from builder.registers import FOUND, UNAVAILABLE

from ..registers import Registry, ask_one

POPULATION_CHILDREN = "population_children"
REPRESENTATIVES = "enterprise_representatives"
ADULT_AGE = 18


@dataclass(frozen=True)
class Child:
    personal_code: str      # as the register gives it; kept only as a keyed hash
    name: str


@dataclass(frozen=True)
class Children:
    found: tuple[Child, ...] = ()
    unavailable: bool = False       # the register did not answer (down, slow, not configured)


@dataclass(frozen=True)
class Company:
    registration_number: str
    name: str


def companies_of(registry: Registry | None, personal_code: str) -> tuple[Company, ...]:
    """The companies the Enterprise Register says the person may represent (none when it
    does not know them or does not answer: the identity service's subject still may)."""
    answer = ask_one(registry, REPRESENTATIVES, personal_code) if registry is not None else None
    listed = answer.data.get("companies") if answer is not None and answer.status == FOUND else None
    return tuple(Company(entry["registration_number"], str(entry.get("name") or "")[:120])
                 for entry in (listed if isinstance(listed, list) else [])
                 if isinstance(entry, dict) and isinstance(entry.get("registration_number"), str)
                 and entry["registration_number"].isdigit() and len(entry["registration_number"]) == 11)


def children_of(registry: Registry | None, personal_code: str, today: date) -> Children:
    """The person's children who are minors on `today`, as the population register says."""
    if registry is None:
        return Children(unavailable=True)
    answer = ask_one(registry, POPULATION_CHILDREN, personal_code)
    if answer.status == UNAVAILABLE:
        return Children(unavailable=True)
    if answer.status != FOUND:
        return Children()
    listed = answer.data.get("children") if isinstance(answer.data, dict) else None
    return Children(tuple(child for child in (_minor_child(entry, today) for entry in
                                              (listed if isinstance(listed, list) else [])) if child is not None))


def _minor_child(entry: Any, today: date) -> Child | None:
    """The register's entry as a `Child` when it is one under 18 on `today`; a child
    without a readable birth date is kept (the register lists children, and a parent is
    not refused for a missing field)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("personal_code"), str):
        return None
    try:
        if age(date.fromisoformat(str(entry.get("birth_date"))), today) >= ADULT_AGE:
            return None
    except ValueError:
        pass
    name = " ".join(str(entry.get(part) or "").strip() for part in ("given_name", "surname")).strip()
    return Child(entry["personal_code"], name)
