"""How a field of the model is named in HTML.

A field's input is named by its dotted model path with "-" for ".", e.g. `owner-surname`
or, inside a repeat entry, `pets-chip`. Model names match `^[a-z][a-z0-9_]*$`, so "-"
can never be part of a name and the mapping is unambiguous both ways. The input's id is
its name, so an error summary links to `#owner-surname`; a date's link goes to its day
input and radios' and checkboxes' to their first option (the GOV.UK convention).
"""
from __future__ import annotations

import re

from builder.model import Field

DATE_PARTS = ("day", "month", "year")
INDEX = re.compile(r"\[\d+\]")


def html_name(path: str) -> str:
    return path.replace(".", "-")


def target_id(field: Field) -> str:
    """The id that an error about `field` links to."""
    name = html_name(field.path)
    return f"{name}-day" if field.type == "date" else name


def option_id(field: Field, position: int) -> str:
    """The id of the `position`-th (from 0) radio or checkbox of `field`."""
    name = html_name(field.path)
    return name if position == 0 else f"{name}-{position + 1}"


def model_path(issue_path: str) -> str:
    """`pets[0].chip` -> `pets.chip`: the field an issue path points at."""
    return INDEX.sub("", issue_path)
