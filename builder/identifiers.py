"""Latvian personal codes (personas kods) and registration numbers.

Two formats of personal code are in use:
- old `DDMMYY-CNNNK`: a birth date, a century digit C (0: 1800s, 1: 1900s, 2: 2000s) and a
  check digit K, both checked by python-stdnum (`stdnum.lv.pvn`);
- new, issued since 1 July 2017: first digit 3, second 2-9, the rest random. The law (the
  Law on the Register of Natural Persons; PMLP) defines no check digit for it, so a new
  code is checked for its form only. Codes starting 33-39 are new codes too, not dates.

python-stdnum (pinned in pyproject.toml) gives every 32... code the old format's check
digit and reads 33-39 as a day of the month, so it would refuse real new codes; it is
used only for what it gets right: the old format's date and check digit, and the
registration numbers' check digit. tests/builder/test_personal_code.py pins that
behaviour, so an upgrade that changes it is noticed.
"""
from __future__ import annotations

import re
from functools import lru_cache

from stdnum.exceptions import ValidationError
from stdnum.lv import pvn

NEW_FORMAT = re.compile(r"^3[2-9][0-9]{9}$")
OLD_FORMAT = re.compile(r"^[0-3][0-9]{5}[0-2][0-9]{4}$")


def personal_code_digits(code: str) -> str:
    """The code without spaces and the dash: '010190-15267' -> '01019015267'."""
    return "".join(ch for ch in str(code) if ch not in " -")


def is_new_format(digits: str) -> bool:
    """An 11-digit code of the format issued since July 2017 (3, then 2-9)."""
    return NEW_FORMAT.match(digits) is not None


@lru_cache(maxsize=4096)
def personal_code_is_valid(digits: str) -> bool:
    """Whether 11 digits are a personal code: a new code by its form, an old code by its
    birth date and check digit (pure; the same codes come back on every page)."""
    if is_new_format(digits):
        return True
    if OLD_FORMAT.match(digits) is None:
        return False
    try:
        pvn.get_birth_date(digits)
    except ValidationError:
        return False
    return pvn.calc_check_digit_pers(digits[:-1]) == digits[-1]


@lru_cache(maxsize=4096)
def registration_number_is_valid(digits: str) -> bool:
    """An 11-digit registration number (companies 4..., others 5..., public bodies 9...,
    also 6-8) with its check digit."""
    return len(digits) == 11 and digits.isdigit() and digits[0] in "456789" and pvn.is_valid(digits)
