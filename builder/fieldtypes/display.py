"""Values as people read them, by type and language: in messages (`{param.x}` inside a
rule's message, a bound in a field's message) and, through the runtime's formatters, on
summaries and PDFs. Babel gives each language its own dates, decimal commas and euro sign."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALES = {"lv": "lv_LV", "en": "en_IE"}
# Latvian inflects a month's name by its place in a sentence ("līdz 1. martam"), so inside
# messages a date is written the way Latvian official texts write it in any case: 01.03.2026.
DATE_FORMATS = {"lv": "dd.MM.y.", "en": "d MMMM y"}
YES_NO = {"lv": ("jā", "nē"), "en": ("yes", "no")}


def plain(value: Any) -> str:
    """Language-neutral: ISO dates, `2027-06-23 18:00`, `18:00`, plain decimals."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def in_language(value: Any, language: str, kind: str = "") -> str:
    """`value` for a reader of `language`; `kind` "money" shows a number as euro."""
    locale = LOCALES.get(language, LOCALES["lv"])
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = YES_NO.get(language, YES_NO["lv"])
        return yes if value else no
    if isinstance(value, dt.datetime):
        return f"{in_language(value.date(), language)} {value.strftime('%H:%M')}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return format_date(value, DATE_FORMATS.get(language, DATE_FORMATS["lv"]), locale=locale)
    if isinstance(value, (int, Decimal)):
        if kind == "money":
            return format_currency(Decimal(value), "EUR", locale=locale)
        return format_decimal(value, locale=locale)
    if isinstance(value, list):
        return ", ".join(in_language(item, language, kind) for item in value)
    return str(value)
