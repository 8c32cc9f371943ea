"""The VAT category families by their official ids (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G,
BR-O) and BR-CO-04: for each rule a valid invoice of that category, and the same invoice
changed to break that rule. Where the official rules make a second rule fail with it (the
same arithmetic stated twice, as BR-CO-17 and BR-x-09), the test names both."""
from __future__ import annotations

import copy

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.ubl import NS
from tests.builder.invoices import AllowanceCharge, Line, add_after, edits, find, invoice, remove, set_text

SUB = "cac:TaxTotal/cac:TaxSubtotal"
LINE_CATEGORY = "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory"
DOC_CATEGORY = "cac:AllowanceCharge/cac:TaxCategory"

# category -> what a valid invoice of that category needs
BASES = {
    "S": {},
    "Z": {"lines": [Line("Z", "0")]},
    "E": {"lines": [Line("E", "0")]},
    "AE": {"lines": [Line("AE", "0")], "buyer_vat": "LV90011524360"},
    "K": {"lines": [Line("K", "0")], "buyer_vat": "DE123456789", "delivery_date": "2026-01-30",
          "delivery_country": "DE"},
    "G": {"lines": [Line("G", "0")]},
    "O": {"lines": [Line("O", None)], "seller_vat": None},
}
PREFIX = {"S": "BR-S", "Z": "BR-Z", "E": "BR-E", "AE": "BR-AE", "K": "BR-IC", "G": "BR-G", "O": "BR-O"}


