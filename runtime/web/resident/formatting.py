"""One answer or computed value as the reader sees it, in the current language: yes/no,
dates, numbers with their unit, and money with the currency."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from builder.fieldtypes.display import in_language
from builder.model import Field

from ...i18n import current_language, format_day, format_money, format_number, gettext as _, text_for


def format_scalar(value: Any, field: Field | None = None) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (datetime.datetime, datetime.time)):
        return in_language(value, current_language())
    if isinstance(value, datetime.date):
        return format_day(value)
    if isinstance(value, Decimal):
        if field is not None and field.type == "money":
            return format_money(value)
        unit = f" {text_for(field.unit)}" if field is not None and field.unit else ""
        return f"{format_number(value)}{unit}"
    return str(value)


def format_computed(value: Any, kind: str) -> str:
    """A computed value (a page's `show:` list) by its declared type; "" when it has none."""
    if value is None or value == "":
        return ""
    if kind == "money" and isinstance(value, (Decimal, int)):
        return format_money(Decimal(value))
    if kind == "date" and isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return format_scalar(value)
