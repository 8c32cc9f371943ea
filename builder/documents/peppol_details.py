"""More PEPPOL BIS Billing 3.0.19 rules, by their official ids: one note (R002), the VAT
accounting currency (R005, R055), allowance and charge percentages and indicators
(R040..R044, R046), direct debit mandates (R061), one project reference on a credit note
(R080), line object references (R100, R101), line periods within the invoice period (R110,
R111), base quantities (R121, R130), and the VAT category an exemption reason code implies
(P0104..P0111), invoice types 326 and 384 only between German parties (P0112)."""
from __future__ import annotations

import datetime
from decimal import Decimal

from lxml import etree

from .ubl import NS, UblDocument, decimal_value

EXEMPTION_CATEGORY = {"VATEX-EU-G": ("PEPPOL-EN16931-P0104", "G"), "VATEX-EU-O": ("PEPPOL-EN16931-P0105", "O"),
                      "VATEX-EU-IC": ("PEPPOL-EN16931-P0106", "K"), "VATEX-EU-AE": ("PEPPOL-EN16931-P0107", "AE"),
                      "VATEX-EU-D": ("PEPPOL-EN16931-P0108", "E"), "VATEX-EU-F": ("PEPPOL-EN16931-P0109", "E"),
                      "VATEX-EU-I": ("PEPPOL-EN16931-P0110", "E"), "VATEX-EU-J": ("PEPPOL-EN16931-P0111", "E")}
RULES = {
    "PEPPOL-EN16931-R002": "No more than one note (BT-22), unless buyer and seller are German",
    "PEPPOL-EN16931-R005": "VAT accounting currency code (BT-6) different from the invoice currency code (BT-5)",
    "PEPPOL-EN16931-R055": "Invoice total VAT amount and the one in accounting currency have the same sign",
    "PEPPOL-EN16931-R040": "Allowance/charge amount = base amount x percentage / 100",
    "PEPPOL-EN16931-R041": "Allowance/charge base amount when a percentage is given",
    "PEPPOL-EN16931-R042": "Allowance/charge percentage when a base amount is given",
    "PEPPOL-EN16931-R043": "ChargeIndicator is 'true' or 'false'",
    "PEPPOL-EN16931-R044": "No charge on price level",
    "PEPPOL-EN16931-R046": "Item net price = gross price - price allowance",
    "PEPPOL-EN16931-R061": "A direct debit (49, 59) has a mandate reference (BT-89)",
    "PEPPOL-EN16931-R080": "Only one project reference on a credit note",
    "PEPPOL-EN16931-R100": "Only one invoiced object per line",
    "PEPPOL-EN16931-R101": "A line's document reference is an invoiced object (130)",
    "PEPPOL-EN16931-R110": "A line period starts within the invoice period",
    "PEPPOL-EN16931-R111": "A line period ends within the invoice period",
    "PEPPOL-EN16931-R121": "Base quantity (BT-149) above zero",
    "PEPPOL-EN16931-R130": "Unit of the price base quantity = unit of the invoiced quantity",
    "PEPPOL-EN16931-P0112": "Invoice type 326 or 384 only between German buyer and seller",
    **{rule: f"Exemption reason {code} needs VAT category {category}"
       for code, (rule, category) in EXEMPTION_CATEGORY.items()},
}


def _decimal(node: etree._Element | None) -> Decimal | None:
    value = decimal_value(node.text or "") if node is not None else None
    return value if isinstance(value, Decimal) else None


def _german(doc: UblDocument, party: str) -> bool:
    return (doc.text(f"{party}/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode") or "").upper() == "DE"


def check_peppol_details(doc: UblDocument) -> None:
    german = _german(doc, "cac:AccountingSupplierParty") and _german(doc, "cac:AccountingCustomerParty")
    if len(doc.nodes("cbc:Note")) > 1 and not german:
        doc.report("PEPPOL-EN16931-R002", "Rēķinā drīkst būt tikai viena piezīme (BT-22): apvienojiet tās.",
                   "No more than one note (BT-22) is allowed: join them into one.", "cbc:Note")
    if doc.node(doc.type_code_tag) is not None and doc.kind == "Invoice" and \
            doc.text("cbc:InvoiceTypeCode") in ("326", "384") and not german:
        doc.report("PEPPOL-EN16931-P0112", "Rēķina veidi 326 un 384 atļauti tikai starp Vācijas pircēju un pārdevēju.",
                   "Invoice type codes 326 and 384 are only allowed when both buyer and seller are German.",
                   "cbc:InvoiceTypeCode")
    _accounting_currency(doc)
    _allowances(doc)
    _payment_and_references(doc)
    for index, line in enumerate(doc.nodes(doc.line_tag), start=1):
        _line(doc, index, line)
    for category in doc.root.iterfind(".//cac:TaxCategory", NS):
        code = (category.findtext("cbc:TaxExemptionReasonCode", namespaces=NS) or "").upper()
        if code in EXEMPTION_CATEGORY:
            rule, wanted = EXEMPTION_CATEGORY[code]
            if " ".join((category.findtext("cbc:ID", namespaces=NS) or "").split()) != wanted:
                where = doc.where(category)
                doc.problems.append(doc.problem(rule, f"{where}: ar atbrīvojuma kodu {code} PVN kategorijai jābūt "
                                                f"{wanted}.", f"{where}: with exemption reason code {code} the VAT "
                                                f"category must be {wanted}.", where))


