"""EN 16931 rules on the parts of an invoice that may repeat: each document-level allowance
and charge (BR-31..BR-33, BR-36..BR-38) and their totals (BR-CO-11, BR-CO-12), each line's
unit of measure (BR-23) and allowances and charges (BR-41..BR-44), each VAT breakdown group
(BR-45..BR-48). Conditions as in CEN's UBL schematron of PEPPOL BIS Billing 3.0.19."""
from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .ubl import UblDocument
from .vat_facts import cents, charge_indicator

# (rule for an allowance, rule for a charge): what each needs, in Latvian and English
DOCUMENT_LEVEL = (
    (("BR-31", "BR-36"), "amount", "summa (BT-92 / BT-99)", "an amount (BT-92 / BT-99)"),
    (("BR-32", "BR-37"), "category", "PVN kategorijas kods (BT-95 / BT-102)", "a VAT category code (BT-95 / BT-102)"),
    (("BR-33", "BR-38"), "reason", "iemesls vai tā kods (BT-97, BT-98 / BT-104, BT-105)",
     "a reason or reason code (BT-97, BT-98 / BT-104, BT-105)"),
    # EN 16931 states the reason rule twice, once among the calculation rules
    (("BR-CO-21", "BR-CO-22"), "reason", "iemesls vai tā kods (BT-97, BT-98 / BT-104, BT-105)",
     "a reason or reason code (BT-97, BT-98 / BT-104, BT-105)"),
)
LINE_LEVEL = (
    (("BR-41", "BR-43"), "amount", "summa (BT-136 / BT-141)", "an amount (BT-136 / BT-141)"),
    (("BR-42", "BR-44"), "reason", "iemesls vai tā kods (BT-139, BT-140 / BT-144, BT-145)",
     "a reason or reason code (BT-139, BT-140 / BT-144, BT-145)"),
    (("BR-CO-23", "BR-CO-24"), "reason", "iemesls vai tā kods (BT-139, BT-140 / BT-144, BT-145)",
     "a reason or reason code (BT-139, BT-140 / BT-144, BT-145)"),
)
BREAKDOWN = (
    ("BR-45", lambda doc, sub: doc.node("cbc:TaxableAmount", sub) is not None,
     "ar nodokli apliekamā summa (BT-116)", "a VAT category taxable amount (BT-116)"),
    ("BR-46", lambda doc, sub: doc.node("cbc:TaxAmount", sub) is not None,
     "nodokļa summa (BT-117)", "a VAT category tax amount (BT-117)"),
    ("BR-47", lambda doc, sub: _vat_category(doc, sub) is not None and doc.node("cbc:ID", _vat_category(doc, sub))
     is not None, "PVN kategorijas kods (BT-118)", "a VAT category code (BT-118)"),
    ("BR-48", lambda doc, sub: _vat_category(doc, sub) is not None and (
        doc.node("cbc:Percent", _vat_category(doc, sub)) is not None or doc.text("cbc:ID", _vat_category(doc, sub)) == "O"),
     "PVN likme (BT-119), ja vien kategorija nav O", "a VAT category rate (BT-119), unless the category is O"),
)
RULES = {
    "BR-23": "An Invoice line shall have an Invoiced quantity unit of measure code (BT-130)",
    "BR-CO-11": "Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92)",
    "BR-CO-12": "Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99)",
    **{rules[0]: f"Each Document level allowance shall have {en}" for rules, _k, _lv, en in DOCUMENT_LEVEL},
    **{rules[1]: f"Each Document level charge shall have {en}" for rules, _k, _lv, en in DOCUMENT_LEVEL},
    **{rules[0]: f"Each Invoice line allowance shall have {en}" for rules, _k, _lv, en in LINE_LEVEL},
    **{rules[1]: f"Each Invoice line charge shall have {en}" for rules, _k, _lv, en in LINE_LEVEL},
    **{rule: f"Each VAT breakdown shall have {en}" for rule, _c, _lv, en in BREAKDOWN},
}


