"""EN 16931 rules on the optional groups: payee (BR-17), tax representative (BR-18..BR-20,
BR-56), payment (BR-49..BR-51, BR-61, BR-66, BR-67), references and delivery (BR-52,
BR-55, BR-57), electronic address schemes (BR-62, BR-63), periods (BR-29, BR-30, BR-CO-19,
BR-CO-20), prices (BR-27, BR-28), items (BR-54, BR-64, BR-65), the VAT point date
(BR-CO-03), the accounting currency (BR-53) and the seller's identifier (BR-CO-26).
Conditions as in CEN's UBL schematron of PEPPOL BIS Billing 3.0.19; messages ours."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Callable

from lxml import etree

from .ubl import NS, UblDocument, decimal_value

Check = Callable[[UblDocument, etree._Element], bool]


def _text(node: etree._Element, xpath: str) -> str:
    found = node.find(xpath, NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def _has(xpath: str) -> Check:
    return lambda doc, node: node.find(xpath, NS) is not None


def _filled(xpath: str) -> Check:
    return lambda doc, node: _text(node, xpath) != ""


def _attribute(name: str) -> Check:
    return lambda doc, node: node.get(name) is not None


def _not_negative(xpath: str, required: bool) -> Check:
    def check(doc: UblDocument, node: etree._Element) -> bool:
        found = node.find(xpath, NS)
        if found is None:
            return not required
        value = decimal_value(found.text or "")
        return not isinstance(value, Decimal) or value >= 0      # unreadable: reported as such
    return check


def _date(node: etree._Element, xpath: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(_text(node, xpath))
    except ValueError:
        return None


def _ordered(doc: UblDocument, node: etree._Element) -> bool:
    start, end = _date(node, "cbc:StartDate"), _date(node, "cbc:EndDate")
    return start is None or end is None or end >= start


def _transfer_account(doc: UblDocument, node: etree._Element) -> bool:
    code = _text(node, "cbc:PaymentMeansCode")
    return code not in ("30", "58") or node.find("cac:PayeeFinancialAccount/cbc:ID", NS) is not None


def _seller_identified(doc: UblDocument, node: etree._Element) -> bool:
    vat = any(_text(s, "cac:TaxScheme/cbc:ID").upper() == "VAT" and s.find("cbc:CompanyID", NS) is not None
              for s in node.findall("cac:Party/cac:PartyTaxScheme", NS))
    return vat or node.find("cac:Party/cac:PartyIdentification/cbc:ID", NS) is not None or \
        node.find("cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS) is not None


def _representative_vat(doc: UblDocument, node: etree._Element) -> bool:
    return any(_text(s, "cac:TaxScheme/cbc:ID").upper() == "VAT" and s.find("cbc:CompanyID", NS) is not None
               for s in node.findall("cac:PartyTaxScheme", NS))


def _payee_not_seller(doc: UblDocument, node: etree._Element) -> bool:
    names = {n.text for n in node.findall("cac:PartyName/cbc:Name", NS)}
    if not names:
        return False
    seller = doc.node("cac:AccountingSupplierParty/cac:Party")
    seller_names = {n.text for n in seller.findall("cac:PartyName/cbc:Name", NS)} if seller is not None else set()
    seller_ids = {n.text for n in seller.findall("cac:PartyIdentification/cbc:ID", NS)} if seller is not None else set()
    ids = {n.text for n in node.findall("cac:PartyIdentification/cbc:ID", NS)}
    return not (names & seller_names) and not (ids & seller_ids)


LINES = ".//cac:InvoiceLine|.//cac:CreditNoteLine"
# (rule, the elements it applies to (from the root), check, what to change: Latvian, English)
RULES_TABLE: tuple[tuple[str, str, Check, str, str], ...] = (
    ("BR-17", "cac:PayeeParty", _payee_not_seller,
     "maksājuma saņēmējam (BG-10) jānorāda nosaukums (BT-59), un tas nav pārdevējs; ja saņēmējs ir pārdevējs, izņemiet "
     "cac:PayeeParty", "the payee (BG-10) needs its name (BT-59) and must not be the seller; if the payee is the "
     "seller, remove cac:PayeeParty"),
    ("BR-18", "cac:TaxRepresentativeParty", _filled("cac:PartyName/cbc:Name"),
     "nodokļu pārstāvim jānorāda nosaukums (BT-62)", "the seller tax representative needs a name (BT-62)"),
    ("BR-19", "cac:TaxRepresentativeParty", _has("cac:PostalAddress"),
     "nodokļu pārstāvim jānorāda pasta adrese (BG-12)", "the seller tax representative needs a postal address (BG-12)"),
    ("BR-20", "cac:TaxRepresentativeParty/cac:PostalAddress", _filled("cac:Country/cbc:IdentificationCode"),
     "nodokļu pārstāvja adresei jānorāda valsts kods (BT-69)", "the tax representative's address needs a country "
     "code (BT-69)"),
    ("BR-56", "cac:TaxRepresentativeParty", _representative_vat,
     "nodokļu pārstāvim jānorāda PVN numurs (BT-63)", "the seller tax representative needs a VAT identifier (BT-63)"),
    ("BR-49", "cac:PaymentMeans", _has("cbc:PaymentMeansCode"),
     "maksājuma veidam jānorāda kods (BT-81)", "the payment instructions need a payment means type code (BT-81)"),
    ("BR-61", "cac:PaymentMeans", _transfer_account,
     "pārskaitījumam (kods 30 vai 58) jānorāda maksājuma konta identifikators, IBAN (BT-84)",
     "a credit transfer (code 30 or 58) needs the payment account identifier, the IBAN (BT-84)"),
    ("BR-50", "cac:PaymentMeans/cac:PayeeFinancialAccount", lambda doc, node: _text(node, "cbc:ID") != "" or
     _text(node.getparent(), "cbc:PaymentMeansCode") not in ("30", "58"),
     "maksājuma kontam jānorāda identifikators, IBAN (BT-84)", "the payment account needs its identifier, the IBAN "
     "(BT-84)"),
    ("BR-52", ".//cac:AdditionalDocumentReference", _filled("cbc:ID"),
     "pielikumam jānorāda atsauce (BT-122)", "each additional supporting document needs a reference (BT-122)"),
    ("BR-55", ".//cac:BillingReference", _has("cac:InvoiceDocumentReference/cbc:ID"),
     "atsaucei uz iepriekšējo rēķinu jānorāda tā numurs (BT-25)", "a preceding invoice reference needs the invoice "
     "number (BT-25)"),
    ("BR-57", ".//cac:Delivery/cac:DeliveryLocation/cac:Address", _has("cac:Country/cbc:IdentificationCode"),
     "piegādes adresei jānorāda valsts kods (BT-80)", "the deliver to address needs a country code (BT-80)"),
    ("BR-62", "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", _attribute("schemeID"),
     "pārdevēja elektroniskajai adresei jānorāda shēma (schemeID, piemēram, 0218)",
     "the seller electronic address needs its scheme (schemeID, e.g. 0218)"),
    ("BR-63", "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", _attribute("schemeID"),
     "pircēja elektroniskajai adresei jānorāda shēma (schemeID, piemēram, 0218)",
     "the buyer electronic address needs its scheme (schemeID, e.g. 0218)"),
    ("BR-CO-26", "cac:AccountingSupplierParty", _seller_identified,
     "pārdevējam jānorāda PVN numurs (BT-31), identifikators (BT-29) vai reģistrācijas numurs (BT-30)",
     "the seller needs a VAT identifier (BT-31), an identifier (BT-29) or a legal registration identifier (BT-30)"),
    ("BR-27", LINES, _not_negative("cac:Price/cbc:PriceAmount", True),
     "preces neto cena (BT-146) nedrīkst būt negatīva", "the item net price (BT-146) must not be negative"),
    ("BR-28", LINES, _not_negative("cac:Price/cac:AllowanceCharge/cbc:BaseAmount", False),
     "preces bruto cena (BT-148) nedrīkst būt negatīva", "the item gross price (BT-148) must not be negative"),
    ("BR-54", ".//cac:AdditionalItemProperty", lambda doc, node: node.find("cbc:Name", NS) is not None and
     node.find("cbc:Value", NS) is not None, "preces īpašībai jānorāda nosaukums (BT-160) un vērtība (BT-161)",
     "an item attribute needs a name (BT-160) and a value (BT-161)"),
    ("BR-64", ".//cac:Item/cac:StandardItemIdentification/cbc:ID", _attribute("schemeID"),
     "preces standarta identifikatoram jānorāda shēma (BT-157, schemeID)",
     "the item standard identifier needs its scheme (BT-157, schemeID)"),
    ("BR-65", ".//cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", _attribute("listID"),
     "preces klasifikācijas kodam jānorāda shēma (BT-158, listID)",
     "the item classification identifier needs its scheme (BT-158, listID)"),
)
DESCRIPTIONS = {rule: en[0].upper() + en[1:] for rule, _w, _c, _lv, en in RULES_TABLE} | {
    "BR-29": "Invoicing period end date (BT-74) not before its start date (BT-73)",
    "BR-30": "Invoice line period end date (BT-135) not before its start date (BT-134)",
    "BR-CO-19": "An Invoicing period (BG-14) has a start date, an end date or a description code",
    "BR-CO-20": "An Invoice line period (BG-26) has a start date or an end date",
    "BR-CO-03": "Value added tax point date (BT-7) and its code (BT-8) are mutually exclusive",
    "BR-53": "A VAT accounting currency (BT-6) needs the VAT total in that currency (BT-111)",
    "BR-66": "At most one payment card (BG-18)",
    "BR-67": "At most one direct debit mandate (BG-19)",
    "BR-51": "At most the last 4-6 digits of a card number (BT-87) (warning)",
}


def check_details(doc: UblDocument) -> None:
    for rule, where, check, lv, en in RULES_TABLE:
        for node in _select(doc, where):
            if not check(doc, node):
                path = doc.where(node)
                doc.problems.append(doc.problem(rule, f"{path}: {lv}.", f"{path}: {en[0].upper()}{en[1:]}.", path))
    _periods(doc)
    _document_level(doc)


def _select(doc: UblDocument, where: str) -> list[etree._Element]:
    found = []
    for part in where.split("|"):
        found += doc.root.findall(part, NS)
    return found


def _periods(doc: UblDocument) -> None:
    for period in doc.root.iterfind(".//cac:InvoicePeriod", NS):
        on_line = etree.QName(period.getparent()).localname in ("InvoiceLine", "CreditNoteLine")
        order_rule, presence_rule = ("BR-30", "BR-CO-20") if on_line else ("BR-29", "BR-CO-19")
        where = doc.where(period)
        if not _ordered(doc, period):
            doc.problems.append(doc.problem(order_rule, f"{where}: perioda beigu datums nedrīkst būt pirms sākuma "
                                            "datuma.", f"{where}: the period's end date must not be before its start "
                                            "date.", where))
        present = period.find("cbc:StartDate", NS) is not None or period.find("cbc:EndDate", NS) is not None or \
            (not on_line and period.find("cbc:DescriptionCode", NS) is not None)
        if not present:
            doc.problems.append(doc.problem(presence_rule, f"{where}: periodam jānorāda sākuma vai beigu datums.",
                                            f"{where}: the period needs a start date or an end date.", where))


def _document_level(doc: UblDocument) -> None:
    if doc.node("cbc:TaxPointDate") is not None and doc.node("cac:InvoicePeriod/cbc:DescriptionCode") is not None:
        doc.report("BR-CO-03", "PVN datums (BT-7) un PVN datuma kods (BT-8) nav norādāmi abi: atstājiet vienu.",
                   "The Value added tax point date (BT-7) and its code (BT-8) exclude each other: keep one.",
                   "cbc:TaxPointDate")
    amounts = {n.get("currencyID") for n in doc.nodes("cac:TaxTotal/cbc:TaxAmount")}
    for currency in doc.nodes("cbc:TaxCurrencyCode"):
        if currency.text not in amounts:
            doc.report("BR-53", f"Ja norādīta PVN uzskaites valūta {currency.text} (BT-6), jānorāda arī PVN kopsumma "
                       "šajā valūtā (BT-111).", f"With a VAT accounting currency {currency.text} (BT-6), the invoice "
                       "total VAT amount in that currency (BT-111) must be given.", "cbc:TaxCurrencyCode")
    for rule, what, lv, en in (("BR-66", "cac:CardAccount", "maksājuma karte (BG-18)", "payment card (BG-18)"),
                               ("BR-67", "cac:PaymentMandate", "tiešā debeta pilnvara (BG-19)",
                                "direct debit mandate (BG-19)")):
        if len(doc.nodes(f"cac:PaymentMeans/{what}")) > 1:
            doc.report(rule, f"Rēķinā drīkst būt ne vairāk kā viena {lv}.", f"An invoice may have at most one {en}.",
                       "cac:PaymentMeans")
    for number in doc.nodes("cac:PaymentMeans/cac:CardAccount/cbc:PrimaryAccountNumberID"):
        if len(" ".join((number.text or "").split())) > 10:
            where = doc.where(number)
            doc.problems.append(doc.problem("BR-51", f"{where}: norādiet tikai kartes numura pēdējos 4–6 ciparus.",
                                            f"{where}: give only the last 4 to 6 digits of the card number.", where,
                                            "warning"))
