"""The fee summary and how to pay: the municipality's IBAN, the payment reference and an
EPC QR code (SEPA credit transfer) that a banking app can scan.

The QR code is inline SVG from segno; it carries no style attribute, so it passes the
Content-Security-Policy, and its size comes from site.css. Its content is kept within the
EPC069-12 limits: the beneficiary's name at most 70 characters, the remittance text at
most 140, the whole payload at most 331 bytes (a surname of Chinese characters or emoji
is cut, never a reason to fail). The code is decoration next to the reference and IBAN
written out: if it cannot be drawn anyway, the page is shown without it.
"""
from __future__ import annotations

import functools
import logging
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import segno.helpers
from builder.engine import FeeResult
from markupsafe import Markup, escape

from ...fees import line_title
from ...i18n import format_money, gettext as _, text_for

log = logging.getLogger(__name__)
EPC_TEXT_MAX = 140       # unstructured remittance information, characters
EPC_NAME_MAX = 70
EPC_PAYLOAD_MAX = 331    # bytes, the whole payload
EPC_NAME_BYTES = 200     # so that a name of wide characters leaves room for the text
EPC_AMOUNT_MAX = Decimal("999999999.99")
QR_KEPT = 512            # payments whose SVG (a few KB each) a process keeps


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
    registration_number: str | None = None    # the payee's, to tell it apart from namesakes


def fee_lines(fees: FeeResult) -> list[FeeLineView]:
    return [FeeLineView(
        label=line_title(line, text_for(line.label)),
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
    return Payment(iban, beneficiary, fees.reference, line_references if not fees.reference else [], fees.total, qr,
                   registration_number=municipality.registration_number)


def epc_fields(beneficiary: str, iban: str, amount: Decimal, reference: str | None) -> tuple[str, str, str | None]:
    """(name, IBAN, remittance text) cut to fit the EPC limits. The byte budget is counted
    in UTF-8, the widest encoding segno may choose, over the payload's other lines."""
    name = _fit(_one_line(beneficiary)[:EPC_NAME_MAX], EPC_NAME_BYTES)
    iban = iban.replace(" ", "")
    others = ["BCD", "002", "1", "SCT", "", name, iban, f"EUR{amount:.2f}", "", ""]
    budget = EPC_PAYLOAD_MAX - len("\n".join(others).encode("utf-8")) - 1
    # EPC asks for a remittance text or a creditor reference: without one, the name
    text = (_one_line(reference or "") or name)[:EPC_TEXT_MAX]
    return name, iban, _fit(text, budget).strip() or None


def _fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, at a character boundary."""
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", errors="ignore")


def _one_line(text: str) -> str:
    """Line breaks and other control characters separate the payload's fields: spaces."""
    return " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).split())


def epc_qr_code(beneficiary: str, iban: str, amount: Decimal, reference: str | None) -> segno.QRCode | None:
    """The EPC QR code, or None when it cannot be made (logged without the values)."""
    if not Decimal("0.01") <= amount <= EPC_AMOUNT_MAX:
        return None
    try:
        name, iban, text = epc_fields(beneficiary, iban, amount, reference)
        return segno.helpers.make_epc_qr(name=name, iban=iban, amount=amount, text=text)
    except Exception as error:    # decoration: the reference and IBAN are on the page in words
        log.warning("the EPC QR code could not be drawn: %s", type(error).__name__)
        return None


def epc_qr_svg(beneficiary: str, iban: str, amount: Decimal, reference: str | None) -> Markup | None:
    """The EPC QR code as inline SVG with its accessible name, or None."""
    svg = _drawn_svg(beneficiary, iban, amount, reference)
    if svg is None:
        return None
    label = escape(_("QR code for a bank transfer of %(amount)s", amount=format_money(amount)))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


@functools.lru_cache(maxsize=QR_KEPT)
def _drawn_svg(beneficiary: str, iban: str, amount: Decimal, reference: str | None) -> str | None:
    """The code's SVG, drawn once per payment: the confirmation and the case page show the
    same payment on every view, and drawing it costs several milliseconds. The SVG is a
    function of these four values alone (`segno` is deterministic)."""
    code = epc_qr_code(beneficiary, iban, amount, reference)
    return None if code is None else code.svg_inline(scale=4, border=4, svgclass="payment-qr__code", lineclass=None)
