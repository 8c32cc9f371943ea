"""The `en16931` reader: a UBL 2.1 Invoice or CreditNote following PEPPOL BIS Billing 3.0
(EN 16931). Parsed safely (see `xmlsafe`), checked against the rules of `en16931_rules`,
summarised into the values a service shows and checks (supplier, buyer, number, dates,
totals, VAT breakdown)."""
from __future__ import annotations

import decimal
import re

from . import DocumentProblem, Reader, Reading, register
from . import en16931_codes, en16931_details, en16931_parts, en16931_vat, peppol_details, peppol_rules, ubl_schema, \
    ubl_syntax, xmlsafe
from . import en16931_rules as R
from .ubl import UblDocument, document_kind
from .vat_facts import read_facts
from ..expressions import types as T
from ..model import Text

VAT_CATEGORY = T.ObjectType({"category": T.STRING, "rate": T.NUMBER, "taxable_amount": T.NUMBER,
                             "tax_amount": T.NUMBER}, "vat_category")
SUMMARY_TYPE = T.ObjectType({
    "document_type": T.STRING, "invoice_number": T.STRING, "type_code": T.STRING,
    "issue_date": T.DATE, "due_date": T.DATE, "currency": T.STRING,
    "buyer_reference": T.STRING, "order_reference": T.STRING,
    "supplier_name": T.STRING, "supplier_registration_number": T.STRING, "supplier_vat_number": T.STRING,
    "buyer_name": T.STRING, "buyer_registration_number": T.STRING, "buyer_vat_number": T.STRING,
    "line_total": T.NUMBER, "allowance_total": T.NUMBER, "charge_total": T.NUMBER,
    "total_without_vat": T.NUMBER, "vat_total": T.NUMBER, "total_with_vat": T.NUMBER,
    "prepaid_amount": T.NUMBER, "rounding_amount": T.NUMBER, "payable_amount": T.NUMBER,
    "vat_breakdown": T.ListType(VAT_CATEGORY), "line_count": T.INT,
}, "en16931")

RULES = {
    **xmlsafe.RULES,
    **ubl_schema.RULES,
    "PKIP-UBL-01": "the document is not a UBL 2.1 Invoice or CreditNote",
    "PKIP-UBL-02": "a value is present but is not a number (xs:decimal)",
    "PKIP-UBL-03": "a number has more digits than an amount can have (20 before and 20 after the point)",
    "PEPPOL-EN16931-F001": "A date MUST be formatted YYYY-MM-DD",
    "PEPPOL-EN16931-R001": "Business process (ProfileID) MUST be provided",
    "PEPPOL-EN16931-R003": "A buyer reference or purchase order reference MUST be provided",
    "PEPPOL-EN16931-R004": "Specification identifier MUST have the PEPPOL BIS Billing 3.0 value",
    "PEPPOL-EN16931-R007": "Business process MUST be in the format urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0",
    **{rule: f"An Invoice shall have the {en}" for rule, (_, _lv, en) in R.MANDATORY.items()},
    "BR-16": "An Invoice shall have at least one Invoice line",
    **{rule: f"Each Invoice line shall have {en}" for rule, (_, _lv, en) in R.LINE_MANDATORY.items()},
    "BR-CO-10": "Sum of Invoice line net amount = Σ Invoice line net amount",
    "BR-CO-13": "Invoice total amount without VAT = Σ line net amounts - allowances + charges",
    "BR-CO-14": "Invoice total VAT amount = Σ VAT category tax amount",
    "BR-CO-15": "Invoice total amount with VAT = Invoice total amount without VAT + Invoice total VAT amount",
    "BR-CO-16": "Amount due for payment = total with VAT - Paid amount + Rounding amount",
    "BR-CO-17": "VAT category tax amount = VAT category taxable amount x (rate / 100), rounded to two decimals",
    "BR-CO-18": "An Invoice shall at least have one VAT breakdown group",
    "BR-CO-25": "A positive Amount due for payment needs a Payment due date or Payment terms",
    **en16931_parts.RULES,
    **en16931_details.DESCRIPTIONS,
    **peppol_details.RULES,
    **ubl_syntax.RULES,
    **en16931_vat.rule_descriptions(),
    **en16931_codes.rule_descriptions(),
    **peppol_rules.RULES,
}
# exact arithmetic for any number `UblDocument.amount` lets through (at most 20 + 20 digits)
ARITHMETIC = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_EVEN,
                             traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])

