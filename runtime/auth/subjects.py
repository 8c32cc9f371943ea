"""Who signed in through latvija.lv, and for whom, from the assertion's NameIdentifier and
its `privatepersonalidentifier` values.

Subject forms (as the state's sign-on module writes them):

    PK:12345612345                 a person, for themselves
    AU:<institution>-PK:<code>     an institution's employee
    PK:<code>-UR:<registration no> a company's representative
    DP:<authoriser>-PK:<code>      a person acting under another person's authorisation

The PK part is always the person at the keyboard. A person whose code changed carries
several `privatepersonalidentifier` values: the current one is marked by `OriginalIssuer`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..identity import Represented, normalise_personal_code
from .saml import Assertion, AssertionRefused

CODE = r"\d{6}-?\d{5}"
FORMS = (
    (re.compile(rf"PK:(?P<person>{CODE})"), None),
    (re.compile(rf"AU:(?P<party>[0-9A-Za-z]{{1,40}})-PK:(?P<person>{CODE})"), "institution"),
    (re.compile(rf"PK:(?P<person>{CODE})-UR:(?P<party>\d{{11}})"), "company"),
    (re.compile(rf"DP:(?P<party>{CODE})-PK:(?P<person>{CODE})"), "person"),
)


@dataclass(frozen=True)
class Subject:
    personal_code: str                  # 11 digits: the person who signed in
    represented: Represented | None     # whom they act for, if not themselves
    former_codes: tuple[str, ...] = ()  # the person's earlier codes, if it changed


def _digits(code: str, what: str) -> str:
    digits = normalise_personal_code(code)
    if digits is None:
        raise AssertionRefused(f"the {what} is not a valid personal code")
    return digits


def parse_name_identifier(text: str) -> tuple[str, Represented | None]:
    """(the signed-in person's digits, whom they represent) from a NameIdentifier."""
    for pattern, kind in FORMS:
        match = pattern.fullmatch(text.strip())
        if match:
            person = _digits(match["person"], "subject's personal code")
            if kind is None:
                return person, None
            party = _digits(match["party"], "authoriser's code") if kind == "person" else match["party"]
            return person, Represented(kind, party)
    raise AssertionRefused("the NameIdentifier is in no known subject form")


def current_code(assertion: Assertion) -> tuple[str, tuple[str, ...]]:
    """(current code, former codes) from `privatepersonalidentifier`: one value, or
    several of which exactly one is marked by OriginalIssuer."""
    values = assertion.values("privatepersonalidentifier")
    if not values:
        raise AssertionRefused("the assertion has no privatepersonalidentifier")
    if len(values) == 1:
        return _digits(values[0].value, "privatepersonalidentifier"), ()
    marked = [value for value in values if value.original_issuer]
    if len(marked) != 1:
        raise AssertionRefused("several privatepersonalidentifier values and not exactly one marked current")
    former = tuple(_digits(value.value, "former code") for value in values if value is not marked[0])
    return _digits(marked[0].value, "privatepersonalidentifier"), former


def subject_of(assertion: Assertion) -> Subject:
    person, represented = parse_name_identifier(assertion.name_identifier)
    code, former = current_code(assertion)
    if code != person and person not in former:
        raise AssertionRefused("the NameIdentifier and privatepersonalidentifier name different people")
    return Subject(code, represented, former)
