"""The boundaries of the EN 16931 calculation rules: BR-CO-25 on a payable of zero, just
above it and below it; BR-CO-17's zero rate and XPath rounding half-way up; BR-CO-13 and
BR-CO-16 with charges, allowances, prepaid and rounding amounts; a mandatory address
present but empty."""
from __future__ import annotations

from decimal import Decimal

import pytest

from builder.documents import en16931
from builder.documents.en16931_rules import _round
from tests.builder.invoices import AllowanceCharge, Line, add_after, edits, find, invoice, set_text

TOTALS = "cac:LegalMonetaryTotal"


def rules(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


def prepaid(amount: str, payable: str):
    """`amount` paid already (BT-113), the payable (BT-115) stated as `payable`."""
    return edits(add_after(f"{TOTALS}/cbc:TaxInclusiveAmount", "cbc:PrepaidAmount", amount, currencyID="EUR"),
                 set_text(f"{TOTALS}/cbc:PayableAmount", payable))


@pytest.mark.parametrize("paid, payable, needs_terms", [
    ("121.00", "0.00", False),        # nothing left to pay: no due date needed
    ("120.99", "0.01", True),         # one cent left: a due date or terms
    ("121.01", "-0.01", False),       # overpaid
])
def test_br_co_25_asks_for_payment_terms_only_when_something_is_left_to_pay(paid, payable, needs_terms):
    data = invoice(prepaid(paid, payable), due_date=None)
    assert rules(data) == (["BR-CO-25"] if needs_terms else [])
    assert rules(invoice(prepaid(paid, payable))) == []         # with a due date, never


def test_br_co_25_is_met_by_payment_terms_and_not_asked_of_a_credit_note():
    terms = add_after("cac:PaymentMeans", "cac:PaymentTerms")

    def with_note(root):
        terms(root)
        node = find(root, "cac:PaymentTerms")
        note = node.makeelement("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}Note")
        note.text = "30 dienu laikā"
        node.append(note)
    assert rules(invoice(with_note, due_date=None)) == []
    assert "BR-CO-25" in rules(invoice(terms, due_date=None))      # terms without a note say nothing
    assert rules(invoice(kind="CreditNote", due_date=None)) == []


@pytest.mark.parametrize("value, rounded", [("0.5", 1), ("0.49", 0), ("-0.5", 0), ("-0.51", -1), ("2.5", 3),
                                            ("0", 0)])
def test_round_is_xpath_round_half_way_towards_positive_infinity(value, rounded):
    assert _round(Decimal(value)) == rounded


@pytest.mark.parametrize("tax, ok", [("0.49", True), ("0.50", False), ("-0.50", True), ("-0.51", False)])
def test_br_co_17_a_zero_rate_allows_a_tax_that_rounds_to_zero(tax, ok):
    total = f"{Decimal('100.00') + Decimal(tax):.2f}"
    data = invoice(edits(set_text("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", tax),
                         set_text("cac:TaxTotal/cbc:TaxAmount", tax), set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", total),
                         set_text(f"{TOTALS}/cbc:PayableAmount", total)), lines=[Line("Z", "0")])
    assert ("BR-CO-17" in rules(data)) is not ok


@pytest.mark.parametrize("rate, refused", [("0.49", True), ("0.5", False)])
def test_br_co_17_a_rate_that_rounds_to_zero_is_a_zero_rate(rate, refused):
    # a tax of 0.60 on 100.00: within one unit of 100.00 x rate, but not a tax that rounds to zero
    data = invoice(edits(set_text("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "0.60"),
                         set_text("cac:TaxTotal/cbc:TaxAmount", "0.60"), set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", "100.60"),
                         set_text(f"{TOTALS}/cbc:PayableAmount", "100.60")), lines=[Line("S", rate)])
    problems = [p.message["en"] for p in en16931.read(data).problems if p.rule_id == "BR-CO-17"]
    assert problems == ([f"VAT category tax amount (BT-117) 0.60 is not VAT category taxable amount (BT-116) 100.00 x "
                         f"(VAT category rate (BT-119) {rate} / 100) = 0.00, rounded to two decimals."] if refused else [])


def test_br_co_17_compares_amounts_of_a_credit_note_by_their_size():
    negative = edits(*(set_text(xpath, f"-{value}") for xpath, value in (
        ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "100.00"), ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "21.00"))))
    assert "BR-CO-17" not in rules(invoice(negative, kind="CreditNote"))
    wrong = edits(negative, set_text("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "-22.00"))
    assert "BR-CO-17" in rules(invoice(wrong, kind="CreditNote"))


def test_br_co_13_and_16_count_charges_allowances_prepaid_and_rounding_each_with_its_sign():
    charged = [AllowanceCharge(True, "10.00"), AllowanceCharge(False, "4.00")]
    assert rules(invoice(allowances=charged)) == []
    for without in ("94.00", "114.00", "90.00", "110.00"):     # each sign the wrong way, or one of them left out
        assert "BR-CO-13" in rules(invoice(set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", without), allowances=charged))
    rounding = edits(prepaid("21.00", "100.01"),
                     add_after(f"{TOTALS}/cbc:PrepaidAmount", "cbc:PayableRoundingAmount", "0.01", currencyID="EUR"))
    assert rules(invoice(rounding)) == []
    wrong = edits(rounding, set_text(f"{TOTALS}/cbc:PayableAmount", "99.99"))
    [problem] = [p for p in en16931.read(invoice(wrong)).problems if p.rule_id == "BR-CO-16"]
    assert problem.message["en"].endswith("the document says 99.99, the calculation gives 100.01.")


def test_a_postal_address_present_but_empty_is_there_an_empty_name_is_not():
    def empty_address(root):
        address = find(root, "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress")
        for child in list(address):
            address.remove(child)
    assert "BR-10" not in rules(invoice(empty_address))
    assert "BR-11" in rules(invoice(empty_address))
    blank = set_text("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", "  ")
    assert "BR-07" in rules(invoice(blank))
