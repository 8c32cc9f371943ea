"""Type-specific checks of a read value: personal codes, registration numbers and IBANs
by their real check digits, e-mail addresses and phone numbers by their shape. Each gives
None when the value is good, else (message key, values)."""
from __future__ import annotations

import re
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ..identifiers import personal_code_digits, personal_code_is_valid, registration_number_is_valid

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,18}[0-9]$")


def personal_code(field: Any, value: str):
    """Old codes by their birth date and check digit, new codes by their form (identifiers.py)."""
    return None if personal_code_is_valid(personal_code_digits(value)) else ("invalid_personal_code", {})


def registration_number(field: Any, value: str):
    return None if registration_number_is_valid(value) else ("invalid_registration_number", {})


def iban(field: Any, value: str):
    try:
        account = IBAN(value)
    except SchwiftyException:
        return "invalid_iban", {}
    if field.country and account.country_code != field.country:
        return "invalid_iban", {}
    return None


def email(field: Any, value: str):
    return None if EMAIL.match(value) else ("invalid_email", {})


def phone(field: Any, value: str):
    return None if PHONE.match(value) else ("invalid_phone", {})