def _accounting_currency(doc: UblDocument) -> None:
    tax_currency, currency = doc.text("cbc:TaxCurrencyCode"), doc.text("cbc:DocumentCurrencyCode")
    if doc.node("cbc:TaxCurrencyCode") is not None and tax_currency == currency:
        doc.report("PEPPOL-EN16931-R005", "PVN uzskaites valūtai (BT-6) jāatšķiras no rēķina valūtas (BT-5); ja tās "
                   "sakrīt, izņemiet cbc:TaxCurrencyCode.", "The VAT accounting currency (BT-6) must differ from the "
                   "invoice currency (BT-5); if they are the same, remove cbc:TaxCurrencyCode.", "cbc:TaxCurrencyCode")
    if tax_currency is None:
        return
    amounts = {c: [_decimal(n) for n in doc.nodes("cac:TaxTotal/cbc:TaxAmount") if n.get("currencyID") == c]
               for c in (tax_currency, currency)}
    values = [v for c in amounts for v in amounts[c] if v is not None]
    if any(v < 0 for v in values) and any(v > 0 for v in values):
        doc.report("PEPPOL-EN16931-R055", "PVN kopsummai rēķina valūtā (BT-110) un uzskaites valūtā (BT-111) jābūt ar "
                   "vienādu zīmi.", "The invoice total VAT amount (BT-110) and the one in accounting currency (BT-111) "
                   "must have the same sign.", "cac:TaxTotal")


def _allowances(doc: UblDocument) -> None:
    nodes = doc.nodes("cac:AllowanceCharge") + [n for line in doc.nodes(doc.line_tag)
                                                  for n in line.findall("cac:AllowanceCharge", NS)]
    for node in nodes:
        where = doc.where(node)
        factor, base = node.find("cbc:MultiplierFactorNumeric", NS), node.find("cbc:BaseAmount", NS)
        if factor is not None and base is None:
            doc.problems.append(doc.problem("PEPPOL-EN16931-R041", f"{where}: ar procentu (MultiplierFactorNumeric) "
                                            "jānorāda arī bāzes summa (cbc:BaseAmount).", f"{where}: with a percentage "
                                            "the base amount (cbc:BaseAmount) MUST be given.", where))
        if base is not None and factor is None:
            doc.problems.append(doc.problem("PEPPOL-EN16931-R042", f"{where}: ar bāzes summu jānorāda arī procents "
                                            "(cbc:MultiplierFactorNumeric).", f"{where}: with a base amount the "
                                            "percentage (cbc:MultiplierFactorNumeric) MUST be given.", where))
        if factor is not None and base is not None and None not in (_decimal(factor), _decimal(base)):
            expected = _decimal(base) * _decimal(factor) / 100
            amount = _decimal(node.find("cbc:Amount", NS)) or Decimal(0)
            if not expected - Decimal("0.02") <= amount <= expected + Decimal("0.02"):
                doc.problems.append(doc.problem("PEPPOL-EN16931-R040", f"{where}: summai jābūt bāze × procents / 100 "
                                                f"= {expected.normalize():f}, nevis {amount}.", f"{where}: the amount "
                                                f"must be base x percentage / 100 = {expected.normalize():f}, not "
                                                f"{amount}.", where))
        if (node.findtext("cbc:ChargeIndicator", namespaces=NS) or "").strip() not in ("true", "false"):
            doc.problems.append(doc.problem("PEPPOL-EN16931-R043", f"{where}: ChargeIndicator jābūt „true” vai "
                                            "„false”.", f"{where}: ChargeIndicator MUST be 'true' or 'false'.", where))


