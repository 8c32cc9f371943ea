"""A draft that a client-service-centre clerk fills in person for a resident
(`runtime.cases.assisted`): the browser session's entry for the service carries, sealed
(encrypted and authenticated, `identity.seal`), whom it is for and the clerk's staff
session. The staff cookie is scoped to /staff, so the resident pages read the clerk from
here; submitting checks with the database that the staff session is still open."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ... import identity
from ...cases.assisted import AssistedPerson
from ...cases.staff_accounts import SESSION_HOURS

PURPOSE = "assisted filing"
KEY = "assisted"


@dataclass(frozen=True)
class AssistedFiling:
    person: AssistedPerson
    staff_session: str          # the SHA-256 of the clerk's staff session token


def sealed_filing(person: AssistedPerson, staff_session: str) -> str:
    digits = person.personal_code.replace("-", "")
    return identity.seal({"code": digits, "given_name": person.given_name, "surname": person.surname,
                          "staff_session": staff_session}, PURPOSE)


def assisted_filing(entry: dict[str, Any]) -> AssistedFiling | None:
    """The filing this session entry is, or None for a resident's own draft (also when the
    seal has expired or was tampered with)."""
    sealed = entry.get(KEY)
    if not isinstance(sealed, str):
        return None
    found = identity.unseal(sealed, PURPOSE, SESSION_HOURS * 3600)
    digits = identity.normalise_personal_code(str((found or {}).get("code", "")))
    if found is None or digits is None or not isinstance(found.get("staff_session"), str):
        return None
    person = AssistedPerson(identity.display_personal_code(digits), identity.person_code_hash(digits),
                            str(found.get("given_name", "")), str(found.get("surname", "")))
    return AssistedFiling(person, found["staff_session"])


def has_assisted_mark(entry: dict[str, Any]) -> bool:
    return KEY in entry
