"""PEPPOL BIS Billing 3.0.19 rules beyond EN 16931, by their official ids: no empty
elements (PEPPOL-EN16931-R008), electronic addresses (R010, R020), one currency (R051),
one VAT total (R053, R054), line net amount = quantity x price (R120), and the
PEPPOL-COMMON identifier checksums (R040 GLN, R041 Norway, R042 Denmark, R043 Belgium,
R049 Sweden, R050 Australia). Latvian registration numbers (scheme 0218, and 9939 VAT
numbers) have no official Peppol rule: their check digit is checked by python-stdnum as our
own warning PKIP-ID-0218, which never rejects an invoice a Peppol access point accepts."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from lxml import etree
from stdnum.lv import pvn

from .ubl import CBC, NS, UblDocument
from .vat_facts import BUYER, SELLER, cents

RULES = {
    "PEPPOL-EN16931-R008": "Document MUST not contain empty elements",
    "PEPPOL-EN16931-R010": "Buyer electronic address (BT-49) MUST be provided",
    "PEPPOL-EN16931-R020": "Seller electronic address (BT-34) MUST be provided",
    "PEPPOL-EN16931-R051": "All currencyID attributes MUST be the invoice currency code (BT-5)",
    "PEPPOL-EN16931-R053": "Only one tax total with tax subtotals MUST be provided",
    "PEPPOL-EN16931-R054": "Only one tax total without subtotals, and only with a tax currency code (BT-6)",
    "PEPPOL-EN16931-R120": "Invoice line net amount (BT-131) = quantity x (price / base quantity) + charges - allowances",
    "PEPPOL-COMMON-R040": "GLN (0088) must have a valid GS1 check digit",
    "PEPPOL-COMMON-R041": "Norwegian organization number (0192) in the correct format",
    "PEPPOL-COMMON-R042": "Danish organization number (0184) in the correct format",
    "PEPPOL-COMMON-R043": "Belgian enterprise number (0208) in the correct format",
    "PEPPOL-COMMON-R049": "Swedish organization number (0007) in the correct format",
    "PEPPOL-COMMON-R050": "Australian Business Number (0151) in the correct format",
    "PKIP-ID-0218": "Latvian registration number (0218) or VAT number (9939) with a wrong check digit (warning)",
}
R051_TAGS = ("Amount", "BaseAmount", "PriceAmount", "TaxableAmount", "LineExtensionAmount", "TaxExclusiveAmount",
             "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount",
             "PayableRoundingAmount", "PayableAmount")


def check_peppol(doc: UblDocument) -> None:
    _empty_elements(doc)
    for rule, party, lv, en in (("PEPPOL-EN16931-R010", BUYER, "pircēja", "Buyer electronic address (BT-49)"),
                                ("PEPPOL-EN16931-R020", SELLER, "pārdevēja", "Seller electronic address (BT-34)")):
        if doc.node(party) is not None and doc.node(f"{party}/cbc:EndpointID") is None:
            doc.report(rule, f"Jānorāda {lv} elektroniskā adrese (cbc:EndpointID ar schemeID, piemēram, 0218 un "
                       "reģistrācijas numurs).", f"The {en} MUST be provided: cbc:EndpointID with a schemeID, "
                       "e.g. 0218 and the registration number.", party)
    _one_currency(doc)
    _tax_totals(doc)
    for index, line in enumerate(doc.nodes(doc.line_tag), start=1):
        _line_net(doc, index, line)
    _identifiers(doc)


def _empty_elements(doc: UblDocument) -> None:
    for node in doc.root.iter():
        if isinstance(node.tag, str) and not any(isinstance(c.tag, str) for c in node) and not (node.text or "").strip():
            where = doc.where(node)
            doc.problems.append(doc.problem("PEPPOL-EN16931-R008", f"Elements {where} ir tukšs: aizpildiet to vai "
                                            "izņemiet.", f"The element {where} is empty: fill it in or remove it.",
                                            where))


def _one_currency(doc: UblDocument) -> None:
    currency = doc.text("cbc:DocumentCurrencyCode")
    nodes = list(doc.root.iter(*(f"{{{CBC}}}{tag}" for tag in R051_TAGS)))
    nodes += doc.nodes("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount")
    nodes += [n for t in doc.nodes("cac:TaxTotal") if doc.node("cac:TaxSubtotal", t) is not None
              for n in doc.nodes("cbc:TaxAmount", t)]
    wrong = [n for n in nodes if n.get("currencyID") != currency]
    if wrong:
        first = doc.where(wrong[0])
        doc.problems.append(doc.problem(
            "PEPPOL-EN16931-R051", f"Visām summām jābūt rēķina valūtā {currency} (BT-5): {len(wrong)} summām currencyID "
            f"ir cits vai nav norādīts, piemēram, {first}. Tikai PVN kopsumma uzskaites valūtā (BT-111) var būt citā.",
            f"Every amount must be in the invoice currency {currency} (BT-5): {len(wrong)} amounts have another or no "
            f"currencyID, e.g. {first}. Only the VAT total in accounting currency (BT-111) may differ.", first))


def _tax_totals(doc: UblDocument) -> None:
    totals = doc.nodes("cac:TaxTotal")
    with_sub = [t for t in totals if doc.node("cac:TaxSubtotal", t) is not None]
    if len(with_sub) != 1:
        doc.report("PEPPOL-EN16931-R053", f"Jābūt tieši vienai PVN kopsummai (cac:TaxTotal) ar PVN sadalījumu, nevis "
                   f"{len(with_sub)}.", f"Exactly one tax total (cac:TaxTotal) with a VAT breakdown MUST be provided, "
                   f"not {len(with_sub)}.", "cac:TaxTotal")
    expected = 1 if doc.node("cbc:TaxCurrencyCode") is not None else 0
    if len(totals) - len(with_sub) != expected:
        doc.report("PEPPOL-EN16931-R054", f"PVN kopsumma bez sadalījuma (BT-111) jānorāda tieši {expected} reizes: "
                   "vienreiz, ja ir norādīta PVN uzskaites valūta (BT-6), citādi nevienu.",
                   f"A tax total without subtotals (BT-111) must be given {expected} times: once when a VAT "
                   "accounting currency (BT-6) is given, otherwise not at all.", "cac:TaxTotal")


def _line_net(doc: UblDocument, index: int, line: etree._Element) -> None:
    where = doc.path(f"{doc.line_tag}[{index}]")
    net = doc.amount("cbc:LineExtensionAmount", line, f"{where}/cbc:LineExtensionAmount")
    quantity = doc.amount(doc.quantity_tag, line, f"{where}/{doc.quantity_tag}")
    price = doc.amount("cac:Price/cbc:PriceAmount", line, f"{where}/cac:Price/cbc:PriceAmount")
    base = doc.amount("cac:Price/cbc:BaseQuantity", line, f"{where}/cac:Price/cbc:BaseQuantity")
    sums = {True: [], False: []}
    for node in doc.nodes("cac:AllowanceCharge", line):
        indicator = doc.text("cbc:ChargeIndicator", node)
        if indicator in ("true", "false"):
            sums[indicator == "true"].append(doc.amount("cbc:Amount", node, doc.where(node) + "/cbc:Amount"))
    if any(value is None for value in sums[True] + sums[False]):
        return
    unreadable = [value is None and doc.text(xpath, line) is not None for value, xpath in (
        (net, "cbc:LineExtensionAmount"), (quantity, doc.quantity_tag), (price, "cac:Price/cbc:PriceAmount"),
        (base, "cac:Price/cbc:BaseQuantity"))]
    if any(unreadable):
        return      # reported already as unreadable; no calculation on a guess
    base = base if base not in (None, Decimal(0)) else Decimal(1)
    charges, allowances = (cents(sum(sums[k], Decimal(0))) if sums[k] else Decimal(0) for k in (True, False))
    expected = (quantity if quantity is not None else Decimal(1)) * ((price or Decimal(0)) / base) + charges - allowances
    actual = net or Decimal(0)
    if not (actual - Decimal("0.02") <= expected <= actual + Decimal("0.02")):
        doc.report("PEPPOL-EN16931-R120",
                   f"Rēķina {index}. rindas neto summai (BT-131) jābūt daudzums (BT-129) × cena (BT-146) / bāzes "
                   f"daudzums (BT-149) + uzcenojumi − atlaides = {expected.normalize():f}, nevis {actual}.",
                   f"Invoice line {index}: the net amount (BT-131) MUST be quantity (BT-129) x price (BT-146) / base "
                   f"quantity (BT-149) + charges - allowances = {expected.normalize():f}, not {actual}.",
                   f"{doc.line_tag}[{index}]/cbc:LineExtensionAmount")


# -- identifier checksums ---------------------------------------------------------------

def _gln(value: str) -> bool:
    digits = [int(c) for c in value]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _mod11(value: str) -> bool:
    digits = [int(c) for c in value]
    total = sum(d * (i % 6 + 2) for i, d in enumerate(reversed(digits[:-1])))
    return int(value) > 0 and (11 - total % 11) % 11 == digits[-1]


def _mod97(value: str) -> bool:
    return int(value[8:10]) == 97 - int(value[:8]) % 97


def _luhn(value: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(value[:9]), start=1):
        digit = int(char) * (2 if position % 2 == 1 else 1)
        total += digit % 10 + digit // 10
    return (10 - total % 10) % 10 == int(value[9])


def _abn(value: str) -> bool:
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(c) for c in value]
    digits[0] -= 1
    return sum(d * w for d, w in zip(digits, weights)) % 89 == 0


CHECKSUMS: dict[str, tuple[str, str, Callable[[str], bool], str, str]] = {
    "0088": ("PEPPOL-COMMON-R040", r"^[0-9]+$", _gln, "GLN numurs", "GLN"),
    "0192": ("PEPPOL-COMMON-R041", r"^[0-9]{9}$", _mod11, "Norvēģijas organizācijas numurs",
             "Norwegian organization number"),
    "0184": ("PEPPOL-COMMON-R042", r"^(DK[0-9]{8}|[0-9]{8})$", lambda v: True, "Dānijas CVR numurs",
             "Danish organization number (CVR)"),
    "0208": ("PEPPOL-COMMON-R043", r"^[0-9]{10}$", _mod97, "Beļģijas uzņēmuma numurs", "Belgian enterprise number"),
    "0007": ("PEPPOL-COMMON-R049", r"^[0-9]{10}$", _luhn, "Zviedrijas organizācijas numurs",
             "Swedish organization number"),
    "0151": ("PEPPOL-COMMON-R050", r"^[0-9]{11}$", _abn, "Austrālijas uzņēmuma numurs (ABN)",
             "Australian Business Number (ABN)"),
}
IDENTIFIERS = (".//cbc:EndpointID[@schemeID]", ".//cac:PartyIdentification/cbc:ID[@schemeID]",
               ".//cbc:CompanyID[@schemeID]")


def _identifiers(doc: UblDocument) -> None:
    for xpath in IDENTIFIERS:
        for node in doc.root.iterfind(xpath, NS):
            scheme, value = node.get("schemeID"), " ".join((node.text or "").split())
            if scheme in CHECKSUMS:
                rule, pattern, check, lv, en = CHECKSUMS[scheme]
                # R042 checks the raw string, the others the normalized one
                raw = (node.text or "") if scheme == "0184" else value
                if not (re.match(pattern, raw) and check(raw)):
                    where = doc.where(node)
                    doc.problems.append(doc.problem(rule, f"{where}: „{value[:40]}” nav pareizs {lv} (shēma {scheme}); "
                                                    "pārbaudiet numuru.", f"{where}: \"{value[:40]}\" is not a valid "
                                                    f"{en} (scheme {scheme}); check the number.", where))
            elif scheme in ("0218", "9939"):
                _latvian(doc, node, scheme, value)


def _latvian(doc: UblDocument, node: etree._Element, scheme: str, value: str) -> None:
    digits = value[2:] if scheme == "9939" and value.upper().startswith("LV") else value
    if re.fullmatch(r"[0-9]{11}", digits) and pvn.is_valid(digits):
        return
    where = doc.where(node)
    what_lv, what_en = ("PVN numurs (LV un 11 cipari)", "Latvian VAT number (LV and 11 digits)") if scheme == "9939" \
        else ("Latvijas reģistrācijas numurs (11 cipari)", "Latvian registration number (11 digits)")
    doc.problems.append(doc.problem(
        "PKIP-ID-0218", f"{where}: „{value[:40]}” nav derīgs {what_lv} — kontrolcipars nesakrīt. Pārbaudiet numuru "
        "Uzņēmumu reģistrā; rēķins netiek noraidīts tikai šī iemesla dēļ.",
        f"{where}: \"{value[:40]}\" is not a valid {what_en}: the check digit does not match. Check the number in "
        "the Register of Enterprises; this alone does not reject the invoice.", where, "warning"))
