"""Each rule of `en16931_rules` says exactly what is wrong and where: its id, the place
in the document and the message in Latvian and English, written out here in full (a
message is what the supplier reads to fix the invoice, so a changed word is a change)."""
from __future__ import annotations

import pytest

from builder.documents import en16931
from tests.builder.invoices import AllowanceCharge, Line, edits, find, invoice, remove, set_text

TOTALS = "cac:LegalMonetaryTotal"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def tax_stated(tax: str, total: str):
    """The breakdown's and the total's VAT set to `tax`, the totals following it."""
    return edits(set_text("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", tax), set_text("cac:TaxTotal/cbc:TaxAmount", tax),
                 set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", total), set_text(f"{TOTALS}/cbc:PayableAmount", total))


def in_dollars(root) -> None:
    """The VAT total stated in another currency than the invoice's."""
    find(root, "cac:TaxTotal/cbc:TaxAmount").set("currencyID", "USD")


CASES = {
    "R004": (invoice(set_text("cbc:CustomizationID", "urn:wrong")), "PEPPOL-EN16931-R004", "/Invoice/cbc:CustomizationID",
             f"Specifikācijas identifikatoram (BT-24) jāsākas ar „{CUSTOMIZATION}”, nevis „urn:wrong”.",
             f"Specification identifier (BT-24) MUST start with '{CUSTOMIZATION}', not 'urn:wrong'."),
    "R001": (invoice(remove("cbc:ProfileID")), "PEPPOL-EN16931-R001", "/Invoice/cbc:ProfileID",
             "Jānorāda biznesa process (ProfileID).", "Business process (ProfileID) MUST be provided."),
    "R007": (invoice(set_text("cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:1:1.0")), "PEPPOL-EN16931-R007",
             "/Invoice/cbc:ProfileID",
             "Biznesa procesam jābūt formā „urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0”, nevis "
             "„urn:fdc:peppol.eu:2017:poacc:billing:1:1.0”.",
             "Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0', not "
             "'urn:fdc:peppol.eu:2017:poacc:billing:1:1.0'."),
    "R003": (invoice(remove("cbc:BuyerReference")), "PEPPOL-EN16931-R003", "/Invoice/cbc:BuyerReference",
             "Jānorāda pircēja atsauce (BT-10) vai pasūtījuma numurs (BT-13).",
             "A buyer reference (BT-10) or purchase order reference (BT-13) MUST be provided."),
    "BR-04": (invoice(remove("cbc:CreditNoteTypeCode"), kind="CreditNote"), "BR-04", "/CreditNote/cbc:CreditNoteTypeCode",
              "Rēķinā jābūt: rēķina veida kods.", "An Invoice shall have the Invoice type code (BT-3)."),
    "BR-08": (invoice(remove("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress")), "BR-08",
              "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress",
              "Rēķinā jābūt: pārdevēja pasta adrese.", "An Invoice shall have the Seller postal address (BG-5)."),
    "BR-16": (invoice(remove("cac:InvoiceLine")), "BR-16", "/Invoice/cac:InvoiceLine",
              "Rēķinā jābūt vismaz vienai rindai.", "An Invoice shall have at least one Invoice line (BG-25)."),
    "BR-22": (invoice(remove("cac:CreditNoteLine/cbc:CreditedQuantity"), kind="CreditNote"), "BR-22",
              "/CreditNote/cac:CreditNoteLine[1]/cbc:CreditedQuantity",
              "Rēķina 1. rindā jābūt: daudzums.", "Invoice line 1 shall have an Invoiced quantity (BT-129)."),
    "BR-25": (invoice(remove("cac:InvoiceLine[2]/cac:Item/cbc:Name"), lines=[Line(), Line()]), "BR-25",
              "/Invoice/cac:InvoiceLine[2]/cac:Item/cbc:Name",
              "Rēķina 2. rindā jābūt: preces nosaukums.", "Invoice line 2 shall have an Item name (BT-153)."),
    "BR-CO-18": (invoice(remove("cac:TaxTotal/cac:TaxSubtotal")), "BR-CO-18", "/Invoice/cac:TaxTotal",
                 "Rēķinā jābūt vismaz vienai PVN sadalījuma grupai.",
                 "An Invoice shall at least have one VAT breakdown group (BG-23)."),
    "BR-CO-10": (invoice(set_text(f"{TOTALS}/cbc:LineExtensionAmount", "99.00")), "BR-CO-10",
                 f"/Invoice/{TOTALS}/cbc:LineExtensionAmount",
                 "Rindu neto summu kopsumma (BT-106) = Σ rindu neto summas (BT-131): norādīts 99.00, aprēķināts 100.00.",
                 "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131): the document says "
                 "99.00, the calculation gives 100.00."),
    "BR-CO-13": (invoice(set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", "86.00"),
                         allowances=[AllowanceCharge(True, "10.00"), AllowanceCharge(False, "4.00")]), "BR-CO-13",
                 f"/Invoice/{TOTALS}/cbc:TaxExclusiveAmount",
                 "Kopsumma bez PVN (BT-109) = rindu neto summu kopsumma (BT-106) − atlaides (BT-107) + uzcenojumi "
                 "(BT-108): norādīts 86.00, aprēķināts 106.00.",
                 "Invoice total amount without VAT (BT-109) = Sum of Invoice line net amount (BT-106) - Sum of "
                 "allowances on document level (BT-107) + Sum of charges on document level (BT-108): the document "
                 "says 86.00, the calculation gives 106.00."),
    "BR-CO-14": (invoice(set_text("cac:TaxTotal/cbc:TaxAmount", "20.00")), "BR-CO-14", "/Invoice/cac:TaxTotal[1]/cbc:TaxAmount",
                 "PVN kopsumma (BT-110) = Σ PVN kategoriju nodokļa summas (BT-117): norādīts 20.00, aprēķināts 21.00.",
                 "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117): the document says 20.00, "
                 "the calculation gives 21.00."),
    "BR-CO-15": (invoice(set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", "120.00")), "BR-CO-15",
                 f"/Invoice/{TOTALS}/cbc:TaxInclusiveAmount",
                 "Kopsumma ar PVN (BT-112) = kopsumma bez PVN (BT-109) + PVN kopsumma (BT-110): norādīts 120.00, "
                 "aprēķināts 121.00.",
                 "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total "
                 "VAT amount (BT-110): the document says 120.00, the calculation gives 121.00."),
    "BR-CO-15 currency": (invoice(in_dollars),
                          "BR-CO-15", "/Invoice/cac:TaxTotal",
                          "Rēķinā jābūt tieši vienai PVN kopsummai (BT-110) rēķina valūtā EUR, nevis 0; norādiet "
                          "cac:TaxTotal/cbc:TaxAmount ar currencyID=\"EUR\".",
                          "The invoice must have exactly one Invoice total VAT amount (BT-110) in the invoice currency "
                          "EUR, not 0; give cac:TaxTotal/cbc:TaxAmount with currencyID=\"EUR\"."),
    "BR-CO-16": (invoice(set_text(f"{TOTALS}/cbc:PayableAmount", "120.00")), "BR-CO-16",
                 f"/Invoice/{TOTALS}/cbc:PayableAmount",
                 "Maksājamā summa (BT-115) = kopsumma ar PVN (BT-112) − samaksātā summa (BT-113) + noapaļojums "
                 "(BT-114): norādīts 120.00, aprēķināts 121.00.",
                 "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) - Paid amount (BT-113) + "
                 "Rounding amount (BT-114): the document says 120.00, the calculation gives 121.00."),
    "BR-CO-25": (invoice(due_date=None), "BR-CO-25", "/Invoice/cbc:DueDate",
                 "Ja maksājamā summa ir pozitīva, jānorāda apmaksas termiņš vai maksājuma noteikumi.",
                 "In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the "
                 "Payment terms (BT-20) shall be present."),
    "BR-CO-17": (invoice(tax_stated("23.00", "123.00")), "BR-CO-17", "/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxAmount",
                 "PVN kategorijas S 21 % nodokļa summa 23.00 nav vienāda ar ar nodokli apliekamo summu 100.00 × "
                 "likme / 100 = 21.00.",
                 "VAT category tax amount (BT-117) 23.00 is not VAT category taxable amount (BT-116) 100.00 x (VAT "
                 "category rate (BT-119) 21 / 100) = 21.00, rounded to two decimals."),
    "BR-CO-17 no category": (invoice(edits(tax_stated("23.00", "123.00"),
                                           remove("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID"))), "BR-CO-17",
                             "/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxAmount",
                             "PVN kategorijas  21 % nodokļa summa 23.00 nav vienāda ar ar nodokli apliekamo summu 100.00 × "
                             "likme / 100 = 21.00.",
                             "VAT category tax amount (BT-117) 23.00 is not VAT category taxable amount (BT-116) 100.00 x "
                             "(VAT category rate (BT-119) 21 / 100) = 21.00, rounded to two decimals."),
    "BR-CO-17 zero rate": (invoice(tax_stated("1.00", "101.00"), lines=[Line("Z", "0")]), "BR-CO-17",
                           "/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxAmount",
                           "PVN kategorijas Z 0 % nodokļa summa 1.00 nav vienāda ar ar nodokli apliekamo summu 100.00 × "
                           "likme / 100 = 0.00.",
                           "VAT category tax amount (BT-117) 1.00 is not VAT category taxable amount (BT-116) 100.00 x "
                           "(VAT category rate (BT-119) 0 / 100) = 0.00, rounded to two decimals."),
    "BR-CO-17 no rate": (invoice(tax_stated("1.00", "101.00"), lines=[Line("O", None)], seller_vat=None), "BR-CO-17",
                         "/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxAmount",
                         "PVN kategorijas O 0 % nodokļa summa 1.00 nav vienāda ar ar nodokli apliekamo summu 100.00 × "
                         "likme / 100 = 0.00.",
                         "VAT category tax amount (BT-117) 1.00 is not VAT category taxable amount (BT-116) 100.00 x "
                         "(VAT category rate (BT-119) 0 / 100) = 0.00, rounded to two decimals."),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_says_what_and_where_in_both_languages(case):
    data, rule_id, path, lv, en = CASES[case]
    found = [(p.path, p.message["lv"], p.message["en"], p.severity)
             for p in en16931.read(data).problems if p.rule_id == rule_id]
    assert found == [(path, lv, en, "fatal")]