def _vat_category(doc: UblDocument, node: etree._Element) -> etree._Element | None:
    return next((c for c in doc.nodes("cac:TaxCategory", node)
                 if (doc.text("cac:TaxScheme/cbc:ID", c) or "").upper() == "VAT"), None)


def _has(doc: UblDocument, node: etree._Element, what: str) -> bool:
    if what == "amount":
        return doc.node("cbc:Amount", node) is not None
    if what == "category":
        category = _vat_category(doc, node)
        return category is not None and doc.node("cbc:ID", category) is not None
    return doc.node("cbc:AllowanceChargeReason", node) is not None or \
        doc.node("cbc:AllowanceChargeReasonCode", node) is not None


def check_parts(doc: UblDocument) -> None:
    sums: dict[bool, list] = {True: [], False: []}
    for node in doc.nodes("cac:AllowanceCharge"):
        charge = charge_indicator(doc, node)
        if charge is None:
            continue
        _each(doc, node, charge, DOCUMENT_LEVEL, "dokumenta līmeņa", "Document level")
        sums[charge].append(doc.amount("cbc:Amount", node, doc.where(node) + "/cbc:Amount"))
    _total(doc, "BR-CO-11", "AllowanceTotalAmount", sums[False], "atlaižu", "allowances", "BT-107", "BT-92")
    _total(doc, "BR-CO-12", "ChargeTotalAmount", sums[True], "uzcenojumu", "charges", "BT-108", "BT-99")
    for index, line in enumerate(doc.nodes(doc.line_tag), start=1):
        quantity = doc.node(doc.quantity_tag, line)
        if quantity is not None and quantity.get("unitCode") is None:
            doc.problems.append(doc.problem("BR-23", f"Rēķina {index}. rindas daudzumam jānorāda mērvienības kods "
                                            "(BT-130, atribūts unitCode, piemēram, H87 vai C62).",
                                            f"Invoice line {index}: the quantity needs its unit of measure code (BT-130, "
                                            "the unitCode attribute, e.g. H87 or C62).", doc.where(quantity)))
        for node in doc.nodes("cac:AllowanceCharge", line):
            charge = charge_indicator(doc, node)
            if charge is not None:
                _each(doc, node, charge, LINE_LEVEL, f"{index}. rindas", f"Invoice line {index}")
    for sub in doc.nodes("cac:TaxTotal/cac:TaxSubtotal"):
        for rule, holds, lv, en in BREAKDOWN:
            if not holds(doc, sub):
                doc.problems.append(doc.problem(rule, f"PVN sadalījuma grupai jānorāda {lv}.",
                                                f"The VAT breakdown group needs {en}.", doc.where(sub)))


def _each(doc: UblDocument, node: etree._Element, charge: bool, table: tuple, lv_level: str, en_level: str) -> None:
    kind_lv, kind_en = ("uzcenojumam", "charge") if charge else ("atlaidei", "allowance")
    for rules, what, lv, en in table:
        if not _has(doc, node, what):
            doc.problems.append(doc.problem(rules[charge], f"{lv_level[0].upper()}{lv_level[1:]} {kind_lv} jānorāda "
                                            f"{lv}.", f"{en_level} {kind_en} needs {en}.", doc.where(node)))


def _total(doc: UblDocument, rule: str, tag: str, amounts: list, lv: str, en: str, term: str, each: str) -> None:
    stated_node = doc.node(f"cac:LegalMonetaryTotal/cbc:{tag}")
    if None in amounts or (stated_node is None and not amounts):
        return
    stated = doc.amount(f"cac:LegalMonetaryTotal/cbc:{tag}")
    if stated_node is not None and stated is None:
        return
    expected = cents(sum(amounts, Decimal(0)))
    if stated is None or stated != expected:
        doc.report(rule, f"Dokumenta līmeņa {lv} kopsumma ({term}) jānorāda un jābūt Σ {each} = {expected}, nevis "
                   f"{stated if stated is not None else '—'}.", f"The sum of {en} on document level ({term}) must be "
                   f"given and be Σ {each} = {expected}, not {stated if stated is not None else '—'}.",
                   f"cac:LegalMonetaryTotal/cbc:{tag}")
