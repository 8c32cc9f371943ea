"""Personal codes: old-format codes by their birth date and check digit; new-format codes
(32...) by the documented choice in one place, CHECK_NEW_FORMAT_CHECK_DIGIT."""
from __future__ import annotations

import pytest

from builder.engine import validation
from builder.model import Field, Text

FIELD = Field(name="code", path="code", type="personal_code", label=Text("Kods"))


def _valid(code: str) -> bool:
    return validation._personal_code(FIELD, code) is None


@pytest.mark.parametrize("code", ["010190-15267", "150312-20180", "320830-16610", "32083016610"])
def test_the_documented_examples_are_valid(code):
    assert _valid(code)


@pytest.mark.parametrize("code", ["010190-15268", "320830-16611", "320830-1661", "420830-16610", "310290-15267"])
def test_a_wrong_check_digit_length_or_date_is_refused(code):
    assert not _valid(code)


def test_the_new_format_check_digit_is_one_switch(monkeypatch):
    monkeypatch.setattr(validation, "CHECK_NEW_FORMAT_CHECK_DIGIT", False)
    assert _valid("320830-16611")                     # any last digit, once the check is off
    assert not _valid("010190-15268")                 # old-format codes keep their check digit
    assert not _valid("32083016")                     # and the length is still checked
