"""Bugs found in the first rules, each with the official rule's behaviour (PEPPOL BIS Billing
3.0.19), and numbers too large to calculate with (issue 16, finding 4): a rule failure with
a message, never an exception."""
from __future__ import annotations

import pytest
from lxml import etree

from builder.documents import en16931, read_document
from builder.documents.ubl import NS
from tests.builder.invoices import AllowanceCharge, Line, add_after, edits, invoice, remove, set_text

TOTALS = "cac:LegalMonetaryTotal"


def fatal(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


@pytest.mark.parametrize("xpath, value, rule", [
    ("cac:InvoiceLine/cbc:LineExtensionAmount", "1E+30", "PKIP-UBL-02"),
    ("cac:InvoiceLine/cbc:LineExtensionAmount", "1e999999999", "PKIP-UBL-02"),
    ("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "1E+50", "PKIP-UBL-02"),
    ("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "1E+50", "PKIP-UBL-02"),
    ("cac:InvoiceLine/cbc:InvoicedQuantity", "NaN", "PKIP-UBL-02"),
    ("cac:InvoiceLine/cbc:LineExtensionAmount", "1" + "0" * 40, "PKIP-UBL-03"),
    (f"{TOTALS}/cbc:PayableAmount", "0." + "1" * 30, "PKIP-UBL-03"),
])
def test_a_huge_or_exponent_number_is_a_rule_failure_not_an_exception(xpath, value, rule):
    reading = read_document("en16931", invoice(set_text(xpath, value)))
    problems = [p for p in reading.problems if p.rule_id == rule]
    assert len(problems) == 1 and not reading.ok
    assert value[:20] in problems[0].message["en"] and problems[0].message["lv"]
    assert problems[0].path.startswith("/Invoice/")


def test_twenty_digits_either_side_are_still_calculated_exactly():
    big = "9" * 19         # with 21 % VAT the total has 20 digits
    data = invoice(lines=[Line(quantity="1", price=f"{big}.00")])
    assert fatal(data) == []


def test_br_co_25_does_not_apply_to_a_credit_note():
    assert fatal(invoice(kind="CreditNote")) == []
    assert fatal(invoice(due_date=None)) == ["BR-CO-25"]
    # payment terms (BT-20) do instead of a due date; the payment means' PaymentDueDate does not,
    # as the official rule looks for cbc:DueDate
    assert fatal(invoice(_payment_terms, due_date=None)) == []
    assert fatal(invoice(add_after("cac:PaymentMeans/cbc:PaymentMeansCode", "cbc:PaymentDueDate", "2026-03-04"),
                         due_date=None)) == ["BR-CO-25"]


def _payment_terms(root):
    add_after("cac:PaymentMeans", "cac:PaymentTerms")(root)
    terms = root.find("cac:PaymentTerms", NS)
    etree.SubElement(terms, f"{{{NS['cbc']}}}Note").text = "30 dienu laikā"


def test_br_co_25_a_zero_amount_due_needs_no_due_date():
    zero = edits(*(set_text(f"{TOTALS}/cbc:{tag}", "0.00") for tag in ("PayableAmount",)),
                 add_after(f"{TOTALS}/cbc:TaxInclusiveAmount", "cbc:PrepaidAmount", "121.00", currencyID="EUR"))
    assert fatal(invoice(zero, due_date=None)) == []


def test_r004_is_starts_with_as_the_official_rule():
    extended = set_text("cbc:CustomizationID", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:"
                        "billing:3.0#conformant#urn:example:extension")
    assert fatal(invoice(extended)) == []
    assert fatal(invoice(set_text("cbc:CustomizationID", "urn:cen.eu:en16931:2017"))) == ["PEPPOL-EN16931-R004"]


@pytest.mark.parametrize("tax, ok", [("21.99", True), ("22.00", False), ("20.01", True), ("20.00", False)])
def test_br_co_17_tolerance_is_strictly_below_one_unit(tax, ok):
    # 100.00 at 21 % is 21.00; the totals follow the stated tax
    total = f"{100 + float(tax):.2f}"
    data = invoice(edits(set_text("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", tax),
                         set_text("cac:TaxTotal/cbc:TaxAmount", tax),
                         set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", total),
                         set_text(f"{TOTALS}/cbc:PayableAmount", total)))
    assert fatal(data) == ([] if ok else ["BR-CO-17", "BR-S-09"])


def test_br_co_15_needs_exactly_one_vat_total_in_the_invoice_currency():
    assert fatal(invoice(set_text("cac:TaxTotal/cbc:TaxAmount", "21.00"))) == []
    # a second TaxTotal in the invoice currency: BR-CO-15 (and Peppol's R054 for a total without subtotals)
    second = add_after("cac:TaxTotal", "cac:TaxTotal")

    def with_amount(root):
        second(root)
        total = root.findall("cac:TaxTotal", NS)[1]
        etree.SubElement(total, f"{{{NS['cbc']}}}TaxAmount", currencyID="EUR").text = "21.00"
    assert fatal(invoice(with_amount)) == ["BR-CO-15", "PEPPOL-EN16931-R054"]


def test_br_co_13_adds_up_the_header_sum_bt_106_not_the_lines():
    # lines 100 + 100, header BT-106 says 210: BR-CO-10 only while BT-109 follows BT-106
    data = invoice(edits(set_text(f"{TOTALS}/cbc:LineExtensionAmount", "210.00")),
                   lines=[Line(quantity="1", price="100.00"), Line(quantity="1", price="100.00")])
    assert fatal(data) == ["BR-CO-10", "BR-CO-13"]
    data = invoice(edits(set_text(f"{TOTALS}/cbc:LineExtensionAmount", "210.00"),
                         set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", "210.00"),
                         set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", "252.00"),
                         set_text(f"{TOTALS}/cbc:PayableAmount", "252.00")),
                   lines=[Line(quantity="1", price="100.00"), Line(quantity="1", price="100.00")])
    assert fatal(data) == ["BR-CO-10"]


def test_br_co_13_adds_charges_and_subtracts_allowances():
    data = invoice(allowances=[AllowanceCharge(True, "10.00"), AllowanceCharge(False, "4.00")])
    assert fatal(data) == []
    swapped = invoice(set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", "86.00"),
                      allowances=[AllowanceCharge(True, "10.00"), AllowanceCharge(False, "4.00")])
    assert "BR-CO-13" in fatal(swapped)


def test_a_warning_does_not_reject_and_the_engine_ignores_it():
    data = invoice(set_text("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "40003000003"))
    reading = en16931.read(data)
    assert [(p.rule_id, p.severity) for p in reading.problems] == [("PKIP-ID-0218", "warning")]
    assert reading.ok and reading.fatal == ()


def test_removing_the_due_date_of_a_credit_note_changes_nothing():
    assert fatal(invoice(remove("cac:PaymentMeans"), kind="CreditNote")) == []
