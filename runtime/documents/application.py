"""The application as a document: every answered question with its answer, formatted in
the resident's language, and the fees, as the HTML that `pdf.html_to_pdf` turns into a
PDF. Runs off the request path (in the worker), so the language is a parameter here,
never the request's.

The template `templates/documents/application.html` is ours (trusted); admin-written
result documents go through `sandbox` instead.
"""
from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from builder.fieldtypes import readers
from builder.fieldtypes.display import in_language
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..fees import charged_fees, line_title
from ..i18n import format_locale_name, interface_languages, translations_for

LATVIA = ZoneInfo("Europe/Riga")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "documents"


@dataclass
class Item:
    """One answered question; a group or repeat has `children` (entries of a repeat are
    Items without a value whose children are the entry's answers)."""

    label: str
    value: str | None = None
    children: list["Item"] = field(default_factory=list)


class Formatter:
    """Values in one language: labels from the model, money and dates per locale."""

    def __init__(self, language: str, effective: Any):
        self.language = language if language in interface_languages() else "lv"
        self.locale = format_locale_name(self.language)
        self.effective = effective
        self.gettext = translations_for(self.language).gettext

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        return value.get_for(self.language) if hasattr(value, "get_for") else str(value)

    def money(self, value: Any, currency: str = "EUR") -> str:
        return format_currency(Decimal(str(value)), currency, locale=self.locale)

    def day(self, value: Any) -> str:
        """A date as the pages write it (the locale's long form: "2026. gada 1. decembris");
        a moment with its time in Latvia."""
        if isinstance(value, datetime.datetime):
            local = value.astimezone(LATVIA) if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc).astimezone(LATVIA)
            return f"{format_date(local.date(), 'long', locale=self.locale)}, {local:%H:%M}"
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return format_date(value, "long", locale=self.locale)

    def answer(self, fld: Any, value: Any) -> str:
        """A stored (JSON) answer, by how the field-type registry says its type is shown."""
        shown = fld.kind.shown
        try:
            formatter = _ANSWER_FORMATS.get(shown)
            return formatter(self, fld, value) if formatter else str(value)
        except (ValueError, TypeError, InvalidOperation):
            return str(value)

    def _number(self, fld: Any, value: Any) -> str:
        unit = f" {self.text(fld.unit)}" if fld.unit else ""
        return format_decimal(Decimal(str(value)), locale=self.locale) + unit

    def _option(self, fld: Any, value: Any) -> str:
        options = self.effective.options(fld) if self.effective is not None else ()
        for option in options or ():
            if option.value == value:
                return self.text(option.label)
        return str(value)


# The registry's `shown` kinds, each with its formatter of a stored answer
_ANSWER_FORMATS = {
    "yes_no": lambda fmt, fld, value: fmt.gettext("Yes") if value else fmt.gettext("No"),
    "option": lambda fmt, fld, value: fmt._option(fld, value),
    "options": lambda fmt, fld, value: ", ".join(fmt._option(fld, v) for v in value or []),
    "money": lambda fmt, fld, value: fmt.money(value),
    "number": lambda fmt, fld, value: fmt._number(fld, value),
    "date": lambda fmt, fld, value: fmt.day(value),
    "datetime": lambda fmt, fld, value: in_language(readers.read_datetime(fld, value), fmt.language),
    "time": lambda fmt, fld, value: in_language(readers.read_time(fld, value), fmt.language),
    "file": lambda fmt, fld, value: _file_text(value),
}


def _file_text(value: Any) -> str:
    files = value if isinstance(value, list) else [value]
    return ", ".join(str(f.get("name", "")) for f in files if isinstance(f, dict))