LV_REGISTRATION = re.compile(r"^[0-9]{11}$")


def read(data: bytes, max_bytes: int = xmlsafe.DEFAULT_MAX_BYTES) -> Reading:
    try:
        root = xmlsafe.parse(data, max_bytes)
    except xmlsafe.Refused as refused:
        return Reading(None, (refused.problem,))
    kind = document_kind(root)
    if kind is None:
        return Reading(None, (DocumentProblem("PKIP-UBL-01", Text({
            "lv": "Datne nav UBL 2.1 rēķins (Invoice) vai kredītrēķins (CreditNote).",
            "en": "The file is not a UBL 2.1 Invoice or CreditNote."}), "/"),))
    with decimal.localcontext(ARITHMETIC):
        doc = UblDocument(root, kind)
        doc.problems.extend(ubl_schema.check_schema(root, kind))
        summary = _check(doc)
    return Reading(summary, tuple(doc.problems))


def _check(doc: UblDocument) -> dict:
    """Every rule, in the order a reader of the report expects: the document, its parts,
    its amounts, its VAT, then the Peppol rules."""
    R.check_profile(doc)
    R.check_mandatory(doc)
    summary = _summary(doc)
    lines = [doc.amount("cbc:LineExtensionAmount", line, f"{doc.path(doc.line_tag)}[{i}]/cbc:LineExtensionAmount")
             for i, line in enumerate(doc.nodes(doc.line_tag), start=1)]
    R.check_totals(doc, summary, lines, summary["vat_breakdown"])
    R.check_payment_terms(doc, summary["payable_amount"])
    en16931_parts.check_parts(doc)
    ubl_syntax.check_syntax(doc)
    en16931_details.check_details(doc)
    en16931_codes.check_codes(doc)
    en16931_codes.check_decimals(doc)
    en16931_vat.check_vat(doc, read_facts(doc))
    peppol_rules.check_peppol(doc)
    peppol_details.check_peppol_details(doc)
    return summary


def _summary(doc: UblDocument) -> dict:
    due = "cbc:DueDate" if doc.kind == "Invoice" else "cac:PaymentMeans/cbc:PaymentDueDate"
    summary = {
        "document_type": "invoice" if doc.kind == "Invoice" else "credit_note",
        "invoice_number": doc.text("cbc:ID"), "type_code": doc.text(doc.type_code_tag),
        "issue_date": doc.date("cbc:IssueDate"), "due_date": doc.date(due),
        "currency": doc.text("cbc:DocumentCurrencyCode"),
        "buyer_reference": doc.text("cbc:BuyerReference"), "order_reference": doc.text("cac:OrderReference/cbc:ID"),
        **_party(doc, R.SELLER, "supplier"), **_party(doc, R.BUYER, "buyer"),
        **_totals(doc),
        "vat_total": _vat_total(doc), "vat_breakdown": _breakdown(doc),
        "line_count": len(doc.nodes(doc.line_tag)),
    }
    return summary


def _totals(doc: UblDocument) -> dict:
    names = {"line_total": "LineExtensionAmount", "allowance_total": "AllowanceTotalAmount",
             "charge_total": "ChargeTotalAmount", "total_without_vat": "TaxExclusiveAmount",
             "total_with_vat": "TaxInclusiveAmount", "prepaid_amount": "PrepaidAmount",
             "rounding_amount": "PayableRoundingAmount", "payable_amount": "PayableAmount"}
    return {key: doc.amount(f"{R.TOTALS}/cbc:{tag}") for key, tag in names.items()}