def _payment_and_references(doc: UblDocument) -> None:
    for means in doc.nodes("cac:PaymentMeans"):
        code = " ".join((means.findtext("cbc:PaymentMeansCode", namespaces=NS) or "").split())
        if code in ("49", "59") and means.find("cac:PaymentMandate/cbc:ID", NS) is None:
            where = doc.where(means)
            doc.problems.append(doc.problem("PEPPOL-EN16931-R061", f"{where}: tiešajam debetam jānorāda pilnvaras "
                                            "atsauce (BT-89).", f"{where}: a direct debit MUST have the mandate "
                                            "reference (BT-89).", where))
    if doc.kind == "CreditNote" and len([r for r in doc.nodes("cac:AdditionalDocumentReference")
                                         if r.findtext("cbc:DocumentTypeCode", namespaces=NS) == "50"]) > 1:
        doc.report("PEPPOL-EN16931-R080", "Kredītrēķinā drīkst būt tikai viena projekta atsauce.",
                   "Only one project reference is allowed on document level.", "cac:AdditionalDocumentReference")


def _line(doc: UblDocument, index: int, line: etree._Element) -> None:
    where = f"{doc.line_tag}[{index}]"
    references = line.findall("cac:DocumentReference", NS)
    if len(references) > 1:
        doc.report("PEPPOL-EN16931-R100", f"Rēķina {index}. rindā drīkst būt tikai viens rēķinātais objekts.",
                   f"Only one invoiced object is allowed on line {index}.", where)
    if references and references[0].findtext("cbc:DocumentTypeCode", namespaces=NS) != "130":
        doc.report("PEPPOL-EN16931-R101", f"Rēķina {index}. rindas dokumenta atsaucei jābūt rēķinātajam objektam "
                   "(DocumentTypeCode 130).", f"Line {index}: the document reference can only be an invoiced object "
                   "(DocumentTypeCode 130).", where)
    _line_period(doc, index, line)
    base = line.find("cac:Price/cbc:BaseQuantity", NS)
    if base is not None and (_decimal(base) is None or _decimal(base) <= 0) and decimal_value(base.text or "") is not None:
        doc.report("PEPPOL-EN16931-R121", f"Rēķina {index}. rindas cenas bāzes daudzumam (BT-149) jābūt lielākam par 0.",
                   f"Line {index}: the base quantity (BT-149) MUST be above zero.", f"{where}/cac:Price/cbc:BaseQuantity")
    quantity = line.find(doc.quantity_tag, NS)
    if base is not None and base.get("unitCode") is not None and quantity is not None and \
            base.get("unitCode") != quantity.get("unitCode"):
        doc.report("PEPPOL-EN16931-R130", f"Rēķina {index}. rindas cenas bāzes daudzuma mērvienībai jābūt tādai pašai kā "
                   "daudzumam.", f"Line {index}: the unit of the price base quantity MUST be the invoiced quantity's.",
                   f"{where}/cac:Price/cbc:BaseQuantity")
    for price_allowance in line.findall("cac:Price/cac:AllowanceCharge", NS):
        if (price_allowance.findtext("cbc:ChargeIndicator", namespaces=NS) or "").strip() != "false":
            doc.report("PEPPOL-EN16931-R044", f"Rēķina {index}. rindas cenā uzcenojums nav atļauts: ChargeIndicator "
                       "jābūt „false”.", f"Line {index}: a charge on price level is not allowed; ChargeIndicator MUST "
                       "be 'false'.", where)
        gross, allowance = price_allowance.find("cbc:BaseAmount", NS), price_allowance.find("cbc:Amount", NS)
        net = _decimal(line.find("cac:Price/cbc:PriceAmount", NS))
        if gross is not None and None not in (_decimal(gross), _decimal(allowance), net) and \
                net != _decimal(gross) - _decimal(allowance):
            doc.report("PEPPOL-EN16931-R046", f"Rēķina {index}. rindas neto cenai (BT-146) jābūt bruto cena (BT-148) "
                       "mīnus cenas atlaide (BT-147).", f"Line {index}: the item net price (BT-146) MUST be the gross "
                       "price (BT-148) minus the price discount (BT-147).", where)


def _line_period(doc: UblDocument, index: int, line: etree._Element) -> None:
    for rule, tag, later in (("PEPPOL-EN16931-R110", "StartDate", False), ("PEPPOL-EN16931-R111", "EndDate", True)):
        own, invoice = line.find(f"cac:InvoicePeriod/cbc:{tag}", NS), doc.node(f"cac:InvoicePeriod/cbc:{tag}")
        if own is None or invoice is None:
            continue
        try:
            mine, bound = (datetime.date.fromisoformat((n.text or "").strip()) for n in (own, invoice))
        except ValueError:
            continue
        if (mine > bound) if later else (mine < bound):
            doc.report(rule, f"Rēķina {index}. rindas periodam jābūt rēķina periodā (BG-14).",
                       f"Line {index}: the line period MUST be within the invoice period (BG-14).",
                       f"{doc.line_tag}[{index}]/cac:InvoicePeriod")
