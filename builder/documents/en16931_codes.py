"""Code lists and decimals: EN 16931's BR-CL rules, BR-CO-09 (VAT identifier prefixes),
BR-DEC (at most two decimals in amounts) and the PEPPOL restrictions of the same lists
(PEPPOL-EN16931-CL001..CL008, P0100, P0101). The lists are data in `codelists.json`,
taken from the official schematrons by `scripts/codelists-from-schematron`."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .ubl import CBC, NS, UblDocument


@lru_cache(maxsize=1)
def code_lists() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).with_name("codelists.json")).read_text(encoding="utf-8"))
    return {name: frozenset(values) for name, values in data["lists"].items()}


@dataclass(frozen=True)
class CodeRule:
    rule_id: str
    xpath: str                  # from the root, `.//` for anywhere
    attribute: str | None       # the coded value is this attribute, else the element's text
    lv: str                     # what the code is, in Latvian
    en: str
    upper: bool = False         # compare in upper case (BR-CL-22 does)


AMOUNT_TAGS = ("Amount", "BaseAmount", "PriceAmount", "TaxAmount", "TaxableAmount", "LineExtensionAmount",
               "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount",
               "PrepaidAmount", "PayableRoundingAmount", "PayableAmount")
ICD = "ISO 6523 ICD"
CODE_RULES = (
    CodeRule("BR-CL-04", "cbc:DocumentCurrencyCode", None, "rēķina valūtas kods (BT-5, ISO 4217)",
             "Invoice currency code (BT-5, ISO 4217)"),
    CodeRule("BR-CL-05", "cbc:TaxCurrencyCode", None, "PVN uzskaites valūtas kods (BT-6, ISO 4217)",
             "VAT accounting currency code (BT-6, ISO 4217)"),
    CodeRule("BR-CL-06", ".//cac:InvoicePeriod/cbc:DescriptionCode", None, "PVN datuma kods (BT-8, UNTDID 2005)",
             "Value added tax point date code (BT-8, UNTDID 2005)"),
    CodeRule("BR-CL-07", ".//cac:AdditionalDocumentReference[cbc:DocumentTypeCode='130']/cbc:ID[@schemeID]",
             "schemeID", "rēķinātā objekta identifikatora shēma (BT-18, UNTDID 1153)",
             "invoiced object identifier scheme (BT-18, UNTDID 1153)"),
    CodeRule("BR-CL-07", ".//cac:DocumentReference[cbc:DocumentTypeCode='130']/cbc:ID[@schemeID]",
             "schemeID", "rindas objekta identifikatora shēma (BT-128, UNTDID 1153)",
             "invoice line object identifier scheme (BT-128, UNTDID 1153)"),
    CodeRule("BR-CL-10", ".//cac:PartyIdentification/cbc:ID[@schemeID]", "schemeID",
             f"identifikatora shēma ({ICD})", f"identifier scheme ({ICD})"),
    CodeRule("BR-CL-11", ".//cac:PartyLegalEntity/cbc:CompanyID[@schemeID]", "schemeID",
             f"reģistrācijas numura shēma (BT-30, BT-47, {ICD})", f"legal registration identifier scheme (BT-30, "
             f"BT-47, {ICD})"),
    CodeRule("BR-CL-13", ".//cac:CommodityClassification/cbc:ItemClassificationCode[@listID]", "listID",
             "preces klasifikācijas shēma (BT-158, UNTDID 7143)", "item classification scheme (BT-158, UNTDID 7143)"),
    CodeRule("BR-CL-14", ".//cac:Country/cbc:IdentificationCode", None, "valsts kods (ISO 3166-1 alpha-2)",
             "country code (ISO 3166-1 alpha-2)"),
    CodeRule("BR-CL-15", ".//cac:OriginCountry/cbc:IdentificationCode", None, "izcelsmes valsts kods (BT-159)",
             "item country of origin (BT-159)"),
    CodeRule("BR-CL-16", ".//cac:PaymentMeans/cbc:PaymentMeansCode", None, "maksājuma veida kods (BT-81, UNCL 4461)",
             "payment means type code (BT-81, UNCL 4461)"),
    CodeRule("BR-CL-17", ".//cac:TaxCategory/cbc:ID", None, "PVN kategorijas kods (BT-95, BT-102, BT-118, UNCL 5305)",
             "VAT category code (BT-95, BT-102, BT-118, UNCL 5305)"),
    CodeRule("BR-CL-18", ".//cac:ClassifiedTaxCategory/cbc:ID", None, "rindas PVN kategorijas kods (BT-151, UNCL 5305)",
             "Invoiced item VAT category code (BT-151, UNCL 5305)"),
    CodeRule("BR-CL-21", ".//cac:StandardItemIdentification/cbc:ID[@schemeID]", "schemeID",
             f"preces standarta identifikatora shēma (BT-157, {ICD})", f"item standard identifier scheme (BT-157, {ICD})"),
    CodeRule("BR-CL-22", ".//cbc:TaxExemptionReasonCode", None, "PVN atbrīvojuma iemesla kods (BT-121, VATEX)",
             "VAT exemption reason code (BT-121, VATEX)", upper=True),
    CodeRule("BR-CL-23", ".//cbc:InvoicedQuantity[@unitCode]", "unitCode", "mērvienības kods (BT-130, UN/ECE Rec 20/21)",
             "unit of measure code (BT-130, UN/ECE Rec 20/21)"),
    CodeRule("BR-CL-23", ".//cbc:CreditedQuantity[@unitCode]", "unitCode", "mērvienības kods (BT-130, UN/ECE Rec 20/21)",
             "unit of measure code (BT-130, UN/ECE Rec 20/21)"),
    CodeRule("BR-CL-23", ".//cbc:BaseQuantity[@unitCode]", "unitCode", "cenas bāzes mērvienības kods (BT-150)",
             "item price base quantity unit code (BT-150)"),
    CodeRule("BR-CL-24", ".//cbc:EmbeddedDocumentBinaryObject[@mimeCode]", "mimeCode", "pielikuma MIME tips (BT-125)",
             "attached document MIME code (BT-125)"),
    CodeRule("BR-CL-25", ".//cbc:EndpointID[@schemeID]", "schemeID", "elektroniskās adreses shēma (BT-34, BT-49, EAS)",
             "electronic address scheme (BT-34, BT-49, EAS)"),
    CodeRule("BR-CL-26", ".//cac:DeliveryLocation/cbc:ID[@schemeID]", "schemeID",
             f"piegādes vietas identifikatora shēma (BT-71, {ICD})", f"deliver to location identifier scheme (BT-71, {ICD})"),
    CodeRule("PEPPOL-EN16931-CL001", ".//cbc:EmbeddedDocumentBinaryObject[@mimeCode]", "mimeCode",
             "pielikuma MIME tips (Peppol: PDF, PNG, JPEG, CSV, XLSX, ODS)", "attached document MIME code (Peppol: PDF, "
             "PNG, JPEG, CSV, XLSX, ODS)"),
    CodeRule("PEPPOL-EN16931-CL006", ".//cac:InvoicePeriod/cbc:DescriptionCode", None, "PVN datuma kods (BT-8)",
             "Value added tax point date code (BT-8)"),
    CodeRule("PEPPOL-EN16931-CL008", ".//cbc:EndpointID[@schemeID]", "schemeID",
             "elektroniskās adreses shēma (Peppol EAS saraksts)", "electronic address scheme (the Peppol EAS list)"),
)
# element-level rules whose list depends on the element (document type, charge or allowance)
ALLOWANCE_REASONS = (("BR-CL-19", False), ("BR-CL-20", True), ("PEPPOL-EN16931-CL002", False),
                     ("PEPPOL-EN16931-CL003", True))
# BR-DEC: at most two decimals in these amounts (the element tags, anywhere they are amounts)
DECIMAL_RULES = {
    "cac:AllowanceCharge/cbc:Amount": ("BR-DEC-01", "BR-DEC-05", "BT-92", "BT-99"),
    "cac:AllowanceCharge/cbc:BaseAmount": ("BR-DEC-02", "BR-DEC-06", "BT-93", "BT-100"),
}
TOTAL_DECIMALS = {"LineExtensionAmount": ("BR-DEC-09", "BT-106"), "AllowanceTotalAmount": ("BR-DEC-10", "BT-107"),
                  "ChargeTotalAmount": ("BR-DEC-11", "BT-108"), "TaxExclusiveAmount": ("BR-DEC-12", "BT-109"),
                  "TaxInclusiveAmount": ("BR-DEC-14", "BT-112"), "PrepaidAmount": ("BR-DEC-16", "BT-113"),
                  "PayableRoundingAmount": ("BR-DEC-17", "BT-114"), "PayableAmount": ("BR-DEC-18", "BT-115")}


def rule_descriptions() -> dict[str, str]:
    texts = {rule.rule_id: f"{rule.en[0].upper()}{rule.en[1:]} must be from its code list" for rule in CODE_RULES}
    texts |= {"BR-CL-01": "The document type code (BT-3) must be from UNTDID 1001",
              "BR-CL-08": "A note subject code (#CODE# at the start of BT-22) must be from UNCL 4451",
              "BR-CL-03": "currencyID must be from ISO 4217 alpha-3",
              "BR-CL-19": "Coded allowance reasons must be from UNCL 5189",
              "BR-CL-20": "Coded charge reasons must be from UNCL 7161",
              "PEPPOL-EN16931-CL002": "Allowance reason code from the Peppol subset of UNCL 5189",
              "PEPPOL-EN16931-CL003": "Charge reason code from UNCL 7161",
              "PEPPOL-EN16931-CL007": "currencyID must be from ISO 4217 (Peppol list)",
              "PEPPOL-EN16931-P0100": "Invoice type code allowed in the billing profile",
              "PEPPOL-EN16931-P0101": "Credit note type code allowed in the billing profile",
              "BR-CO-09": "VAT identifiers (BT-31, BT-48, BT-63) start with an ISO 3166-1 country code (or EL)"}
    for allowance, charge, bt_a, bt_c in DECIMAL_RULES.values():
        texts[allowance], texts[charge] = (f"At most 2 decimals in {bt_a}", f"At most 2 decimals in {bt_c}")
    texts |= {rule: f"At most 2 decimals in {bt}" for rule, bt in TOTAL_DECIMALS.values()}
    texts |= {"BR-DEC-13": "At most 2 decimals in BT-110", "BR-DEC-15": "At most 2 decimals in BT-111",
              "BR-DEC-19": "At most 2 decimals in BT-116", "BR-DEC-20": "At most 2 decimals in BT-117",
              "BR-DEC-23": "At most 2 decimals in BT-131", "BR-DEC-24": "At most 2 decimals in BT-136",
              "BR-DEC-25": "At most 2 decimals in BT-137", "BR-DEC-27": "At most 2 decimals in BT-141",
              "BR-DEC-28": "At most 2 decimals in BT-142"}
    return texts


def check_codes(doc: UblDocument) -> None:
    lists = code_lists()
    for rule in CODE_RULES:
        for node in doc.root.iterfind(rule.xpath, NS):
            raw = node.get(rule.attribute) if rule.attribute else node.text
            if rule.rule_id == "BR-CL-10" and raw == "SEPA" and _sepa_party(node):
                continue
            _member(doc, rule.rule_id, lists[rule.rule_id], node, raw, rule.lv, rule.en, rule.upper)
    _type_code(doc, lists)
    _reasons(doc, lists)
    _currencies(doc, lists)
    _vat_prefixes(doc, lists)
    _note_subjects(doc, lists)


def _sepa_party(node: etree._Element) -> bool:
    """BR-CL-10 also allows a SEPA creditor identifier of the seller or the payee."""
    return any(etree.QName(a).localname in ("AccountingSupplierParty", "PayeeParty") for a in node.iterancestors())


def _member(doc: UblDocument, rule_id: str, allowed: frozenset[str], node: etree._Element, raw: str | None,
            lv: str, en: str, upper: bool = False) -> None:
    value = " ".join((raw or "").split())
    if (value.upper() if upper else value) in allowed:
        return
    where = doc.where(node)
    doc.problems.append(doc.problem(rule_id, f"„{value[:40]}” nav derīgs {lv}; izvēlieties kodu no saraksta.",
                                 f"\"{value[:40]}\" is not a valid {en}; use a code from the list.", where))


def _type_code(doc: UblDocument, lists: dict) -> None:
    node = doc.node(doc.type_code_tag)
    if node is None:
        return
    _member(doc, "BR-CL-01", lists[f"BR-CL-01-{doc.kind}"], node, node.text,
            "dokumenta veida kods (BT-3, UNTDID 1001)", "document type code (BT-3, UNTDID 1001)")
    profile = doc.text("cbc:ProfileID") or ""
    if profile.split(":")[-2:-1] == ["01"]:      # urn:fdc:peppol.eu:2017:poacc:billing:01:1.0
        rule = "PEPPOL-EN16931-P0100" if doc.kind == "Invoice" else "PEPPOL-EN16931-P0101"
        _member(doc, rule, lists[rule], node, node.text, "dokumenta veida kods Peppol rēķinu procesā (BT-3)",
                "document type code for the Peppol billing process (BT-3)")


def _reasons(doc: UblDocument, lists: dict) -> None:
    for charge_node in doc.root.iterfind(".//cac:AllowanceCharge", NS):
        indicator = (charge_node.findtext(f"{{{CBC}}}ChargeIndicator") or "").strip()
        code = charge_node.find(f"{{{CBC}}}AllowanceChargeReasonCode")
        if code is None or indicator not in ("true", "false", "1", "0"):
            continue
        charge = indicator in ("true", "1")
        for rule_id, for_charge in ALLOWANCE_REASONS:
            if for_charge == charge:
                _member(doc, rule_id, lists[rule_id], code, code.text,
                        "uzcenojuma iemesla kods (BT-105)" if charge else "atlaides iemesla kods (BT-98)",
                        "charge reason code (BT-105)" if charge else "allowance reason code (BT-98)")


def _currencies(doc: UblDocument, lists: dict) -> None:
    for node in doc.root.iter(*(f"{{{CBC}}}{tag}" for tag in AMOUNT_TAGS)):
        for rule_id in ("BR-CL-03", "PEPPOL-EN16931-CL007"):
            _member(doc, rule_id, lists[rule_id], node, node.get("currencyID"), "valūtas kods currencyID (ISO 4217)",
                    "currencyID (ISO 4217)")


def _note_subjects(doc: UblDocument, lists: dict) -> None:
    """BR-CL-08: a note written "#AAI#text" names its subject by a UNCL 4451 code."""
    for note in doc.nodes("cbc:Note"):
        _before, hash_sign, after = (note.text or "").partition("#")
        code, closing, _rest = after.partition("#")
        if hash_sign and closing and len(code) == 3 and code not in lists["BR-CL-08"]:
            doc.problems.append(doc.problem(
                "BR-CL-08", f"Piezīmes tēmas kods „#{code}#” nav UNCL 4451 sarakstā (piemēram, #AAI# vispārīga "
                "informācija); labojiet vai izņemiet to.", f"The note subject code \"#{code}#\" is not in UNCL 4451 "
                "(e.g. #AAI# general information); correct or remove it.", doc.where(note)))


def _vat_prefixes(doc: UblDocument, lists: dict) -> None:
    for scheme in doc.root.iterfind(".//cac:PartyTaxScheme", NS):
        if (doc.text("cac:TaxScheme/cbc:ID", scheme) or "").upper() != "VAT":
            continue
        company = scheme.find(f"{{{CBC}}}CompanyID")
        prefix = (company.text or "")[:2] if company is not None else ""
        if prefix not in lists["BR-CO-09"]:
            doc.problems.append(doc.problem(
                "BR-CO-09", f"PVN numuram jāsākas ar valsts kodu (ISO 3166-1, piemēram, LV40003000002), nevis „{prefix}”.",
                f"A VAT identifier must start with its country code (ISO 3166-1, e.g. LV40003000002), not \"{prefix}\".",
                doc.where(scheme)))


def check_decimals(doc: UblDocument) -> None:
    """BR-DEC: amounts with more than two decimals (xs:decimal text after the point)."""
    totals = doc.node("cac:LegalMonetaryTotal")
    for tag, (rule, bt) in TOTAL_DECIMALS.items():
        _two(doc, rule, bt, doc.node(f"cbc:{tag}", totals) if totals is not None else None)
    for path, (allowance, charge, bt_a, bt_c) in DECIMAL_RULES.items():
        for node in doc.nodes(path):
            is_charge = (node.getparent().findtext(f"{{{CBC}}}ChargeIndicator") or "").strip() in ("true", "1")
            _two(doc, charge if is_charge else allowance, bt_c if is_charge else bt_a, node)
    currency = doc.text("cbc:DocumentCurrencyCode")
    for total in doc.nodes("cac:TaxTotal/cbc:TaxAmount"):
        accounting = total.get("currencyID") != currency
        _two(doc, "BR-DEC-15" if accounting else "BR-DEC-13", "BT-111" if accounting else "BT-110", total)
    for sub in doc.nodes("cac:TaxTotal/cac:TaxSubtotal"):
        _two(doc, "BR-DEC-19", "BT-116", doc.node("cbc:TaxableAmount", sub))
        _two(doc, "BR-DEC-20", "BT-117", doc.node("cbc:TaxAmount", sub))
    for line in doc.nodes(doc.line_tag):
        _two(doc, "BR-DEC-23", "BT-131", doc.node("cbc:LineExtensionAmount", line))
        for node in doc.nodes("cac:AllowanceCharge", line):
            is_charge = (node.findtext(f"{{{CBC}}}ChargeIndicator") or "").strip() in ("true", "1")
            _two(doc, "BR-DEC-27" if is_charge else "BR-DEC-24", "BT-141" if is_charge else "BT-136",
                 doc.node("cbc:Amount", node))
            _two(doc, "BR-DEC-28" if is_charge else "BR-DEC-25", "BT-142" if is_charge else "BT-137",
                 doc.node("cbc:BaseAmount", node))


def _two(doc: UblDocument, rule_id: str, term: str, node: etree._Element | None) -> None:
    if node is None:
        return
    text = (node.text or "").strip()
    if len(text.partition(".")[2]) > 2:
        doc.problems.append(doc.problem(
            rule_id, f"Summā {term} drīkst būt ne vairāk kā divi cipari aiz komata, nevis „{text[:40]}”; noapaļojiet "
            "to līdz centiem.", f"The amount {term} may have at most two decimals, not \"{text[:40]}\"; round it to "
            "cents.", doc.where(node)))