def _party(doc: UblDocument, party: str, role: str) -> dict:
    """Name, Latvian registration number and VAT number of the seller or buyer. The
    registration number comes from the Peppol endpoint (scheme 0218), the legal entity's
    company id, a party identification with scheme 0218, or the VAT number LV + 11 digits."""
    vat = _compact(doc.text(f"{party}/cac:PartyTaxScheme/cbc:CompanyID"))
    candidates = [_scheme(doc, f"{party}/cbc:EndpointID", "0218"),
                  _compact(doc.text(f"{party}/cac:PartyLegalEntity/cbc:CompanyID")),
                  *(_compact(n.text) for n in doc.nodes(f"{party}/cac:PartyIdentification/cbc:ID")
                    if n.get("schemeID") == "0218"),
                  _scheme(doc, f"{party}/cbc:EndpointID", "9939"), vat]
    registration = next((_registration(c) for c in candidates if _registration(c)), None)
    name = doc.text(f"{party}/cac:PartyLegalEntity/cbc:RegistrationName") or doc.text(f"{party}/cac:PartyName/cbc:Name")
    return {f"{role}_name": name, f"{role}_registration_number": registration, f"{role}_vat_number": vat}


def _scheme(doc: UblDocument, xpath: str, scheme: str) -> str | None:
    node = doc.node(xpath)
    return _compact(node.text) if node is not None and node.get("schemeID") == scheme else None


def _compact(value: str | None) -> str | None:
    return re.sub(r"[\s-]", "", value).upper() or None if value else None


def _registration(value: str | None) -> str | None:
    if value is None:
        return None
    digits = value[2:] if value.startswith("LV") else value
    return digits if LV_REGISTRATION.match(digits) else None


def _vat_total(doc: UblDocument):
    """The invoice total VAT in the document currency: the TaxTotal that carries the breakdown."""
    currency = doc.text("cbc:DocumentCurrencyCode")
    totals = doc.nodes("cac:TaxTotal")
    chosen = next((t for t in totals if doc.node("cac:TaxSubtotal", t) is not None), None)
    chosen = chosen if chosen is not None else next(
        (t for t in totals if (doc.node("cbc:TaxAmount", t) is not None
                               and doc.node("cbc:TaxAmount", t).get("currencyID") in (None, currency))), None)
    return doc.amount("cbc:TaxAmount", chosen, doc.path("cac:TaxTotal/cbc:TaxAmount")) if chosen is not None else None


def _breakdown(doc: UblDocument) -> list[dict]:
    rows = []
    for index, sub in enumerate(doc.nodes("cac:TaxTotal/cac:TaxSubtotal"), start=1):
        where = doc.path(f"cac:TaxTotal/cac:TaxSubtotal[{index}]")
        rows.append({"category": doc.text("cac:TaxCategory/cbc:ID", sub),
                     "rate": doc.amount("cac:TaxCategory/cbc:Percent", sub, f"{where}/cac:TaxCategory/cbc:Percent"),
                     "taxable_amount": doc.amount("cbc:TaxableAmount", sub, f"{where}/cbc:TaxableAmount"),
                     "tax_amount": doc.amount("cbc:TaxAmount", sub, f"{where}/cbc:TaxAmount")})
    return rows


READER = register(Reader(
    kind="en16931",
    title=Text({"lv": "E-rēķins (UBL 2.1, PEPPOL BIS Billing 3.0, EN 16931)",
                "en": "E-invoice (UBL 2.1, PEPPOL BIS Billing 3.0, EN 16931)"}),
    summary_type=SUMMARY_TYPE, rules=RULES, read=read,
    media_types=("application/xml", "text/xml"),
))
