"""CEN's UBL syntax binding rules that reject: UBL-SR (elements the UBL schema lets repeat
but EN 16931 allows once), the fatal UBL-DT-01, -06, -07 (amount decimals, attachment
attributes) and UBL-CR-666, -673. Conditions as in CEN's UBL schematron of PEPPOL BIS
Billing 3.0.19; the other UBL-CR and UBL-DT rules are warnings (elements EN 16931 does not
use) and reject nothing, so they are not checked."""
from __future__ import annotations

from typing import Callable

from lxml import etree

from .ubl import NS, UblDocument
from .vat_facts import charge_indicator

ROOT = "."
LINE = "LINE"      # the document's line element
# (rule id, where (from the root), what may occur at most `most` times there)
AT_MOST = (
    ("UBL-SR-01", ROOT, "cac:ContractDocumentReference/cbc:ID", 1),
    ("UBL-SR-02", ROOT, "cac:ReceiptDocumentReference/cbc:ID", 1),
    ("UBL-SR-03", ROOT, "cac:DespatchDocumentReference/cbc:ID", 1),
    ("UBL-SR-04", ROOT, "cac:AdditionalDocumentReference[cbc:DocumentTypeCode='130']/cbc:ID", 1),
    ("UBL-SR-05", ROOT, "cac:PaymentTerms/cbc:Note", 1),
    ("UBL-SR-08", ROOT, "cac:InvoicePeriod", 1),
    ("UBL-SR-09", ROOT, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", 1),
    ("UBL-SR-10", ROOT, "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name", 1),
    ("UBL-SR-11", ROOT, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", 1),
    ("UBL-SR-14", ROOT, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm", 1),
    ("UBL-SR-15", ROOT, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", 1),
    ("UBL-SR-16", ROOT, "cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID", 1),
    ("UBL-SR-17", ROOT, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", 1),
    ("UBL-SR-24", ROOT, "cac:Delivery", 1),
    ("UBL-SR-39", ROOT, "cac:ProjectReference/cbc:ID", 1),
    ("UBL-SR-40", ROOT, "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name", 1),
    ("UBL-SR-45", ROOT, "cac:PaymentMeans/cbc:PaymentDueDate", 1),
    ("UBL-SR-49", ROOT, "cac:InvoicePeriod/cbc:DescriptionCode", 1),
    ("UBL-SR-42", ".//cac:AccountingSupplierParty/cac:Party", "cac:PartyTaxScheme", 2),
    ("UBL-SR-33", ".//cac:AdditionalDocumentReference", "cbc:DocumentDescription", 1),
    ("UBL-SR-25", ".//cac:Delivery", "cac:DeliveryParty/cac:PartyName/cbc:Name", 1),
    ("UBL-SR-34", LINE, "cbc:Note", 1),
    ("UBL-SR-35", LINE, "cac:OrderLineReference/cbc:LineID", 1),
    ("UBL-SR-36", LINE, "cac:InvoicePeriod", 1),
    ("UBL-SR-37", LINE, "cac:Price/cac:AllowanceCharge/cbc:Amount", 1),
    ("UBL-SR-50", LINE, "cac:Item/cbc:Description", 1),
    ("UBL-SR-52", LINE, "cac:DocumentReference", 1),
    ("UBL-SR-26", ".//cac:PaymentMeans", "cbc:PaymentID", 1),
    ("UBL-SR-27", ".//cac:PaymentMeans", "cbc:PaymentMeansCode", 1),
    ("UBL-SR-28", ".//cac:PaymentMeans", "cac:PaymentMandate/cbc:ID", 1),
    ("UBL-SR-06", ".//cac:BillingReference", "cac:InvoiceDocumentReference", 1),
    ("UBL-SR-22", ".//cac:TaxRepresentativeParty", "cac:PartyName/cbc:Name", 1),
    ("UBL-SR-23", ".//cac:TaxRepresentativeParty", "cac:Party/cac:PartyTaxScheme/cbc:CompanyID", 1),
    ("UBL-SR-32", ".//cac:TaxSubtotal", "cac:TaxCategory/cbc:TaxExemptionReason", 1),
)
RULES = {rule: f"{what} at most {most} time(s) in {where}" for rule, where, what, most in AT_MOST} | {
    "UBL-SR-12": "Seller VAT identifier (BT-31) at most once",
    "UBL-SR-13": "Seller tax registration identifier (BT-32) at most once",
    "UBL-SR-18": "Buyer VAT identifier (BT-48) at most once",
    "UBL-SR-29": "Bank assigned creditor identifier (BT-90, SEPA) at most once",
    "UBL-SR-30": "Document level allowance reason (BT-97) at most once per allowance",
    "UBL-SR-31": "Document level charge reason (BT-104) at most once per charge",
    "UBL-SR-44": "Payment ID (BT-83) one value only",
    "UBL-SR-46": "Payment means text (BT-82) at most once",
    "UBL-SR-47": "Payment means type code (BT-81) one value only",
    "UBL-SR-48": "Each Invoice line has exactly one VAT category (cac:ClassifiedTaxCategory)",
    "UBL-SR-51": "At most one address line (cac:AddressLine) per address",
    "UBL-SR-53": "A PartyTaxScheme has both a tax scheme and a CompanyID",
    "UBL-SR-07": "A preceding invoice reference (BG-3) has its invoice number (BT-25)",
    "UBL-SR-43": "An additional document reference with a scheme is an invoiced object (130)",
    "UBL-SR-19": "Payee name (BT-59) at most once, and not the seller's name",
    "UBL-SR-20": "Payee identifier (BT-60) at most once, and the payee not the seller",
    "UBL-SR-21": "Payee legal registration identifier (BT-61) at most once, and the payee not the seller",
    "UBL-DT-01": "Amounts shall be decimal up to two fraction digits",
    "UBL-DT-06": "Binary object elements shall contain the mime code attribute",
    "UBL-DT-07": "Binary object elements shall contain the file name attribute",
    "UBL-CR-666": "An invoiced object reference (130) shall not have an attachment",
    "UBL-CR-673": "An invoiced object reference (130) shall not have a document description",
}


def check_syntax(doc: UblDocument) -> None:
    for rule, where, what, most in AT_MOST:
        for context in _contexts(doc, where):
            if len(context.findall(what, NS)) > most:
                _report(doc, rule, context, what, most)
    root = doc.root
    _tax_ids(doc)
    _counted(doc, "UBL-SR-29", [n for n in root.iterfind(".//cac:PartyIdentification/cbc:ID", NS)
                                if (n.get("schemeID") or "").upper() == "SEPA"], "cac:PartyIdentification/cbc:ID "
             "schemeID=SEPA")
    _distinct(doc, "UBL-SR-44", ".//cbc:PaymentID")
    _distinct(doc, "UBL-SR-47", ".//cbc:PaymentMeansCode")
    _counted(doc, "UBL-SR-46", [c for c in root.iterfind("cac:PaymentMeans/cbc:PaymentMeansCode", NS)
                                if c.get("name") is not None], "cac:PaymentMeans/cbc:PaymentMeansCode/@name")
    _allowance_reasons(doc)
    _per(doc, "UBL-SR-48", doc.nodes(doc.line_tag), lambda n: len(n.findall("cac:Item/cac:ClassifiedTaxCategory", NS))
         == 1, "rindā jābūt tieši vienai PVN kategorijai (cac:Item/cac:ClassifiedTaxCategory)",
         "the line must have exactly one VAT category (cac:Item/cac:ClassifiedTaxCategory)")
    _per(doc, "UBL-SR-51", [*root.iterfind(".//cac:PostalAddress", NS), *root.iterfind(".//cac:Address", NS)],
         lambda n: len(n.findall("cac:AddressLine", NS)) <= 1, "adresē drīkst būt ne vairāk kā viena "
         "cac:AddressLine", "an address may have at most one cac:AddressLine")
    _per(doc, "UBL-SR-53", list(root.iterfind(".//cac:PartyTaxScheme", NS)),
         lambda n: n.find("cac:TaxScheme/cbc:ID", NS) is not None and n.find("cbc:CompanyID", NS) is not None,
         "cac:PartyTaxScheme jānorāda gan cbc:CompanyID, gan cac:TaxScheme/cbc:ID",
         "cac:PartyTaxScheme needs both cbc:CompanyID and cac:TaxScheme/cbc:ID")
    _per(doc, "UBL-SR-07", list(root.iterfind(".//cac:BillingReference", NS)),
         lambda n: n.find("cac:InvoiceDocumentReference/cbc:ID", NS) is not None,
         "atsaucei uz iepriekšējo rēķinu jānorāda tā numurs (BT-25, cac:InvoiceDocumentReference/cbc:ID)",
         "a preceding invoice reference needs its number (BT-25, cac:InvoiceDocumentReference/cbc:ID)")
    _per(doc, "UBL-SR-43", list(root.iterfind(".//cac:AdditionalDocumentReference", NS)),
         lambda n: _invoiced_object(doc, n), "dokumenta atsaucei ar shēmu (schemeID) jābūt rēķinātajam objektam, "
         "DocumentTypeCode 130", "a document reference with a schemeID must be an invoiced object, DocumentTypeCode "
         "130")
    _payee(doc)
    _data_types(doc)


def _tax_ids(doc: UblDocument) -> None:
    """UBL-SR-12, -13, -18: one VAT identifier and one tax registration identifier per party."""
    for rule, party, vat in (("UBL-SR-12", "cac:AccountingSupplierParty", True),
                             ("UBL-SR-13", "cac:AccountingSupplierParty", False),
                             ("UBL-SR-18", "cac:AccountingCustomerParty", True)):
        ids = [s for s in doc.nodes(f"{party}/cac:Party/cac:PartyTaxScheme")
               if ((doc.text("cac:TaxScheme/cbc:ID", s) or "").upper() == "VAT") == vat
               and s.find("cbc:CompanyID", NS) is not None]
        if len(ids) > 1:
            _report(doc, rule, doc.root, f"{party}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", 1)


def _contexts(doc: UblDocument, where: str) -> list[etree._Element]:
    if where == ROOT:
        return [doc.root]
    if where == LINE:
        return doc.nodes(doc.line_tag)
    return list(doc.root.iterfind(where, NS))


def _report(doc: UblDocument, rule: str, context: etree._Element, what: str, most: int) -> None:
    where = doc.where(context)
    times_lv, times_en = ("vienu reizi", "once") if most == 1 else (f"{most} reizes", f"{most} times")
    doc.problems.append(doc.problem(rule, f"{where}: {what} drīkst būt ne vairāk kā {times_lv}; izņemiet liekos.",
                                    f"{where}: {what} may occur at most {times_en}; remove the others.", where))


def _counted(doc: UblDocument, rule: str, nodes: list, what: str) -> None:
    if len(nodes) > 1:
        _report(doc, rule, doc.root, what, 1)


def _distinct(doc: UblDocument, rule: str, xpath: str) -> None:
    values = {(n.text or "") for n in doc.root.iterfind(xpath, NS)}
    if len(values) > 1:
        what = xpath.removeprefix(".//")
        doc.problems.append(doc.problem(rule, f"Visiem {what} jābūt vienādiem; norādītas {len(values)} dažādas vērtības.",
                                        f"Every {what} must have the same value; there are {len(values)} different "
                                        "ones.", doc.path("")))


def _allowance_reasons(doc: UblDocument) -> None:
    for node in doc.root.iterfind(".//cac:AllowanceCharge", NS):
        charge = charge_indicator(doc, node)
        if charge is not None and len(node.findall("cbc:AllowanceChargeReason", NS)) > 1:
            _report(doc, "UBL-SR-31" if charge else "UBL-SR-30", node, "cbc:AllowanceChargeReason", 1)


def _per(doc: UblDocument, rule: str, nodes: list, holds: Callable[[etree._Element], bool], lv: str, en: str) -> None:
    for node in nodes:
        if not holds(node):
            where = doc.where(node)
            doc.problems.append(doc.problem(rule, f"{where}: {lv}.", f"{where}: {en}.", where))


def _invoiced_object(doc: UblDocument, node: etree._Element) -> bool:
    code = node.findtext("cbc:DocumentTypeCode", namespaces=NS)
    if code == "130" or (doc.kind == "CreditNote" and code == "50"):
        return True
    identifier = node.find("cbc:ID", NS)
    return code is None and (identifier is None or identifier.get("schemeID") is None)


def _payee(doc: UblDocument) -> None:
    """UBL-SR-19..21: each also needs a payee name other than the seller's registration name."""
    payee = doc.node("cac:PayeeParty")
    if payee is None:
        return
    names = [n.text or "" for n in payee.findall("cac:PartyName/cbc:Name", NS)]
    seller = [n.text or "" for n in doc.nodes("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/"
                                              "cbc:RegistrationName")]
    other = any(name != s for name in names for s in seller)
    ids = [i for i in payee.findall("cac:PartyIdentification/cbc:ID", NS) if (i.get("schemeID") or "").upper() != "SEPA"]
    for rule, count, what in (("UBL-SR-19", len(names), "cac:PartyName/cbc:Name"),
                              ("UBL-SR-20", len(ids), "cac:PartyIdentification/cbc:ID"),
                              ("UBL-SR-21", len(payee.findall("cac:PartyLegalEntity/cbc:CompanyID", NS)),
                               "cac:PartyLegalEntity/cbc:CompanyID")):
        if count > 1 or not other:
            where = doc.where(payee)
            doc.problems.append(doc.problem(
                rule, f"{where}: {what} drīkst būt ne vairāk kā vienu reizi, un maksājuma saņēmējam (BG-10) jābūt ar "
                "savu nosaukumu (BT-59), kas nav pārdevēja nosaukums; ja saņēmējs ir pārdevējs, izņemiet cac:PayeeParty.",
                f"{where}: {what} may occur at most once, and the payee (BG-10) needs its own name (BT-59), not the "
                "seller's; if the payee is the seller, remove cac:PayeeParty.", where))


def _data_types(doc: UblDocument) -> None:
    for node in doc.root.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        if name.endswith("Amount") and not name.endswith("PriceAmount") and not _in_price_allowance(node):
            if len((node.text or "").partition(".")[2]) > 2:
                where = doc.where(node)
                doc.problems.append(doc.problem("UBL-DT-01", f"{where}: summā drīkst būt ne vairāk kā divi cipari aiz "
                                                "komata; noapaļojiet to līdz centiem.", f"{where}: an amount may "
                                                "have at most two decimals; round it to cents.", where))
        if name.endswith("BinaryObject"):
            for rule, attribute, lv, en in (("UBL-DT-06", "mimeCode", "MIME tips (mimeCode)", "its MIME code (mimeCode)"),
                                            ("UBL-DT-07", "filename", "datnes nosaukums (filename)",
                                             "its file name (filename)")):
                if node.get(attribute) is None:
                    where = doc.where(node)
                    doc.problems.append(doc.problem(rule, f"{where}: pielikumam jānorāda {lv}.",
                                                    f"{where}: the attachment needs {en}.", where))
    for rule, child in (("UBL-CR-666", "cac:Attachment"), ("UBL-CR-673", "cbc:DocumentDescription")):
        if doc.root.find(f".//cac:AdditionalDocumentReference[cbc:DocumentTypeCode='130']/{child}", NS) is not None:
            doc.report(rule, f"Atsaucē uz rēķināto objektu (DocumentTypeCode 130) nedrīkst būt {child}; izņemiet to.",
                       f"An invoiced object reference (DocumentTypeCode 130) must not have {child}; remove it.",
                       "cac:AdditionalDocumentReference")


def _in_price_allowance(node: etree._Element) -> bool:
    return any(etree.QName(a).localname == "AllowanceCharge" and a.getparent() is not None
               and etree.QName(a.getparent()).localname == "Price" for a in node.iterancestors())
