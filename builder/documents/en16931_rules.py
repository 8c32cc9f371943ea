"""The EN 16931 and PEPPOL BIS Billing 3.0 rules the `en16931` reader checks, each
reported by its official id. Amounts are exact decimals; rounding to cents is the CEN
schematron's `round(x * 100) div 100` (`vat_facts.cents`)."""
from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal

from .ubl import NS, UblDocument
from .vat_facts import cents

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_FORMAT = re.compile(r"^urn:fdc:peppol\.eu:2017:poacc:billing:[0-9]{2}:1\.0$")

SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"
TOTALS = "cac:LegalMonetaryTotal"

# id -> (relative path or None, what is missing in Latvian, in English)
MANDATORY = {
    "BR-01": ("cbc:CustomizationID", "specifikācijas identifikators (CustomizationID)", "Specification identifier (BT-24)"),
    "BR-02": ("cbc:ID", "rēķina numurs", "Invoice number (BT-1)"),
    "BR-03": ("cbc:IssueDate", "rēķina izrakstīšanas datums", "Invoice issue date (BT-2)"),
    "BR-04": (None, "rēķina veida kods", "Invoice type code (BT-3)"),
    "BR-05": ("cbc:DocumentCurrencyCode", "rēķina valūtas kods", "Invoice currency code (BT-5)"),
    "BR-06": (f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", "pārdevēja nosaukums", "Seller name (BT-27)"),
    "BR-07": (f"{BUYER}/cac:PartyLegalEntity/cbc:RegistrationName", "pircēja nosaukums", "Buyer name (BT-44)"),
    "BR-08": (f"{SELLER}/cac:PostalAddress", "pārdevēja pasta adrese", "Seller postal address (BG-5)"),
    "BR-09": (f"{SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "pārdevēja valsts kods",
              "Seller country code (BT-40)"),
    "BR-10": (f"{BUYER}/cac:PostalAddress", "pircēja pasta adrese", "Buyer postal address (BG-8)"),
    "BR-11": (f"{BUYER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "pircēja valsts kods",
              "Buyer country code (BT-55)"),
    "BR-12": (f"{TOTALS}/cbc:LineExtensionAmount", "rindu neto summu kopsumma", "Sum of Invoice line net amount (BT-106)"),
    "BR-13": (f"{TOTALS}/cbc:TaxExclusiveAmount", "kopsumma bez PVN", "Invoice total amount without VAT (BT-109)"),
    "BR-14": (f"{TOTALS}/cbc:TaxInclusiveAmount", "kopsumma ar PVN", "Invoice total amount with VAT (BT-112)"),
    "BR-15": (f"{TOTALS}/cbc:PayableAmount", "maksājamā summa", "Amount due for payment (BT-115)"),
}

LINE_MANDATORY = {
    "BR-21": ("cbc:ID", "rindas identifikators", "an Invoice line identifier (BT-126)"),
    "BR-22": (None, "daudzums", "an Invoiced quantity (BT-129)"),
    "BR-24": ("cbc:LineExtensionAmount", "rindas neto summa", "an Invoice line net amount (BT-131)"),
    "BR-25": ("cac:Item/cbc:Name", "preces nosaukums", "an Item name (BT-153)"),
    "BR-26": ("cac:Price/cbc:PriceAmount", "preces neto cena", "an Item net price (BT-146)"),
}


def check_profile(doc: UblDocument) -> None:
    customization = doc.text("cbc:CustomizationID")
    # the official test is starts-with: an extension of the Peppol specification is allowed
    if customization is not None and not customization.startswith(CUSTOMIZATION_ID):
        doc.report("PEPPOL-EN16931-R004", f"Specifikācijas identifikatoram (BT-24) jāsākas ar „{CUSTOMIZATION_ID}”, "
                   f"nevis „{customization}”.",
                   f"Specification identifier (BT-24) MUST start with '{CUSTOMIZATION_ID}', not '{customization}'.",
                   "cbc:CustomizationID")
    profile = doc.text("cbc:ProfileID")
    # R001 and R003 ask for the element to exist (an empty one is R008's)
    if doc.node("cbc:ProfileID") is None:
        doc.report("PEPPOL-EN16931-R001", "Jānorāda biznesa process (ProfileID).",
                   "Business process (ProfileID) MUST be provided.", "cbc:ProfileID")
    elif not PROFILE_FORMAT.match(profile or ""):
        doc.report("PEPPOL-EN16931-R007", f"Biznesa procesam jābūt formā „urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0”, nevis „{profile}”.",
                   f"Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0', not '{profile}'.",
                   "cbc:ProfileID")
    if doc.node("cbc:BuyerReference") is None and doc.node("cac:OrderReference/cbc:ID") is None:
        doc.report("PEPPOL-EN16931-R003", "Jānorāda pircēja atsauce (BT-10) vai pasūtījuma numurs (BT-13).",
                   "A buyer reference (BT-10) or purchase order reference (BT-13) MUST be provided.",
                   "cbc:BuyerReference")


def check_mandatory(doc: UblDocument) -> None:
    for rule_id, (xpath, lv, en) in MANDATORY.items():
        xpath = xpath or doc.type_code_tag
        present = doc.node(xpath) is not None if xpath.endswith("PostalAddress") else doc.text(xpath) is not None
        if not present:
            doc.report(rule_id, f"Rēķinā jābūt: {lv}.", f"An Invoice shall have the {en}.", xpath)
    lines = doc.nodes(doc.line_tag)
    if not lines:
        doc.report("BR-16", "Rēķinā jābūt vismaz vienai rindai.", "An Invoice shall have at least one Invoice line (BG-25).",
                   doc.line_tag)
    for index, line in enumerate(lines, start=1):
        for rule_id, (xpath, lv, en) in LINE_MANDATORY.items():
            xpath = xpath or doc.quantity_tag
            if doc.text(xpath, line) is None:
                doc.report(rule_id, f"Rēķina {index}. rindā jābūt: {lv}.", f"Invoice line {index} shall have {en}.",
                           f"{doc.line_tag}[{index}]/{xpath}")
    if not doc.nodes("cac:TaxTotal/cac:TaxSubtotal"):
        doc.report("BR-CO-18", "Rēķinā jābūt vismaz vienai PVN sadalījuma grupai.",
                   "An Invoice shall at least have one VAT breakdown group (BG-23).", "cac:TaxTotal")


def check_totals(doc: UblDocument, totals: dict, lines: list, breakdown: list) -> None:
    """BR-CO-10, -13, -14, -15, -16, -17 on the values the reader extracted."""
    net, without, with_vat, payable = (totals.get(k) for k in ("line_total", "total_without_vat",
                                                               "total_with_vat", "payable_amount"))
    if net is not None and None not in lines:      # no lines sum to 0, as in XPath
        _equal(doc, "BR-CO-10", net, cents(sum(lines, Decimal(0))), f"{TOTALS}/cbc:LineExtensionAmount",
               "Rindu neto summu kopsumma (BT-106) = Σ rindu neto summas (BT-131)",
               "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131)")
    if without is not None and net is not None:     # the header's BT-106, as the official rule does
        expected = cents(net - (totals.get("allowance_total") or 0) + (totals.get("charge_total") or 0))
        _equal(doc, "BR-CO-13", without, expected, f"{TOTALS}/cbc:TaxExclusiveAmount",
               "Kopsumma bez PVN (BT-109) = rindu neto summu kopsumma (BT-106) − atlaides (BT-107) + uzcenojumi (BT-108)",
               "Invoice total amount without VAT (BT-109) = Sum of Invoice line net amount (BT-106) - Sum of "
               "allowances on document level (BT-107) + Sum of charges on document level (BT-108)")
    _vat_totals(doc)
    _with_vat(doc, without, with_vat)
    if payable is not None and with_vat is not None:
        prepaid, rounding = totals.get("prepaid_amount") or 0, totals.get("rounding_amount") or 0
        _equal(doc, "BR-CO-16", cents(payable - rounding), cents(with_vat - prepaid), f"{TOTALS}/cbc:PayableAmount",
               "Maksājamā summa (BT-115) = kopsumma ar PVN (BT-112) − samaksātā summa (BT-113) + noapaļojums (BT-114)",
               "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) - Paid amount (BT-113) + "
               "Rounding amount (BT-114)", shown=(payable, cents(with_vat - prepaid + rounding)))
    for index, item in enumerate(breakdown, start=1):
        _check_category(doc, index, item)


def _vat_totals(doc: UblDocument) -> None:
    """BR-CO-14 for each TaxTotal that has a breakdown."""
    for index, total in enumerate(doc.nodes("cac:TaxTotal"), start=1):
        subs = doc.nodes("cac:TaxSubtotal", total)
        amounts = [doc.amount("cbc:TaxAmount", sub, doc.where(sub) + "/cbc:TaxAmount") for sub in subs]
        vat = doc.amount("cbc:TaxAmount", total, doc.where(total) + "/cbc:TaxAmount")
        if subs and vat is not None and None not in amounts:
            _equal(doc, "BR-CO-14", vat, cents(sum(amounts, Decimal(0))), f"cac:TaxTotal[{index}]/cbc:TaxAmount",
                   "PVN kopsumma (BT-110) = Σ PVN kategoriju nodokļa summas (BT-117)",
                   "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117)")


def _with_vat(doc: UblDocument, without, with_vat) -> None:
    """BR-CO-15: exactly one VAT total (BT-110) in the invoice currency, and BT-112 = BT-109 + BT-110."""
    currency = doc.text("cbc:DocumentCurrencyCode")
    if currency is None:
        return
    in_currency = [n for n in doc.nodes("cac:TaxTotal/cbc:TaxAmount") if n.get("currencyID") == currency]
    if len(in_currency) != 1:
        doc.report("BR-CO-15", f"Rēķinā jābūt tieši vienai PVN kopsummai (BT-110) rēķina valūtā {currency}, nevis "
                   f"{len(in_currency)}; norādiet cac:TaxTotal/cbc:TaxAmount ar currencyID=\"{currency}\".",
                   f"The invoice must have exactly one Invoice total VAT amount (BT-110) in the invoice currency "
                   f"{currency}, not {len(in_currency)}; give cac:TaxTotal/cbc:TaxAmount with currencyID=\"{currency}\".",
                   "cac:TaxTotal")
        return
    vat = doc.amount("cbc:TaxAmount", in_currency[0].getparent(), doc.where(in_currency[0]))
    if with_vat is not None and without is not None and vat is not None:
        _equal(doc, "BR-CO-15", with_vat, cents(without + vat), f"{TOTALS}/cbc:TaxInclusiveAmount",
               "Kopsumma ar PVN (BT-112) = kopsumma bez PVN (BT-109) + PVN kopsumma (BT-110)",
               "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + "
               "Invoice total VAT amount (BT-110)")


def check_payment_terms(doc: UblDocument, payable) -> None:
    """BR-CO-25, on invoices only: a credit note's amount is owed to the buyer, and the
    official rule's context is /Invoice. Any DueDate in the document counts, as there."""
    if doc.kind != "Invoice" or payable is None or payable <= 0:
        return
    if doc.root.find(".//cbc:DueDate", NS) is None and doc.root.find(".//cac:PaymentTerms/cbc:Note", NS) is None:
        doc.report("BR-CO-25", "Ja maksājamā summa ir pozitīva, jānorāda apmaksas termiņš vai maksājuma noteikumi.",
                   "In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or "
                   "the Payment terms (BT-20) shall be present.", "cbc:DueDate")


def _check_category(doc: UblDocument, index: int, item: dict) -> None:
    taxable, tax, rate = item["taxable_amount"], item["tax_amount"], item["rate"]
    if taxable is None or tax is None:
        return
    where = f"cac:TaxTotal/cac:TaxSubtotal[{index}]/cbc:TaxAmount"
    if rate is None or _round(rate) == 0:
        ok = _round(tax) == 0
        expected = Decimal("0.00")
    else:   # the CEN schematron allows less than one currency unit either way
        expected = cents(abs(taxable) * rate / 100)
        ok = abs(abs(tax) - expected) < 1
    if not ok:
        doc.report("BR-CO-17",
                   f"PVN kategorijas {item['category'] or ''} {rate or 0} % nodokļa summa {tax} nav vienāda ar "
                   f"ar nodokli apliekamo summu {taxable} × likme / 100 = {expected}.",
                   f"VAT category tax amount (BT-117) {tax} is not VAT category taxable amount (BT-116) {taxable} x "
                   f"(VAT category rate (BT-119) {rate or 0} / 100) = {expected}, rounded to two decimals.", where)


def _round(value: Decimal) -> Decimal:
    """XPath round(): to the nearest integer, half-way towards positive infinity."""
    return (value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def _equal(doc: UblDocument, rule_id: str, actual: Decimal, expected: Decimal, xpath: str, lv: str, en: str,
           shown: tuple | None = None) -> None:
    if actual != expected:
        said, calculated = shown or (actual, expected)
        doc.report(rule_id, f"{lv}: norādīts {said}, aprēķināts {calculated}.",
                   f"{en}: the document says {said}, the calculation gives {calculated}.", xpath)
