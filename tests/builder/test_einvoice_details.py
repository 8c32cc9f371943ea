"""EN 16931 and Peppol rules on the optional groups (payee, tax representative, payment,
references, periods, prices, items, allowance percentages, exemption codes): for each a
valid invoice and the same invoice changed to break it."""
from __future__ import annotations

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.ubl import NS
from tests.builder.invoices import AllowanceCharge, Line, add_after, edits, find, invoice, remove, set_text

SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"


def fatal(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


def sub(parent: etree._Element, tag: str, text: str | None = None, **attributes) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
    element.text = text
    return element


def period(start: str | None, end: str | None, code: str | None = None, where: str = "cbc:BuyerReference"):
    def edit(root):
        element = etree.Element(f"{{{NS['cac']}}}InvoicePeriod")
        if start:
            sub(element, "cbc:StartDate", start)
        if end:
            sub(element, "cbc:EndDate", end)
        if code:
            sub(element, "cbc:DescriptionCode", code)
        find(root, where).addnext(element)
    return edit


def line_period(start: str | None, end: str | None):
    return period(start, end, where="cac:InvoiceLine/cbc:LineExtensionAmount")


def test_periods_br_29_30_co_19_20_and_peppol_r110_r111():
    assert fatal(invoice(period("2026-01-01", "2026-01-31"))) == []
    assert fatal(invoice(period("2026-02-01", "2026-01-31"))) == ["BR-29"]
    assert fatal(invoice(period(None, None, "3"))) == []
    assert fatal(invoice(period(None, None))) == ["BR-CO-19", "PEPPOL-EN16931-R008"]
    assert fatal(invoice(line_period("2026-01-05", "2026-01-04"))) == ["BR-30"]
    assert fatal(invoice(line_period(None, None))) == ["BR-CO-20", "PEPPOL-EN16931-R008"]
    inside = edits(period("2026-01-01", "2026-01-31"), line_period("2026-01-02", "2026-01-30"))
    assert fatal(invoice(inside)) == []
    assert fatal(invoice(edits(period("2026-01-01", "2026-01-31"), line_period("2025-12-31", "2026-01-30")))) == \
        ["PEPPOL-EN16931-R110"]
    assert fatal(invoice(edits(period("2026-01-01", "2026-01-31"), line_period("2026-01-02", "2026-02-01")))) == \
        ["PEPPOL-EN16931-R111"]


def test_br_co_03_tax_point_date_or_its_code():
    tax_point = add_after("cbc:InvoiceTypeCode", "cbc:TaxPointDate", "2026-02-01")
    assert fatal(invoice(tax_point)) == []
    assert fatal(invoice(edits(tax_point, period(None, None, "3")))) == ["BR-CO-03"]


def test_payment_br_49_50_61_and_peppol_r061():
    assert fatal(invoice(remove("cac:PaymentMeans/cac:PayeeFinancialAccount"))) == ["BR-61"]
    assert fatal(invoice(set_text("cac:PaymentMeans/cbc:PaymentMeansCode", "10"))) == []     # cash: no account
    direct_debit = edits(set_text("cac:PaymentMeans/cbc:PaymentMeansCode", "59"),
                         remove("cac:PaymentMeans/cac:PayeeFinancialAccount"))
    assert fatal(invoice(direct_debit)) == ["PEPPOL-EN16931-R061"]

    def mandate(root):
        sub(sub(find(root, "cac:PaymentMeans"), "cac:PaymentMandate"), "cbc:ID", "M-1")
    assert fatal(invoice(edits(direct_debit, mandate))) == []


def test_payee_br_17():
    def payee(name: str):
        def edit(root):
            element = etree.Element(f"{{{NS['cac']}}}PayeeParty")
            sub(sub(element, "cac:PartyName"), "cbc:Name", name)
            find(root, "cac:AccountingCustomerParty").addnext(element)
        return edit
    assert fatal(invoice(payee("Faktoringa SIA"))) == []

    def seller_name(root):
        name = etree.Element(f"{{{NS['cac']}}}PartyName")
        sub(name, "cbc:Name", "Faktoringa SIA")
        find(root, f"{SELLER}/cbc:EndpointID").addnext(name)
    assert fatal(invoice(edits(seller_name, payee("Faktoringa SIA")))) == ["BR-17"]


def test_tax_representative_br_18_19_20_56():
    def representative(name=True, address=True, country=True, vat=True):
        def edit(root):
            party = etree.Element(f"{{{NS['cac']}}}TaxRepresentativeParty")
            if name:
                sub(sub(party, "cac:PartyName"), "cbc:Name", "Pārstāvis SIA")
            if address:
                postal = sub(party, "cac:PostalAddress")
                sub(postal, "cbc:CityName", "Rīga")
                if country:
                    sub(sub(postal, "cac:Country"), "cbc:IdentificationCode", "LV")
            if vat:
                scheme = sub(party, "cac:PartyTaxScheme")
                sub(scheme, "cbc:CompanyID", "LV40003000002")
                sub(sub(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
            find(root, "cac:AccountingCustomerParty").addnext(party)
        return edit
    assert fatal(invoice(representative())) == []
    assert fatal(invoice(representative(name=False))) == ["BR-18"]
    assert fatal(invoice(representative(address=False))) == ["BR-19"]
    assert fatal(invoice(representative(country=False))) == ["BR-20"]
    assert fatal(invoice(representative(vat=False))) == ["BR-56"]


def test_electronic_address_schemes_br_62_63():
    def no_scheme(party):
        def edit(root):
            del find(root, f"{party}/cbc:EndpointID").attrib["schemeID"]
        return edit
    assert fatal(invoice(no_scheme(SELLER))) == ["BR-62"]
    assert fatal(invoice(no_scheme(BUYER))) == ["BR-63"]


def test_br_co_26_the_seller_is_identified():
    bare = edits(remove(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID"))
    assert fatal(invoice(bare)) == []                               # the VAT identifier is enough
    assert fatal(invoice(bare, lines=[Line("O", None)], seller_vat=None)) == ["BR-CO-26"]


def test_prices_br_27_and_base_quantity_r121_r130():
    assert fatal(invoice(lines=[Line(quantity="2", price="-50.00", net="-100.00")])) == ["BR-27"]

    def base_quantity(value: str, unit: str = "H87"):
        return add_after("cac:InvoiceLine/cac:Price/cbc:PriceAmount", "cbc:BaseQuantity", value, unitCode=unit)
    assert fatal(invoice(base_quantity("1"))) == []
    assert fatal(invoice(base_quantity("1", "KGM"))) == ["PEPPOL-EN16931-R130"]
    assert "PEPPOL-EN16931-R121" in fatal(invoice(base_quantity("-1")))


def test_price_allowance_r044_r046_br_28():
    def price_allowance(indicator="false", gross="60.00", amount="10.00"):
        def edit(root):
            price = find(root, "cac:InvoiceLine/cac:Price")
            node = sub(price, "cac:AllowanceCharge")
            sub(node, "cbc:ChargeIndicator", indicator)
            sub(node, "cbc:Amount", amount, currencyID="EUR")
            sub(node, "cbc:BaseAmount", gross, currencyID="EUR")
        return edit
    assert fatal(invoice(price_allowance())) == []
    assert fatal(invoice(price_allowance(indicator="true"))) == ["PEPPOL-EN16931-R044"]
    assert fatal(invoice(price_allowance(gross="61.00"))) == ["PEPPOL-EN16931-R046"]
    assert "BR-28" in fatal(invoice(price_allowance(gross="-60.00")))


def test_allowance_percentages_r040_r041_r042_and_indicator_r043():
    options = {"allowances": [AllowanceCharge(False, "10.00")]}

    def percentage(factor: str | None, base: str | None):
        def edit(root):
            node = find(root, "cac:AllowanceCharge")
            amount = node.find("cbc:Amount", NS)
            if factor:
                amount.addprevious(etree.Element(f"{{{NS['cbc']}}}MultiplierFactorNumeric"))
                node.find("cbc:MultiplierFactorNumeric", NS).text = factor
            if base:
                amount.addnext(etree.Element(f"{{{NS['cbc']}}}BaseAmount", currencyID="EUR"))
                node.find("cbc:BaseAmount", NS).text = base
        return edit
    assert fatal(invoice(percentage("10", "100.00"), **options)) == []
    assert fatal(invoice(percentage("10", "100.30"), **options)) == ["PEPPOL-EN16931-R040"]
    assert fatal(invoice(percentage("10", None), **options)) == ["PEPPOL-EN16931-R041"]
    assert fatal(invoice(percentage(None, "100.00"), **options)) == ["PEPPOL-EN16931-R042"]
    assert fatal(invoice(set_text("cac:AllowanceCharge/cbc:ChargeIndicator", "0"), **options)) == \
        ["PEPPOL-EN16931-R043"]


def test_one_note_r002_and_the_accounting_currency_r005_br_53():
    two_notes = edits(add_after("cbc:InvoiceTypeCode", "cbc:Note", "a"), add_after("cbc:InvoiceTypeCode", "cbc:Note", "b"))
    assert fatal(invoice(add_after("cbc:InvoiceTypeCode", "cbc:Note", "a"))) == []
    assert fatal(invoice(two_notes)) == ["PEPPOL-EN16931-R002"]
    same = add_after("cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "EUR")
    # EUR twice: R005, and the accounting VAT total is then the invoice currency's (R054 counts it missing)
    assert fatal(invoice(same)) == ["PEPPOL-EN16931-R005", "PEPPOL-EN16931-R054"]
    assert "BR-53" in fatal(invoice(add_after("cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "USD")))


@pytest.mark.parametrize("code, rule", [("VATEX-EU-G", "PEPPOL-EN16931-P0104"), ("VATEX-EU-IC", "PEPPOL-EN16931-P0106"),
                                        ("VATEX-EU-D", "PEPPOL-EN16931-P0108")])
def test_an_exemption_code_implies_its_category(code, rule):
    exempt = {"lines": [Line("E", "0")]}
    assert fatal(invoice(set_text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode",
                                  code), **exempt)) == ([] if rule.endswith("P0108") else [rule])


def test_item_identifiers_br_64_65_and_attributes_br_54():
    def item(tag: str, child: str, value: str, **attributes):
        def edit(root):
            item_node = find(root, "cac:InvoiceLine/cac:Item")
            node = etree.Element(f"{{{NS['cac']}}}{tag}")
            sub(node, child, value, **attributes)
            item_node.find("cac:ClassifiedTaxCategory", NS).addprevious(node) if tag != "AdditionalItemProperty" \
                else item_node.find("cac:ClassifiedTaxCategory", NS).addnext(node)
        return edit
    assert fatal(invoice(item("StandardItemIdentification", "cbc:ID", "4750000000001", schemeID="0160"))) == []
    assert fatal(invoice(item("StandardItemIdentification", "cbc:ID", "4750000000001"))) == ["BR-64"]
    assert fatal(invoice(item("CommodityClassification", "cbc:ItemClassificationCode", "12345", listID="STI"))) == []
    assert fatal(invoice(item("CommodityClassification", "cbc:ItemClassificationCode", "12345"))) == ["BR-65"]
    assert fatal(invoice(item("AdditionalItemProperty", "cbc:Name", "Krāsa"))) == ["BR-54"]
