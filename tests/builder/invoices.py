"""Valid PEPPOL BIS Billing 3.0 invoices and credit notes, written by the tests themselves.

`invoice(...)` builds a UBL 2.1 document in the schema's element order with every total
computed from its lines, allowances and charges, so that it passes every rule; a test then
changes one thing (an argument, or the tree through `edit`) to break exactly one rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Callable

from lxml import etree

from builder.documents.ubl import NS

CAC, CBC = NS["cac"], NS["cbc"]
ROOT_NS = {"Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
           "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"}
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EXEMPTION = {"E": "VATEX-EU-132", "AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}


@dataclass
class Line:
    category: str = "S"
    rate: str | None = "21"
    quantity: str = "2"
    price: str = "50.00"
    net: str | None = None            # computed from quantity x price when None
    unit: str = "H87"


@dataclass
class AllowanceCharge:
    charge: bool
    amount: str
    category: str = "S"
    rate: str | None = "21"
    reason: str = "Piegāde"


@dataclass
class Spec:
    kind: str = "Invoice"
    lines: list[Line] = field(default_factory=lambda: [Line()])
    allowances: list[AllowanceCharge] = field(default_factory=list)
    currency: str = "EUR"
    seller_vat: str | None = "LV40003000002"
    buyer_vat: str | None = None
    seller_endpoint: tuple[str, str] = ("0218", "40003000002")
    buyer_endpoint: tuple[str, str] = ("0218", "90011524360")
    delivery_date: str | None = None
    delivery_country: str | None = None
    due_date: str | None = "2026-03-04"


def cents(value: Decimal) -> Decimal:
    return ((value * 100 + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / 100).quantize(Decimal("0.01"))


def _el(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _party(parent: etree._Element, role: str, endpoint: tuple[str, str], name: str, number: str,
           vat: str | None) -> None:
    party = _el(_el(parent, f"cac:{role}"), "cac:Party")
    _el(party, "cbc:EndpointID", endpoint[1], schemeID=endpoint[0])
    address = _el(party, "cac:PostalAddress")
    _el(address, "cbc:CityName", "Rīga")
    _el(_el(address, "cac:Country"), "cbc:IdentificationCode", "LV")
    if vat:
        scheme = _el(party, "cac:PartyTaxScheme")
        _el(scheme, "cbc:CompanyID", vat)
        _el(_el(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _el(party, "cac:PartyLegalEntity")
    _el(legal, "cbc:RegistrationName", name)
    _el(legal, "cbc:CompanyID", number)


def _category(parent: etree._Element, tag: str, code: str, rate: str | None, exemption: bool = False) -> None:
    category = _el(parent, tag)
    _el(category, "cbc:ID", code)
    if rate is not None:
        _el(category, "cbc:Percent", rate)
    if exemption and code in EXEMPTION:
        _el(category, "cbc:TaxExemptionReasonCode", EXEMPTION[code])
    _el(_el(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _net(line: Line) -> Decimal:
    return Decimal(line.net) if line.net is not None else cents(Decimal(line.quantity) * Decimal(line.price))


def _breakdown(spec: Spec) -> dict[tuple[str, str | None], Decimal]:
    groups: dict[tuple[str, str | None], Decimal] = {}
    for line in spec.lines:
        groups[(line.category, line.rate)] = groups.get((line.category, line.rate), Decimal(0)) + _net(line)
    for item in spec.allowances:
        sign = 1 if item.charge else -1
        groups[(item.category, item.rate)] = groups.get((item.category, item.rate), Decimal(0)) + sign * Decimal(item.amount)
    return groups


def build(spec: Spec) -> etree._Element:
    root = etree.Element(f"{{{ROOT_NS[spec.kind]}}}{spec.kind}", nsmap={None: ROOT_NS[spec.kind], "cac": CAC, "cbc": CBC})
    amount = {"currencyID": spec.currency}
    for tag, text in (("cbc:CustomizationID", CUSTOMIZATION), ("cbc:ProfileID", PROFILE), ("cbc:ID", "PKIP-1"),
                      ("cbc:IssueDate", "2026-02-02")):
        _el(root, tag, text)
    if spec.kind == "Invoice":
        if spec.due_date:
            _el(root, "cbc:DueDate", spec.due_date)
        _el(root, "cbc:InvoiceTypeCode", "380")
    else:
        _el(root, "cbc:CreditNoteTypeCode", "381")
    _el(root, "cbc:DocumentCurrencyCode", spec.currency)
    _el(root, "cbc:BuyerReference", "RD-2026-17")
    _party(root, "AccountingSupplierParty", spec.seller_endpoint, 'SIA "Piemērs"', "40003000002", spec.seller_vat)
    _party(root, "AccountingCustomerParty", spec.buyer_endpoint, "Rīgas valstspilsētas pašvaldība", "90011524360",
           spec.buyer_vat)
    if spec.delivery_date or spec.delivery_country:
        delivery = _el(root, "cac:Delivery")
        if spec.delivery_date:
            _el(delivery, "cbc:ActualDeliveryDate", spec.delivery_date)
        if spec.delivery_country:
            address = _el(_el(delivery, "cac:DeliveryLocation"), "cac:Address")
            _el(_el(address, "cac:Country"), "cbc:IdentificationCode", spec.delivery_country)
    means = _el(root, "cac:PaymentMeans")
    _el(means, "cbc:PaymentMeansCode", "30")
    _el(_el(means, "cac:PayeeFinancialAccount"), "cbc:ID", "LV80BANK0000435195001")
    for item in spec.allowances:
        node = _el(root, "cac:AllowanceCharge")
        _el(node, "cbc:ChargeIndicator", "true" if item.charge else "false")
        _el(node, "cbc:AllowanceChargeReason", item.reason)
        _el(node, "cbc:Amount", item.amount, **amount)
        _category(node, "cac:TaxCategory", item.category, item.rate)
    _totals(root, spec, _tax_total(root, spec, amount), amount)
    for index, line in enumerate(spec.lines, start=1):
        _line(root, spec.kind, index, line, amount)
    return root


def _tax_total(root: etree._Element, spec: Spec, amount: dict) -> Decimal:
    """The TaxTotal with one group per (category, rate); returns the VAT total."""
    groups = _breakdown(spec)
    total = _el(root, "cac:TaxTotal")
    taxes = {key: cents(taxable * Decimal(key[1]) / 100) if key[1] else Decimal("0.00")
             for key, taxable in groups.items()}
    vat_sum = sum(taxes.values(), Decimal(0))
    _el(total, "cbc:TaxAmount", f"{vat_sum:.2f}", **amount)
    for (code, rate), taxable in groups.items():
        sub = _el(total, "cac:TaxSubtotal")
        _el(sub, "cbc:TaxableAmount", f"{taxable:.2f}", **amount)
        _el(sub, "cbc:TaxAmount", f"{taxes[(code, rate)]:.2f}", **amount)
        _category(sub, "cac:TaxCategory", code, rate, exemption=True)
    return vat_sum


def _totals(root: etree._Element, spec: Spec, vat_sum: Decimal, amount: dict) -> None:
    net = sum((_net(line) for line in spec.lines), Decimal(0))
    charges = sum((Decimal(a.amount) for a in spec.allowances if a.charge), Decimal(0))
    allowances = sum((Decimal(a.amount) for a in spec.allowances if not a.charge), Decimal(0))
    without = net + charges - allowances
    totals = _el(root, "cac:LegalMonetaryTotal")
    _el(totals, "cbc:LineExtensionAmount", f"{net:.2f}", **amount)
    _el(totals, "cbc:TaxExclusiveAmount", f"{without:.2f}", **amount)
    _el(totals, "cbc:TaxInclusiveAmount", f"{without + vat_sum:.2f}", **amount)
    if any(not a.charge for a in spec.allowances):
        _el(totals, "cbc:AllowanceTotalAmount", f"{allowances:.2f}", **amount)
    if any(a.charge for a in spec.allowances):
        _el(totals, "cbc:ChargeTotalAmount", f"{charges:.2f}", **amount)
    _el(totals, "cbc:PayableAmount", f"{without + vat_sum:.2f}", **amount)


def _line(root: etree._Element, kind: str, index: int, line: Line, amount: dict) -> None:
    node = _el(root, "cac:InvoiceLine" if kind == "Invoice" else "cac:CreditNoteLine")
    _el(node, "cbc:ID", str(index))
    _el(node, "cbc:InvoicedQuantity" if kind == "Invoice" else "cbc:CreditedQuantity", line.quantity,
        unitCode=line.unit)
    _el(node, "cbc:LineExtensionAmount", f"{_net(line):.2f}" if line.net is None else line.net, **amount)
    item = _el(node, "cac:Item")
    _el(item, "cbc:Name", f"Prece {index}")
    _category(item, "cac:ClassifiedTaxCategory", line.category, line.rate)
    _el(_el(node, "cac:Price"), "cbc:PriceAmount", line.price, **amount)


def invoice(edit: Callable[[etree._Element], None] | None = None, **options) -> bytes:
    """A valid document from `Spec(**options)`, changed by `edit(root)` if given."""
    root = build(Spec(**options))
    if edit is not None:
        edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def find(root: etree._Element, xpath: str) -> etree._Element:
    node = root.find(xpath, NS)
    assert node is not None, xpath
    return node


def set_text(xpath: str, value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        find(root, xpath).text = value
    return edit


def remove(xpath: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        node = find(root, xpath)
        node.getparent().remove(node)
    return edit


def add_after(xpath: str, tag: str, text: str | None = None, **attributes: str) -> Callable[[etree._Element], None]:
    """Insert a new element right after the one at `xpath` (keeps the schema's order)."""
    def edit(root: etree._Element) -> None:
        anchor = find(root, xpath)
        prefix, name = tag.split(":")
        element = etree.Element(f"{{{NS[prefix]}}}{name}", attributes)
        element.text = text
        anchor.addnext(element)
    return edit


def edits(*changes: Callable[[etree._Element], None]) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        for change in changes:
            change(root)
    return edit
