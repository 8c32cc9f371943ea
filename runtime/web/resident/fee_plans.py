"""Render plans of the fee table (`resident/_fees.html`), which check your answers and the
confirmation draw, and the placeholders of how to pay (`resident/_how_to_pay.html`),
which the confirmation's plan draws (confirmation_plans.py).

A table is drawn once per language, currency and shape (which details each line shows,
how many reductions it has) with a placeholder for each value (page_plans.Slot: a label,
an amount), and a request fills in the values, each amount formatted once per value and
language (`i18n.format_money`). The plans are kept on the app's languages
(`runtime.kept`), whose catalogues their texts come from, at most FEE_PLANS_KEPT of them.
`tests/runtime/test_render_plans.py` compares the planned pages with the templates'."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from markupsafe import Markup

from ...i18n import active_languages, current_language, format_day, format_money
from ..page_plans import Slot, draw_with_slots, planned
from .payment import FeeLineView, Payment

# a service's fee tables differ by their number of lines and which details they show:
# a few shapes per service, 43 municipalities' services, two languages
FEE_PLANS_KEPT = 1024

# `put(name, shown text, value)`: records the text a placeholder stands for and gives the
# template what stands for the value (the value itself, or a Slot while a plan is drawn)
Put = Callable[[str, str, Any], Any]


@dataclass
class FeesProbe:
    """What the templates read of a `FeeResult`: its currency and total."""
    currency: str
    total: Any


def fee_table_parts(lines: list[FeeLineView], fees: Any, put: Put) -> tuple[tuple, list[FeeLineView], FeesProbe]:
    """The table's shape (what `_fees.html` decides by), and the lines and fees that
    `put` gives for its values."""
    def money(name: str, amount: Decimal) -> Any:
        return put(name, format_money(amount, fees.currency), amount)

    shape: list[tuple] = []
    shown = []
    for index, line in enumerate(lines):
        name = f"fee{index}"
        shape.append((line.gross != line.amount, len(line.reductions), bool(line.exemption), bool(line.vat)))
        shown.append(FeeLineView(
            label=put(name, line.label, line.label), gross=money(f"{name}gross", line.gross),
            reductions=[(put(f"{name}reduction{number}", label, label), money(f"{name}reduced{number}", amount))
                        for number, (label, amount) in enumerate(line.reductions)],
            exemption=put(f"{name}exemption", line.exemption, line.exemption) if line.exemption else line.exemption,
            vat=money(f"{name}vat", line.vat) if line.vat else line.vat,
            amount=money(f"{name}amount", line.amount), reference=None))
    if fees is None:      # a free case's confirmation: no lines
        return (None, ()), shown, None
    return (fees.currency, tuple(shape)), shown, FeesProbe(fees.currency, money("total", fees.total))


def recorder(values: dict[str, Any]) -> Put:
    """A `put` that keeps each text in `values` (a request filling a plan in)."""
    def put(name: str, text: str, value: Any) -> Any:
        values[name] = text
        return value
    return put


def slot_put(name: str, text: str, value: Any) -> Slot:
    """A `put` that gives a placeholder (a plan being drawn)."""
    return Slot(name, value)


def fee_table(lines: list[FeeLineView], fees: Any) -> Markup:
    """What `resident/_fees.html` draws for these lines and fees (None: no lines), from
    its plan."""
    values: dict[str, Any] = {}
    shape, _lines, _fees = fee_table_parts(lines, fees, recorder(values))

    def render(**_slots: Any) -> str:
        _shape, probe_lines, probe_fees = fee_table_parts(lines, fees, slot_put)
        return draw_with_slots("resident/_fees.html", fee_lines=probe_lines, fees=probe_fees)

    key = ("fees", current_language(), shape)
    return Markup(planned(active_languages(), key, None, render, values, limit=FEE_PLANS_KEPT,
                          kept="_pkip_fee_plans"))


def payment_parts(payment: Payment | None, pay_by: Any, currency: str, put: Put) -> tuple[tuple, Any, Any]:
    """How to pay's shape (which of its rows show), and the payment and due day that
    `put` gives for its values."""
    if payment is None:
        return (None,), None, put("pay_by", format_day(pay_by), pay_by) if pay_by else pay_by

    def optional(name: str, value: Any) -> Any:
        return put(name, value, value) if value else value

    references = [(put(f"line{index}", label, label), put(f"line{index}reference", reference, reference))
                  for index, (label, reference) in enumerate(payment.line_references)]
    shown = Payment(
        iban=optional("iban", payment.iban), beneficiary=put("beneficiary", payment.beneficiary, payment.beneficiary),
        reference=optional("payment_reference", payment.reference), line_references=references,
        total=put("payment_total", format_money(payment.total, currency), payment.total),
        qr_svg=optional("qr", payment.qr_svg), registration_number=optional("registration", payment.registration_number))
    shape = (bool(payment.iban), bool(payment.registration_number), bool(payment.reference), len(references),
             bool(payment.qr_svg), bool(pay_by))
    return shape, shown, put("pay_by", format_day(pay_by), pay_by) if pay_by else pay_by
