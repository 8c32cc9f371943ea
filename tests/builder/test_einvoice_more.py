"""Rule ids whose test is one element away from the valid invoice: more decimals, code
lists, payment and reference groups, exemption codes and single-occurrence syntax rules.
Each case: the valid invoice passes; the change breaks exactly the rules named."""
from __future__ import annotations

import copy

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.ubl import NS
from tests.builder.invoices import AllowanceCharge, Line, add_after, edits, find, invoice, set_text

BOTH = {"allowances": [AllowanceCharge(False, "10.00"), AllowanceCharge(True, "5.00")]}
SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"


def fatal(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


def el(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
    node.text = text
    return node


def after(xpath: str, build):
    """Insert the element `build()` returns right after the one at `xpath`."""
    def edit(root):
        find(root, xpath).addnext(build())
    return edit


def element(tag: str, *children: tuple, text: str | None = None, **attributes):
    def build():
        prefix, name = tag.split(":")
        node = etree.Element(f"{{{NS[prefix]}}}{name}", attributes)
        node.text = text
        for child in children:
            node.append(child[0]() if callable(child[0]) else child[0])
        return node
    return build


def leaf(tag: str, text: str | None = None, **attributes):
    return (element(tag, text=text, **attributes),)


# -- decimals: the total amounts and the document and line allowances and charges ---------

@pytest.mark.parametrize("tag, rule", [("AllowanceTotalAmount", "BR-DEC-10"), ("ChargeTotalAmount", "BR-DEC-11")])
def test_br_dec_totals_of_allowances_and_charges(tag, rule):
    def more(root):
        node = find(root, f"cac:LegalMonetaryTotal/cbc:{tag}")
        node.text += "0"
    assert fatal(invoice(**BOTH)) == []
    assert fatal(invoice(more, **BOTH)) == [rule, "UBL-DT-01"]


@pytest.mark.parametrize("tag, rule", [("PrepaidAmount", "BR-DEC-16"), ("PayableRoundingAmount", "BR-DEC-17")])
def test_br_dec_paid_and_rounding_amounts(tag, rule):
    def amount(value):
        return add_after("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", f"cbc:{tag}", value, currencyID="EUR")
    assert fatal(invoice(amount("0.00"))) == []
    assert fatal(invoice(amount("0.000"))) == [rule, "UBL-DT-01"]


@pytest.mark.parametrize("index, rule", [(0, "BR-DEC-02"), (1, "BR-DEC-06")])
def test_br_dec_document_level_base_amounts(index, rule):
    def base(value):
        def edit(root):
            node = root.findall("cac:AllowanceCharge", NS)[index]
            factor = etree.Element(f"{{{NS['cbc']}}}MultiplierFactorNumeric")
            factor.text = "10"
            node.find("cbc:Amount", NS).addprevious(factor)
            base_amount = etree.Element(f"{{{NS['cbc']}}}BaseAmount", currencyID="EUR")
            base_amount.text = value
            node.find("cbc:Amount", NS).addnext(base_amount)
        return edit
    options = {"allowances": [AllowanceCharge(False, "10.00"), AllowanceCharge(True, "10.00")]}
    assert fatal(invoice(base("100.00"), **options)) == []
    assert fatal(invoice(base("100.000"), **options)) == [rule, "UBL-DT-01"]


@pytest.mark.parametrize("charge, rules", [(False, ["BR-DEC-24", "BR-DEC-25"]), (True, ["BR-DEC-27", "BR-DEC-28"])])
def test_br_dec_line_allowances_and_charges(charge, rules):
    def line_allowance(amount, base):
        def edit(root):
            node = etree.Element(f"{{{NS['cac']}}}AllowanceCharge")
            el(node, "cbc:ChargeIndicator", "true" if charge else "false")
            el(node, "cbc:AllowanceChargeReason", "Atlaide")
            el(node, "cbc:MultiplierFactorNumeric", "0")
            el(node, "cbc:Amount", amount, currencyID="EUR")
            el(node, "cbc:BaseAmount", base, currencyID="EUR")
            find(root, "cac:InvoiceLine/cac:Item").addprevious(node)
        return edit
    assert fatal(invoice(line_allowance("0.00", "100.00"))) == []
    assert fatal(invoice(line_allowance("0.000", "100.000"))) == sorted(rules + ["UBL-DT-01", "UBL-DT-01"])


# -- code lists -------------------------------------------------------------------------

@pytest.mark.parametrize("edit, good, rules", [
    # an unknown accounting currency is also not a Peppol currency for its VAT total
    ("tax currency", "USD", ["BR-CL-03", "BR-CL-05", "PEPPOL-EN16931-CL007"]),
    ("party identification", "0088", ["BR-CL-10"]),
    ("legal scheme", "0218", ["BR-CL-11"]),
])
def test_more_code_lists(edit, good, rules):
    def change(value):
        if edit == "tax currency":
            def tax(root):
                add_after("cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", value)(root)
                total = etree.Element(f"{{{NS['cac']}}}TaxTotal")
                el(total, "cbc:TaxAmount", "24.00", currencyID=value)
                find(root, "cac:TaxTotal").addnext(total)
            return tax
        if edit == "party identification":
            return after(f"{SELLER}/cbc:EndpointID", element("cac:PartyIdentification",
                                                                leaf("cbc:ID", "7300010000001", schemeID=value)))

        def legal(root):
            find(root, f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID").set("schemeID", value)
        return legal
    assert fatal(invoice(change(good))) == []
    assert fatal(invoice(change("XX9"))) == rules


def test_br_cl_06_and_peppol_cl006_tax_point_date_codes():
    def period(code):
        return after("cbc:BuyerReference", element("cac:InvoicePeriod", leaf("cbc:DescriptionCode", code)))
    assert fatal(invoice(period("35"))) == []
    assert fatal(invoice(period("7"))) == ["BR-CL-06", "PEPPOL-EN16931-CL006"]


def test_br_cl_13_15_21_item_codes():
    def item(child_builder):
        def edit(root):
            find(root, "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory").addprevious(child_builder())
        return edit
    origin = lambda code: item(element("cac:OriginCountry", leaf("cbc:IdentificationCode", code)))  # noqa: E731
    assert fatal(invoice(origin("LV"))) == [] and fatal(invoice(origin("XX"))) == ["BR-CL-15"]
    classification = lambda scheme: item(element("cac:CommodityClassification",  # noqa: E731
                                                 leaf("cbc:ItemClassificationCode", "1234", listID=scheme)))
    assert fatal(invoice(classification("STI"))) == [] and fatal(invoice(classification("XYZ1"))) == ["BR-CL-13"]

    def standard(scheme):
        def edit(root):
            name = find(root, "cac:InvoiceLine/cac:Item/cbc:Name")
            name.addnext(element("cac:StandardItemIdentification", leaf("cbc:ID", "4750000000001", schemeID=scheme))())
        return edit
    assert fatal(invoice(standard("0160"))) == [] and fatal(invoice(standard("9XX9"))) == ["BR-CL-21"]


def test_br_cl_26_delivery_location_scheme():
    def location(scheme):
        def edit(root):
            place = find(root, "cac:Delivery/cac:DeliveryLocation")
            place.insert(0, element("cbc:ID", text="7300010000001", schemeID=scheme)())
        return edit
    options = {"delivery_country": "LV"}
    assert fatal(invoice(location("0088"), **options)) == []
    assert fatal(invoice(location("9XX9"), **options)) == ["BR-CL-26"]


def test_f001_dates_and_p0101_credit_note_types():
    assert fatal(invoice(set_text("cbc:IssueDate", "2026-2-2"))) == ["PEPPOL-EN16931-F001", "PKIP-XSD-01"]
    assert fatal(invoice(set_text("cbc:CreditNoteTypeCode", "396"), kind="CreditNote")) == []
    assert fatal(invoice(set_text("cbc:CreditNoteTypeCode", "261"), kind="CreditNote")) == ["PEPPOL-EN16931-P0101"]
    assert fatal(invoice(set_text("cbc:InvoiceTypeCode", "326"))) == ["PEPPOL-EN16931-P0112"]


@pytest.mark.parametrize("code, category, rule", [
    ("VATEX-EU-O", "E", "PEPPOL-EN16931-P0105"), ("VATEX-EU-AE", "E", "PEPPOL-EN16931-P0107"),
    ("VATEX-EU-F", "G", "PEPPOL-EN16931-P0109"), ("VATEX-EU-I", "G", "PEPPOL-EN16931-P0110"),
    ("VATEX-EU-J", "G", "PEPPOL-EN16931-P0111"),
])
def test_the_category_an_exemption_code_implies(code, category, rule):
    options = {"lines": [Line(category, "0")]}
    assert fatal(invoice(set_text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode", code),
                         **options)) == [rule]


# -- payment, references, delivery --------------------------------------------------------

def test_payment_groups_br_49_50_66_67():
    def second_means_part(tag, child):
        def edit(root):
            means = find(root, "cac:PaymentMeans")
            for number in ("1", "2"):
                means.find("cac:PayeeFinancialAccount", NS).addprevious(element(tag, leaf(child, number))())
        return edit
    cards = fatal(invoice(second_means_part("cac:CardAccount", "cbc:PrimaryAccountNumberID")))
    assert "BR-66" in cards and set(cards) == {"BR-66", "PKIP-XSD-01"}      # the schema wants a NetworkID too
    assert fatal(invoice(set_text("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", " "))) == \
        ["BR-50", "PEPPOL-EN16931-R008"]

    def no_code(root):
        means = find(root, "cac:PaymentMeans")
        means.remove(means.find("cbc:PaymentMeansCode", NS))
    assert "BR-49" in fatal(invoice(no_code))


def test_references_br_52_55_and_peppol_r080_r100_r101():
    reference = after("cbc:BuyerReference", element("cac:AdditionalDocumentReference", leaf("cbc:ID", "Līgums 1")))
    assert fatal(invoice(reference)) == []
    empty = after("cbc:BuyerReference", element("cac:AdditionalDocumentReference", leaf("cbc:ID", " ")))
    assert fatal(invoice(empty)) == ["BR-52", "PEPPOL-EN16931-R008"]
    billing = after("cbc:BuyerReference", element("cac:BillingReference", (element(
        "cac:InvoiceDocumentReference", leaf("cbc:IssueDate", "2026-01-01")),)))
    assert fatal(invoice(billing)) == ["BR-55", "PKIP-XSD-01", "UBL-SR-07"]
    project = lambda: element("cac:AdditionalDocumentReference", leaf("cbc:ID", "P-1"),  # noqa: E731
                              leaf("cbc:DocumentTypeCode", "50"))
    two_projects = edits(after("cbc:BuyerReference", project()), after("cbc:BuyerReference", project()))
    assert fatal(invoice(two_projects, kind="CreditNote")) == ["PEPPOL-EN16931-R080"]

    def line_reference(code, times=1):
        def edit(root):
            amount = find(root, "cac:InvoiceLine/cbc:LineExtensionAmount")
            for _ in range(times):
                amount.addnext(element("cac:DocumentReference", leaf("cbc:ID", "O-1"), leaf("cbc:DocumentTypeCode",
                                                                                             code))())
        return edit
    assert fatal(invoice(line_reference("130"))) == []
    assert fatal(invoice(line_reference("50"))) == ["PEPPOL-EN16931-R101"]
    assert fatal(invoice(line_reference("130", 2))) == ["PEPPOL-EN16931-R100", "UBL-SR-52"]


def test_br_57_a_delivery_address_has_a_country():
    def no_country(root):
        address = find(root, "cac:Delivery/cac:DeliveryLocation/cac:Address")
        address.remove(address.find("cac:Country", NS))
        el(address, "cbc:CityName", "Rīga")
    assert fatal(invoice(no_country, delivery_country="LV")) == ["BR-57"]


def test_r055_both_vat_totals_have_the_same_sign():
    def accounting(amount):
        def edit(root):
            add_after("cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "USD")(root)
            total = etree.Element(f"{{{NS['cac']}}}TaxTotal")
            el(total, "cbc:TaxAmount", amount, currencyID="USD")
            find(root, "cac:TaxTotal").addnext(total)
        return edit
    assert fatal(invoice(accounting("24.00"))) == []
    assert fatal(invoice(accounting("-24.00"))) == ["PEPPOL-EN16931-R055"]


# -- single-occurrence syntax rules, each by repeating one element -------------------------

def repeat(xpath: str):
    def edit(root):
        node = find(root, xpath)
        node.addnext(copy.deepcopy(node))
    return edit


@pytest.mark.parametrize("xpath, expected, options", [
    # the schema allows one registration name too
    (f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", ["PKIP-XSD-01", "UBL-SR-09"], {}),
    (f"{BUYER}/cac:PartyLegalEntity/cbc:RegistrationName", ["PKIP-XSD-01", "UBL-SR-15"], {}),
    ("cac:Delivery", ["UBL-SR-24"], {"delivery_date": "2026-01-30"}),
    ("cac:AllowanceCharge/cbc:AllowanceChargeReason", ["UBL-SR-30"], BOTH),
])
def test_single_occurrence(xpath, expected, options):
    assert fatal(invoice(**options)) == []
    assert fatal(invoice(repeat(xpath), **options)) == expected
