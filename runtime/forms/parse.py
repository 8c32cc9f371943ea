"""Read a submitted form into raw answers, keyed by model path.

Values stay as the resident typed them (strings, lists of option values, an ISO date
string assembled from the three inputs): the engine coerces and validates them, so that
every message comes from one place in both languages.
"""
from __future__ import annotations

from typing import Any

from builder.model import Field
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from .naming import html_name

NOT_A_DATE = "not-a-date"   # what the engine reads as an invalid date


def posted_values(form: FlaskForm) -> dict[str, Any]:
    """{model path: raw value} for every input field of the form except files."""
    values: dict[str, Any] = {}
    for field in form.model_leaves:
        if field.type == "file":
            continue
        data = form[html_name(field.path)].data
        if field.type == "date":
            values[field.path] = date_text(data or {})
        elif field.type == "multi_choice":
            values[field.path] = [str(item) for item in data or [] if item]
        else:
            values[field.path] = data if isinstance(data, str) else None
    return values


def date_text(parts: dict[str, Any]) -> str | None:
    """`YYYY-MM-DD` from the day, month and year inputs; None when all are empty; a
    value the engine reports as invalid when any part is missing or not a number."""
    day, month, year = (str(parts.get(key) or "").strip() for key in ("day", "month", "year"))
    if not (day or month or year):
        return None
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
        return NOT_A_DATE
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def posted_files(form: FlaskForm) -> dict[str, list[FileStorage]]:
    """{model path: uploaded files} for file inputs that carry at least one file."""
    found: dict[str, list[FileStorage]] = {}
    for field in form.model_leaves:
        if field.type != "file":
            continue
        data = form[html_name(field.path)].data
        items = data if isinstance(data, list) else [data]
        files = [item for item in items if isinstance(item, FileStorage) and item.filename]
        if files:
            found[field.path] = files
    return found


def removed_files(form: FlaskForm, field: Field) -> set[str]:
    """The ids of stored files the resident ticked "remove" for."""
    return {str(item) for item in form[f"{html_name(field.path)}-remove"].data or []}
