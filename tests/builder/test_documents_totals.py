"""The e-invoice total rules on the cases no fixture had: document-level allowances and
charges (BR-CO-13 adds the charges and subtracts the allowances) and an amount due of zero
or less (BR-CO-25 asks for payment terms only when something is to be paid).

Each invoice is the valid fixture with its totals rewritten; the tests look at the rule
under test only, as other rules (BR-CO-11/12 on the allowance elements, the VAT breakdown)
have their own tests."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.ubl import NS

FIXTURES = Path(__file__).resolve().parents[2] / "definitions" / "fixtures" / "e-invoice"
VALID = (FIXTURES / "valid.xml").read_bytes()
# UBL's order of the LegalMonetaryTotal children (the schema fixes it)
TOTAL_ORDER = ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount",
               "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount", "PayableAmount")


def with_totals(*, due_date: bool = True, **amounts: str) -> bytes:
    """The valid invoice (lines 500.00 + 100.00, VAT 117.00) with these LegalMonetaryTotal
    amounts set (by element name) and, unless `due_date`, without its due date."""
    root = etree.fromstring(VALID)
    totals = root.find("cac:LegalMonetaryTotal", NS)
    values = {etree.QName(child).localname: child.text for child in totals}
    values.update(amounts)
    for child in list(totals):
        totals.remove(child)
    for name in TOTAL_ORDER:
        if name in values:
            element = etree.SubElement(totals, f"{{{NS['cbc']}}}{name}", currencyID="EUR")
            element.text = values[name]
    if not due_date:
        root.remove(root.find("cbc:DueDate", NS))
    assert root.find("cac:PaymentTerms", NS) is None, "the fixture must not carry payment terms"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def rule_ids(data: bytes) -> list[str]:
    return sorted(problem.rule_id for problem in en16931.read(data).problems)


def test_document_level_charges_are_added_and_allowances_subtracted():
    # 600.00 of lines - 10.00 allowance + 30.00 charge = 620.00 without VAT; + 117.00 VAT
    right = with_totals(AllowanceTotalAmount="10.00", ChargeTotalAmount="30.00", TaxExclusiveAmount="620.00",
                        TaxInclusiveAmount="737.00", PayableAmount="737.00")
    assert "BR-CO-13" not in rule_ids(right)


@pytest.mark.parametrize("without_vat, with_vat", [
    ("580.00", "697.00"),     # charges subtracted and allowances added: the signs swapped
    ("640.00", "757.00"),     # both added
    ("560.00", "677.00"),     # both subtracted
    ("600.00", "717.00"),     # both ignored
])
def test_a_total_without_vat_that_gets_the_signs_wrong_breaks_br_co_13(without_vat, with_vat):
    wrong = with_totals(AllowanceTotalAmount="10.00", ChargeTotalAmount="30.00", TaxExclusiveAmount=without_vat,
                        TaxInclusiveAmount=with_vat, PayableAmount=with_vat)
    [problem] = [p for p in en16931.read(wrong).problems if p.rule_id == "BR-CO-13"]
    assert "620.00" in problem.message["en"]


def test_an_allowance_alone_or_a_charge_alone_counts_with_its_own_sign():
    allowance = with_totals(AllowanceTotalAmount="0.50", TaxExclusiveAmount="599.50",
                            TaxInclusiveAmount="716.50", PayableAmount="716.50")
    charge = with_totals(ChargeTotalAmount="0.50", TaxExclusiveAmount="600.50",
                         TaxInclusiveAmount="717.50", PayableAmount="717.50")
    assert "BR-CO-13" not in rule_ids(allowance) and "BR-CO-13" not in rule_ids(charge)
    swapped = with_totals(ChargeTotalAmount="0.50", TaxExclusiveAmount="599.50",
                          TaxInclusiveAmount="716.50", PayableAmount="716.50")
    assert "BR-CO-13" in rule_ids(swapped)


def test_a_paid_invoice_with_nothing_due_needs_no_due_date_or_payment_terms():
    paid = with_totals(due_date=False, PrepaidAmount="717.00", PayableAmount="0.00")
    assert "BR-CO-25" not in rule_ids(paid)


def test_a_credit_balance_needs_no_due_date_either():
    overpaid = with_totals(due_date=False, PrepaidAmount="720.00", PayableAmount="-3.00")
    assert "BR-CO-25" not in rule_ids(overpaid)


def test_one_cent_due_without_a_due_date_or_payment_terms_breaks_br_co_25():
    due = with_totals(due_date=False, PrepaidAmount="716.99", PayableAmount="0.01")
    assert "BR-CO-25" in rule_ids(due)
    assert "BR-CO-25" not in rule_ids(with_totals(PrepaidAmount="716.99", PayableAmount="0.01"))
