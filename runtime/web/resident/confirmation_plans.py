"""The render plan of the confirmation (`resident/confirmation.html`): what it draws is
the same for every case of a service as offered but for the case's values (its
reference and addresses, the institution, the due days, the fees and how to pay them),
so the template's output is kept with a placeholder for each (page_plans.py), once per
language, mount point and shape: which of its parts show (how to pay's rows, the QR
code, what happens next). The fee table is its own plan (fee_plans.py). A request
formats the values, each once per value and language (`i18n`'s kept texts), and fills
them in. `tests/runtime/test_render_plans.py` compares planned confirmations with the
template's for every offered service, paid and free, with and without the QR code."""
from __future__ import annotations

from typing import Any

from flask import request
from markupsafe import Markup

from ...i18n import current_language, format_day, text_for
from ..page_plans import draw_with_slots, planned, planned_header
from .fee_plans import Put, fee_table, payment_parts, recorder, slot_put
from .payment import fee_lines, payment

# a service as offered has one plan per language and mount point for each shape its
# cases take: paid or free, with or without a due date, a QR code, line references
CONFIRMATION_PLANS_KEPT = 32


class _CaseProbe:
    """What the template reads of a case: its reference."""
    __slots__ = ("reference",)

    def __init__(self, reference: Any) -> None:
        self.reference = reference


def _parts(effective: Any, submission: Any, fees: Any, urls: dict[str, str], put: Put) -> tuple[tuple, dict]:
    """The page's shape and the template's context that `put` gives for its values."""
    how_to_pay = payment(effective.municipality, fees) if fees else None
    payment_shape, shown_payment, pay_by = payment_parts(
        how_to_pay, submission.payment_due_on, fees.currency if fees else "EUR", put)
    institution = submission.institution
    due_on = submission.due_on
    context = {
        "submission": _CaseProbe(put("reference", submission.reference, submission.reference)),
        "payment": shown_payment, "pay_by": pay_by,
        "institution": {"name": put("institution", text_for(institution["name"]), institution["name"])}
        if institution else institution,
        "due_on": put("due_on", format_day(due_on), due_on) if due_on else due_on,
        **{name: put(name, url, url) for name, url in urls.items()},
    }
    shape = (payment_shape, bool(fees), bool(fees) and fees.total > 0, bool(institution), bool(due_on))
    return shape, context


def planned_confirmation(effective: Any, submission: Any, fees: Any, processing_days: int | None,
                         urls: dict[str, str]) -> str | None:
    """The confirmation of `submission` from its plan, with `urls` (pdf_url, case_url)
    put in; None (draw the template) for a visitor whose header is not planned."""
    header = planned_header(effective.municipality)
    if header is None:
        return None
    values: dict[str, Any] = {"header": header,
                              "fees_table": fee_table(fee_lines(fees) if fees else [], fees)}
    shape, _context = _parts(effective, submission, fees, urls, recorder(values))

    def render(header: Markup, fees_table: Markup, **_slots: Any) -> str:
        _shape, context = _parts(effective, submission, fees, urls, slot_put)
        # `fees` itself: outside the fee table the page only asks whether its total is
        # above 0, which the key holds
        return draw_with_slots(
            "resident/confirmation.html", municipality=effective.municipality, service=effective.service,
            fees_html=fees_table, fees=fees, processing_days=processing_days, layout_header=lambda *_: header,
            **context)

    key = ("confirmation", current_language(), request.script_root, processing_days, shape)
    # kept apart from the start and check pages' plans, which the limit does not let go
    return planned(effective, key, None, render, values, limit=CONFIRMATION_PLANS_KEPT,
                   kept="_pkip_confirmation_plans")
