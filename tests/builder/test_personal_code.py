"""Personal codes: old-format codes by their birth date and check digit; new-format codes
(3 then 2-9, issued since July 2017) by their form only, since the law defines no check
digit for them. And the behaviour of the pinned python-stdnum that this relies on."""
from __future__ import annotations

import pytest
from stdnum.lv import pvn

from builder.fieldtypes import checks
from builder.identifiers import is_new_format, personal_code_is_valid
from builder.model import Field, Text

FIELD = Field(name="code", path="code", type="personal_code", label=Text("Kods"))


def _valid(code: str) -> bool:
    return checks.personal_code(FIELD, code) is None


@pytest.mark.parametrize("code", ["010190-15267", "150312-20180", "01019015267"])
def test_old_format_codes_with_their_date_and_check_digit_are_valid(code):
    assert _valid(code)


@pytest.mark.parametrize("code", [
    "320830-16610", "320830-16611",     # 32...: any last digit, there is no check digit
    "32083016619", "350101-00000",      # 35...
    "351299-12345",
    "330000-00000", "399999-99999",     # 33-39 are new codes, not days 33-39 of a month
])
def test_new_format_codes_are_accepted_without_a_check_digit(code):
    assert _valid(code)


@pytest.mark.parametrize("code", [
    "010190-15268",                     # old format, wrong check digit
    "150312-20181",                     # old format, wrong check digit
    "310290-15267",                     # old format, 31 February
    "010190-35267",                     # old format, no such century digit
    "310000-00000", "300000-00000",     # 30/31 start old codes: a date, and 00 is no month
    "420830-16610", "3208301661",       # neither format; too short
    "320830-166100", "32083O16610",     # too long; a letter
])
def test_a_wrong_check_digit_date_form_or_length_is_refused(code):
    assert not _valid(code)


def test_new_format_means_three_then_two_to_nine():
    assert is_new_format("32000000000") and is_new_format("39000000000")
    assert not is_new_format("31000000000") and not is_new_format("30000000000")
    assert not is_new_format("3200000000")


# -- what the pinned python-stdnum does (pyproject.toml pins it) --------------------
def test_stdnum_checks_the_old_format_date_and_check_digit_as_we_use_it():
    assert pvn.calc_check_digit_pers("0101901526") == "7"
    assert pvn.calc_check_digit_pers("1503122018") == "0"
    with pytest.raises(pvn.InvalidComponent):
        pvn.get_birth_date("31029015267")


def test_stdnum_refuses_new_codes_that_we_accept():
    """python-stdnum gives 32... codes a check digit and reads 33-39 as dates; we do not
    call it for new codes. If an upgrade starts accepting these, revisit builder.identifiers."""
    assert not pvn.is_valid("32083016611")
    assert not pvn.is_valid("35010100000")
    assert personal_code_is_valid("32083016611") and personal_code_is_valid("35010100000")


def test_registration_numbers_keep_their_check_digit():
    assert pvn.is_valid("90011524360") and not pvn.is_valid("90011524361")