def fatal(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


def base(code: str, **more) -> dict:
    options = copy.deepcopy(BASES[code])
    options.update(more)
    return options


def with_document_level(code: str) -> dict:
    rate = None if code == "O" else ("21" if code == "S" else "0")
    return base(code, allowances=[AllowanceCharge(False, "10.00", code, rate),
                                  AllowanceCharge(True, "5.00", code, rate)])


@pytest.mark.parametrize("code", sorted(BASES))
def test_a_valid_invoice_of_each_category_passes_every_rule(code):
    assert fatal(invoice(**base(code))) == []
    assert fatal(invoice(**with_document_level(code))) == []
    assert fatal(invoice(**base(code, kind="CreditNote"))) == []


def _duplicate_subtotal(root):
    sub = find(root, SUB)
    sub.addnext(copy.deepcopy(sub))


@pytest.mark.parametrize("code", ["Z", "E", "AE", "K", "G", "O"])
def test_01_exactly_one_breakdown_group_of_the_category(code):
    # two groups, each with the whole taxable amount: only the count is wrong
    assert fatal(invoice(_duplicate_subtotal, **base(code))) == [f"{PREFIX[code]}-01"]


def test_br_s_01_s_lines_need_an_s_group_and_an_s_group_needs_s_items():
    def relabel(root):      # the S line becomes Z while the breakdown stays S
        find(root, f"{LINE_CATEGORY}/cbc:ID").text = "Z"
        find(root, f"{LINE_CATEGORY}/cbc:Percent").text = "0"
    # the S group then has nothing to add up (BR-S-08) and the Z line no group (BR-Z-01)
    assert fatal(invoice(relabel)) == ["BR-S-01", "BR-S-08", "BR-Z-01"]


@pytest.mark.parametrize("code", ["S", "Z", "E", "AE", "G"])
def test_02_03_04_the_seller_needs_a_vat_identifier(code):
    options = with_document_level(code)
    options["seller_vat"] = None
    prefix = PREFIX[code]
    assert fatal(invoice(**options)) == [f"{prefix}-02", f"{prefix}-03", f"{prefix}-04"]
    assert fatal(invoice(**base(code, seller_vat=None))) == [f"{prefix}-02"]


def test_a_seller_tax_registration_identifier_is_enough_for_s_but_not_for_g():
    def local_tax_id(root):
        scheme = find(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")
        find(scheme, "cac:TaxScheme/cbc:ID").text = "TAX"
    assert fatal(invoice(local_tax_id)) == []
    assert fatal(invoice(local_tax_id, **base("G"))) == ["BR-G-02"]


def test_br_ae_02_the_buyer_needs_a_vat_or_legal_registration_identifier():
    assert fatal(invoice(remove("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
                         **base("AE"))) == []          # the VAT identifier is enough
    assert fatal(invoice(remove("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
                         **base("AE", buyer_vat=None))) == ["BR-AE-02"]


def test_br_ic_02_03_04_the_buyer_needs_a_vat_identifier():
    options = with_document_level("K")
    options["buyer_vat"] = None
    assert fatal(invoice(**options)) == ["BR-IC-02", "BR-IC-03", "BR-IC-04"]
    assert fatal(invoice(**base("K", seller_vat=None))) == ["BR-IC-02"]


def test_br_o_02_03_04_no_vat_identifiers_at_all():
    options = with_document_level("O")
    options["seller_vat"] = "LV40003000002"
    assert fatal(invoice(**options)) == ["BR-O-02", "BR-O-03", "BR-O-04"]
    assert fatal(invoice(**base("O", buyer_vat="LV90011524360"))) == ["BR-O-02"]


@pytest.mark.parametrize("code, bad", [("Z", "5"), ("E", "5"), ("AE", "21"), ("K", "1"), ("G", "12")])
def test_05_06_07_the_rate_of_a_zero_category_is_zero(code, bad):
    prefix = PREFIX[code]
    assert fatal(invoice(set_text(f"{LINE_CATEGORY}/cbc:Percent", bad), **base(code))) == [f"{prefix}-05"]
    data = invoice(set_text(f"{DOC_CATEGORY}/cbc:Percent", bad), **with_document_level(code))
    assert fatal(data) == [f"{prefix}-06"]

    def charge_rate(root):
        root.findall(DOC_CATEGORY, NS)[1].find("cbc:Percent", NS).text = bad
    assert fatal(invoice(charge_rate, **with_document_level(code))) == [f"{prefix}-07"]


def test_br_s_05_06_07_a_standard_rate_is_above_zero():
    assert fatal(invoice(lines=[Line("S", "0")])) == ["BR-S-05"]
    assert fatal(invoice(allowances=[AllowanceCharge(False, "10.00", "S", "0")])) == ["BR-S-06"]
    assert fatal(invoice(allowances=[AllowanceCharge(True, "10.00", "S", "0")])) == ["BR-S-07"]


def test_br_o_05_06_07_not_subject_to_vat_has_no_rate():
    assert fatal(invoice(add_after(f"{LINE_CATEGORY}/cbc:ID", "cbc:Percent", "0"), **base("O"))) == ["BR-O-05"]
    assert fatal(invoice(add_after(f"{DOC_CATEGORY}/cbc:ID", "cbc:Percent", "0"),
                         **with_document_level("O"))) == ["BR-O-06"]

    def charge_rate(root):
        category = root.findall(DOC_CATEGORY, NS)[1]
        etree.SubElement(category, f"{{{NS['cbc']}}}Percent").text = "0"
        category.find("cbc:ID", NS).addnext(category.find("cbc:Percent", NS))
    assert fatal(invoice(charge_rate, **with_document_level("O"))) == ["BR-O-07"]


@pytest.mark.parametrize("code", sorted(BASES))
def test_08_the_taxable_amount_adds_up_the_category(code):
    # 100.00 of lines, -10 + 5 at document level: 95.00; one unit off breaks it (S: not less than one)
    assert fatal(invoice(set_text(f"{SUB}/cbc:TaxableAmount", "96.00"), **with_document_level(code))) == \
        [f"{PREFIX[code]}-08"]
    assert fatal(invoice(set_text(f"{SUB}/cbc:TaxableAmount", "94.00"), **with_document_level(code))) == \
        [f"{PREFIX[code]}-08"]


def test_br_s_08_is_per_rate_and_allows_less_than_one_unit():
    two_rates = {"lines": [Line("S", "21"), Line("S", "12")]}
    assert fatal(invoice(**two_rates)) == []
    assert fatal(invoice(set_text(f"{SUB}/cbc:TaxableAmount", "100.99"), **two_rates)) == []
    # the 21 % group holding the 12 % line's amount too
    assert fatal(invoice(edits(set_text(f"{SUB}/cbc:TaxableAmount", "200.00"),
                               set_text(f"{SUB}/cbc:TaxAmount", "42.00"),
                               set_text("cac:TaxTotal/cbc:TaxAmount", "54.00"),
                               set_text("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "254.00"),
                               set_text("cac:LegalMonetaryTotal/cbc:PayableAmount", "254.00")),
                         **two_rates)) == ["BR-S-08"]


def _tax(amount: str):
    total = f"{100 + float(amount):.2f}"
    return edits(set_text(f"{SUB}/cbc:TaxAmount", amount), set_text("cac:TaxTotal/cbc:TaxAmount", amount),
                 set_text("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", total),
                 set_text("cac:LegalMonetaryTotal/cbc:PayableAmount", total))


@pytest.mark.parametrize("code", ["Z", "E", "AE", "K", "G", "O"])
def test_09_the_tax_of_a_zero_category_is_zero(code):
    # BR-CO-17 states the same for every zero rate (and for no rate: BR-O)
    assert fatal(invoice(_tax("0.49"), **base(code))) == [f"{PREFIX[code]}-09"]
    assert fatal(invoice(_tax("1.00"), **base(code))) == sorted(["BR-CO-17", f"{PREFIX[code]}-09"])


def test_br_s_09_tax_is_taxable_times_rate_within_less_than_one_unit():
    assert fatal(invoice(_tax("21.99"))) == []
    assert fatal(invoice(_tax("22.00"))) == ["BR-CO-17", "BR-S-09"]


@pytest.mark.parametrize("code", ["E", "AE", "K", "G", "O"])
def test_10_an_exempt_category_needs_an_exemption_reason(code):
    assert fatal(invoice(remove(f"{SUB}/cac:TaxCategory/cbc:TaxExemptionReasonCode"), **base(code))) == \
        [f"{PREFIX[code]}-10"]
    reason_text = edits(remove(f"{SUB}/cac:TaxCategory/cbc:TaxExemptionReasonCode"),
                        add_after(f"{SUB}/cac:TaxCategory/cbc:{'ID' if code == 'O' else 'Percent'}",
                                  "cbc:TaxExemptionReason", "Atbrīvots"))
    assert fatal(invoice(reason_text, **base(code))) == []


@pytest.mark.parametrize("code", ["S", "Z"])
def test_10_a_taxed_category_has_no_exemption_reason(code):
    assert fatal(invoice(add_after(f"{SUB}/cac:TaxCategory/cbc:Percent", "cbc:TaxExemptionReasonCode",
                                   "VATEX-EU-132"), **base(code))) == [f"{PREFIX[code]}-10"]


def test_br_ic_11_and_12_delivery_date_or_period_and_country():
    assert fatal(invoice(**base("K", delivery_date=None))) == ["BR-IC-11"]
    assert fatal(invoice(**base("K", delivery_country=None))) == ["BR-IC-12"]

    def period(root):
        add_after("cbc:BuyerReference", "cac:InvoicePeriod")(root)
        etree.SubElement(find(root, "cac:InvoicePeriod"), f"{{{NS['cbc']}}}StartDate").text = "2026-01-01"
    assert fatal(invoice(period, **base("K", delivery_date=None))) == []


def test_br_o_11_to_14_nothing_else_beside_not_subject_to_vat():
    def second_group(root):     # a zero-rated group of nothing
        sub = find(root, SUB)
        other = copy.deepcopy(sub)
        category = other.find("cac:TaxCategory", NS)
        category.find("cbc:ID", NS).text = "Z"
        category.remove(category.find("cbc:TaxExemptionReasonCode", NS))
        category.find("cbc:ID", NS).addnext(etree.Element(f"{{{NS['cbc']}}}Percent"))
        category.find("cbc:Percent", NS).text = "0"
        other.find("cbc:TaxableAmount", NS).text = "0.00"
        sub.addnext(other)
    assert fatal(invoice(second_group, **base("O"))) == ["BR-O-11"]
    # an S line in an O invoice: no S group (BR-S-01), no seller VAT identifier (BR-S-02)
    # another category beside O also has its own group (BR-O-11) and its own party rule
    mixed = base("O", lines=[Line("O", None), Line("S", "21")])
    assert fatal(invoice(**mixed)) == ["BR-O-11", "BR-O-12", "BR-S-02"]
    allowance = base("O", allowances=[AllowanceCharge(False, "10.00", "Z", "0")])
    assert fatal(invoice(**allowance)) == ["BR-O-11", "BR-O-13", "BR-Z-03"]
    charge = base("O", allowances=[AllowanceCharge(True, "10.00", "Z", "0")])
    assert fatal(invoice(**charge)) == ["BR-O-11", "BR-O-14", "BR-Z-04"]


def test_br_co_04_each_line_has_a_vat_category():
    # without it the S group has no S line (BR-S-01) and nothing to add up (BR-S-08), and CEN's
    # syntax rule wants exactly one per line (UBL-SR-48)
    assert fatal(invoice(remove(LINE_CATEGORY))) == ["BR-CO-04", "BR-S-01", "BR-S-08", "UBL-SR-48"]
    # a category of another tax scheme is not a VAT category
    assert fatal(invoice(set_text(f"{LINE_CATEGORY}/cac:TaxScheme/cbc:ID", "GST"))) == ["BR-CO-04"]


def test_messages_name_the_business_terms_in_both_languages():
    reading = en16931.read(invoice(set_text(f"{SUB}/cbc:TaxableAmount", "96.00"), **with_document_level("Z")))
    [problem] = reading.problems
    assert "BT-116" in problem.message["en"] and "BT-116" in problem.message["lv"]
    assert "96.00" in problem.message["en"] and "95.00" in problem.message["lv"]
    assert problem.path == "/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxableAmount"