def _unanswered(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def answered_items(fields: Any, answers: Any, fmt: Formatter) -> list[Item]:
    """Items for every answered field, in the model's order, recursively."""
    answers = answers if isinstance(answers, dict) else {}
    items = []
    for fld in fields:
        value = answers.get(fld.name)
        if _unanswered(value):
            continue
        label = fmt.text(fld.label) or fld.name
        if fld.type == "group":
            children = answered_items(fld.children, value, fmt)
            if children:
                items.append(Item(label, children=children))
        elif fld.type == "repeat":
            entries = [Item(f"{fmt.text(fld.item_label) or label} {number}", children=answered_items(fld.children, entry, fmt))
                       for number, entry in enumerate(value if isinstance(value, list) else [], start=1)]
            items.append(Item(label, children=entries))
        else:
            items.append(Item(label, fmt.answer(fld, value)))
    return items


@dataclass
class FeeLine:
    label: str
    amount: str
    notes: list[str] = field(default_factory=list)


def fee_lines(fees: Any, fmt: Formatter) -> list[FeeLine]:
    """The lines of `fees` (a `builder.engine.FeeResult`, as charged) for the document."""
    if fees is None:
        return []
    lines = []
    for line in fees.lines:
        label = line_title(line, fmt.text(line.label))
        notes = [f"{fmt.text(r.label)}: −{fmt.money(r.amount, fees.currency)}" for r in line.reductions]
        if line.exemption is not None:
            notes.append(fmt.text(line.exemption[1]))
        if line.vat:
            notes.append(f"{fmt.gettext('VAT')}: {fmt.money(line.vat, fees.currency)}")
        lines.append(FeeLine(label, fmt.money(line.amount, fees.currency), notes))
    return lines


def evaluate_quietly(effective: Any, answers: dict, submitted_at: datetime.datetime, language: str) -> Any:
    """The engine's outcome for the stored answers on the day they were sent (for fee
    lines and computed values), or None when the engine cannot evaluate them."""
    try:
        from builder.engine import Context, evaluate

        return evaluate(effective, answers, Context(today=submitted_at.date(), language=language))
    except Exception:  # the document still shows the answers and the stored total
        return None


def document_environment(language: str) -> Environment:
    """The documents' Jinja environment in `language`, built once per process and set of
    languages (a new environment per document would compile the template again for every PDF)."""
    return _document_environment(translations_for(language))


@functools.cache
def _document_environment(translations: Any) -> Environment:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                              extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return environment


def render_application_html(*, effective: Any, service: Any, submission: Any, static_coat: str | None) -> str:
    """The application's HTML in the submission's language."""
    fmt = Formatter(submission.locale, effective)
    stored = getattr(submission, "fees", None)
    outcome = None if stored else evaluate_quietly(effective, submission.answers, submission.submitted_at, fmt.language)
    fees = charged_fees(submission, outcome)
    return document_environment(fmt.language).get_template("application.html").render(
        language=fmt.language, fmt=fmt, service=service, municipality=effective.municipality,
        submission=submission, items=answered_items(service.fields, submission.answers, fmt),
        fees=fee_lines(fees, fmt), fee_total=fmt.money(submission.fee_total, service.fees.currency),
        coat_of_arms=static_coat, payment=payment_details(effective.municipality, fees, submission.fee_total, fmt,
                                                           getattr(submission, "payment_due_on", None)),
    )


def payment_details(municipality: Any, fees: Any, total: Any, fmt: Formatter,
                    pay_by: datetime.date | None = None) -> list[tuple[str, str]] | None:
    """(label, value) of how to pay, as the confirmation says it: the payee's legal name
    and registration number, the account, the reference and the amount; None when nothing
    is due or the municipality has no account on file."""
    iban = getattr(municipality, "iban", None)
    if fees is None or not iban or Decimal(str(total or 0)) <= 0:
        return None
    references = [line.reference for line in fees.lines if line.reference and line.amount > 0]
    reference = fees.reference or "; ".join(dict.fromkeys(references))
    rows = [(fmt.gettext("Recipient"), municipality.name.get_for("lv"))]
    if getattr(municipality, "registration_number", None):
        rows.append((fmt.gettext("Recipient's registration number"), municipality.registration_number))
    rows += [(fmt.gettext("Account (IBAN)"), iban), (fmt.gettext("Payment reference"), reference or "–"),
             (fmt.gettext("Amount"), fmt.money(total, fees.currency))]
    if pay_by is not None:
        rows.append((fmt.gettext("Pay by"), fmt.day(pay_by)))
    return rows
