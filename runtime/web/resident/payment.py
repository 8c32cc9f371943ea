"""The fee summary and how to pay: the municipality's IBAN, the payment reference and an
EPC QR code (SEPA credit transfer) that a banking app can scan.

The QR code is inline SVG from segno; it carries no style attribute, so it passes the
Content-Security-Policy, and its size comes from site.css.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import segno.helpers
from builder.engine import FeeResult
from markupsafe import Markup, escape

from ...i18n import format_money, gettext as _, text_for

EPC_TEXT_MAX = 140       # unstructured remittance information
EPC_NAME_MAX = 70


@dataclass
class FeeLineView:
    label: str
    gross: Decimal
    reductions: list[tuple[str, Decimal]]
    exemption: str | None
    vat: Decimal
    amount: Decimal
    reference: str | None


@dataclass
class Payment:
    iban: str | None
    beneficiary: str
    reference: str | None
    line_references: list[tuple[str, str]]
    total: Decimal
    qr_svg: Markup | None


def fee_lines(fees: FeeResult) -> list[FeeLineView]:
    return [FeeLineView(
        label=text_for(line.label) + (f" ({line.item_index + 1})" if line.item_index is not None else ""),
        gross=line.gross,
        reductions=[(text_for(r.label) or r.id, r.amount) for r in line.reductions],
        exemption=text_for(line.exemption[1]) if line.exemption else None,
        vat=line.vat, amount=line.amount, reference=line.reference,
    ) for line in fees.lines]


def payment(municipality, fees: FeeResult) -> Payment | None:
    """How to pay `fees`, or None when there is nothing to pay."""
    if not fees.lines or fees.total <= 0:
        return None
    line_references = [(view.label, view.reference) for view in fee_lines(fees)
                       if view.reference and view.amount > 0 and view.reference != fees.reference]
    reference = fees.reference or "; ".join(ref for _label, ref in line_references) or None
    beneficiary = municipality.name.get_for("lv")
    iban = municipality.iban
    qr = epc_qr_svg(beneficiary, iban, fees.total, reference) if iban else None
    return Payment(iban, beneficiary, fees.reference, line_references if not fees.reference else [], fees.total, qr)


def epc_qr_svg(beneficiary: str, iban: str, amount: Decimal, reference: str | None) -> Markup:
    code = segno.helpers.make_epc_qr(name=beneficiary[:EPC_NAME_MAX], iban=iban.replace(" ", ""),
                                     amount=amount, text=(reference or "")[:EPC_TEXT_MAX] or None)
    svg = code.svg_inline(scale=4, border=4, svgclass="payment-qr__code", lineclass=None)
    label = escape(_("QR code for a bank transfer of %(amount)s", amount=format_money(amount)))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))
