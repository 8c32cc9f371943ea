"""What the VAT rules look at, read once from a UBL document: every line and document-level
allowance or charge with its VAT category (BT-151/152, BT-95/96, BT-102/103), every row of
the VAT breakdown (BG-23), and which VAT identifiers the parties carry. Amounts that are
unreadable are None (and reported by `UblDocument.amount`)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

from .ubl import UblDocument

SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"
TAX_REPRESENTATIVE = "cac:TaxRepresentativeParty"
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """XPath's `round(x * 100) div 100`, which the official rules use: half-way rounds up
    towards positive infinity (-0.005 becomes 0.00, not -0.01)."""
    return ((value * 100 + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / 100).quantize(CENT)


@dataclass(frozen=True)
class Category:
    """A TaxCategory or ClassifiedTaxCategory; `code` only of the VAT scheme, `any_code`
    whatever its scheme (the official -08 sums do not look at the scheme)."""
    code: str | None
    has_rate: bool
    rate: Decimal | None
    any_code: str | None = None


@dataclass(frozen=True)
class Taxed:
    kind: str                  # "line" | "allowance" | "charge"
    index: int                 # 1-based among its kind
    where: str                 # the category's path, for messages
    category: Category
    amount: Decimal | None     # BT-131, BT-92 or BT-99


@dataclass(frozen=True)
class BreakdownRow:
    index: int
    where: str
    category: Category
    taxable: Decimal | None    # BT-116
    tax: Decimal | None        # BT-117
    exemption: bool            # BT-120 or BT-121 present


@dataclass(frozen=True)
class VatFacts:
    items: tuple[Taxed, ...]
    breakdown: tuple[BreakdownRow, ...]
    seller_tax_id: bool        # BT-31 or BT-32: any PartyTaxScheme/CompanyID of the seller
    seller_vat: bool           # BT-31
    representative_vat: bool   # BT-63
    buyer_vat: bool            # BT-48
    buyer_legal_id: bool       # BT-47

    def of(self, code: str, kind: str | None = None, any_scheme: bool = False) -> list[Taxed]:
        return [i for i in self.items if (i.category.any_code if any_scheme else i.category.code) == code
                and (kind is None or i.kind == kind)]

    def rows(self, code: str) -> list[BreakdownRow]:
        return [r for r in self.breakdown if r.category.code == code]


def category(doc: UblDocument, node: etree._Element | None, where: str) -> Category:
    if node is None:
        return Category(None, False, None)
    has_rate = doc.node("cbc:Percent", node) is not None
    rate = doc.amount("cbc:Percent", node, f"{where}/cbc:Percent")
    code = doc.text("cbc:ID", node)
    vat = (doc.text("cac:TaxScheme/cbc:ID", node) or "").upper() == "VAT"
    return Category(code if vat else None, has_rate, rate, code)


def charge_indicator(doc: UblDocument, node: etree._Element) -> bool | None:
    """cbc:ChargeIndicator as xs:boolean: true for a charge, false for an allowance."""
    value = doc.text("cbc:ChargeIndicator", node)
    return {"true": True, "1": True, "false": False, "0": False}.get(value or "")


def read_facts(doc: UblDocument) -> VatFacts:
    items = []
    for index, line in enumerate(doc.nodes(doc.line_tag), start=1):
        where = doc.path(f"{doc.line_tag}[{index}]")
        items.append(Taxed("line", index, f"{where}/cac:Item/cac:ClassifiedTaxCategory",
                           category(doc, doc.node("cac:Item/cac:ClassifiedTaxCategory", line),
                                    f"{where}/cac:Item/cac:ClassifiedTaxCategory"),
                           doc.amount("cbc:LineExtensionAmount", line, f"{where}/cbc:LineExtensionAmount")))
    counts = {"allowance": 0, "charge": 0}
    for position, node in enumerate(doc.nodes("cac:AllowanceCharge"), start=1):
        charge = charge_indicator(doc, node)
        if charge is None:
            continue
        kind = "charge" if charge else "allowance"
        counts[kind] += 1
        where = doc.path(f"cac:AllowanceCharge[{position}]")
        items.append(Taxed(kind, counts[kind], f"{where}/cac:TaxCategory",
                           category(doc, doc.node("cac:TaxCategory", node), f"{where}/cac:TaxCategory"),
                           doc.amount("cbc:Amount", node, f"{where}/cbc:Amount")))
    return VatFacts(tuple(items), tuple(_breakdown(doc)), **_parties(doc))


def _breakdown(doc: UblDocument) -> list[BreakdownRow]:
    rows = []
    for index, sub in enumerate(doc.nodes("cac:TaxTotal/cac:TaxSubtotal"), start=1):
        where = doc.path(f"cac:TaxTotal/cac:TaxSubtotal[{index}]")
        node = doc.node("cac:TaxCategory", sub)
        exemption = node is not None and (doc.node("cbc:TaxExemptionReason", node) is not None
                                          or doc.node("cbc:TaxExemptionReasonCode", node) is not None)
        rows.append(BreakdownRow(index, where, category(doc, node, f"{where}/cac:TaxCategory"),
                                 doc.amount("cbc:TaxableAmount", sub, f"{where}/cbc:TaxableAmount"),
                                 doc.amount("cbc:TaxAmount", sub, f"{where}/cbc:TaxAmount"), exemption))
    return rows


def _vat_id(doc: UblDocument, party: str) -> bool:
    return any((doc.text("cac:TaxScheme/cbc:ID", scheme) or "").upper() == "VAT"
               and doc.node("cbc:CompanyID", scheme) is not None
               for scheme in doc.nodes(f"{party}/cac:PartyTaxScheme"))


def _parties(doc: UblDocument) -> dict:
    return {"seller_tax_id": doc.node(f"{SELLER}/cac:PartyTaxScheme/cbc:CompanyID") is not None,
            "seller_vat": _vat_id(doc, SELLER), "representative_vat": _vat_id(doc, TAX_REPRESENTATIVE),
            "buyer_vat": _vat_id(doc, BUYER),
            "buyer_legal_id": doc.node(f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID") is not None}
