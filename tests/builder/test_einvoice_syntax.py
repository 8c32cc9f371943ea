"""CEN's UBL syntax rules that reject (UBL-SR, UBL-DT-01/06/07, UBL-CR-666/673): a valid
invoice, and the same invoice with the element repeated or missing."""
from __future__ import annotations

import copy

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.ubl import NS
from tests.builder.invoices import add_after, find, invoice

SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"


def fatal(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


def twice(xpath: str, change=None):
    """The element at `xpath` repeated right after itself (optionally changed)."""
    def edit(root):
        node = find(root, xpath)
        other = copy.deepcopy(node)
        if change:
            change(other)
        node.addnext(other)
    return edit


def _text(xpath: str, value: str):
    def change(node):
        node.find(xpath, NS).text = value
    return change


def _terms(root, *notes):
    add_after("cac:PaymentMeans", "cac:PaymentTerms")(root)
    for note in notes:
        etree.SubElement(find(root, "cac:PaymentTerms"), f"{{{NS['cbc']}}}Note").text = note


@pytest.mark.parametrize("edit, rule", [
    (lambda root: _terms(root, "30 dienas", "Bez atlaides"), "UBL-SR-05"),
    (twice(f"{SELLER}/cac:PartyTaxScheme"), "UBL-SR-12"),
    (twice("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory"), "UBL-SR-48"),
    (twice("cac:PaymentMeans", _text("cbc:PaymentMeansCode", "58")), "UBL-SR-47"),
])
def test_an_element_allowed_once_given_twice(edit, rule):
    assert fatal(invoice()) == [] and fatal(invoice(lambda root: _terms(root, "30 dienas"))) == []
    assert fatal(invoice(edit)) == [rule]


def test_ubl_sr_24_one_delivery():
    assert fatal(invoice(delivery_date="2026-01-30")) == []
    assert fatal(invoice(twice("cac:Delivery"), delivery_date="2026-01-30")) == ["UBL-SR-24"]


def test_two_payment_means_with_the_same_code_are_allowed():
    assert fatal(invoice(twice("cac:PaymentMeans"))) == []


def test_ubl_sr_18_and_42_party_tax_schemes():
    def buyer_vat_twice(root):
        party = find(root, BUYER)
        for number in ("LV90011524360", "LV90011524361"):
            scheme = etree.Element(f"{{{NS['cac']}}}PartyTaxScheme")
            etree.SubElement(scheme, f"{{{NS['cbc']}}}CompanyID").text = number
            etree.SubElement(etree.SubElement(scheme, f"{{{NS['cac']}}}TaxScheme"), f"{{{NS['cbc']}}}ID").text = "VAT"
            party.find("cac:PartyLegalEntity", NS).addprevious(scheme)
    assert fatal(invoice(buyer_vat_twice)) == ["UBL-SR-18"]

    def three_schemes(root):
        scheme = find(root, f"{SELLER}/cac:PartyTaxScheme")
        for tax in ("TAX", "FOO"):
            other = copy.deepcopy(scheme)
            other.find("cac:TaxScheme/cbc:ID", NS).text = tax
            scheme.addnext(other)
    assert "UBL-SR-42" in fatal(invoice(three_schemes))


def test_ubl_sr_53_a_tax_scheme_needs_its_id():
    def no_id(root):
        scheme = find(root, f"{SELLER}/cac:PartyTaxScheme/cac:TaxScheme")
        scheme.remove(scheme.find("cbc:ID", NS))
    assert "UBL-SR-53" in fatal(invoice(no_id))


def test_ubl_sr_19_a_payee_is_not_the_seller():
    def payee(name):
        def edit(root):
            add_after("cac:AccountingCustomerParty", "cac:PayeeParty")(root)
            party_name = etree.SubElement(find(root, "cac:PayeeParty"), f"{{{NS['cac']}}}PartyName")
            etree.SubElement(party_name, f"{{{NS['cbc']}}}Name").text = name
        return edit
    assert fatal(invoice(payee("Faktoringa SIA"))) == []
    assert fatal(invoice(payee('SIA "Piemērs"'))) == ["UBL-SR-19", "UBL-SR-20", "UBL-SR-21"]


def test_ubl_dt_01_every_amount_has_at_most_two_decimals():
    def accounting_total(root):
        add_after("cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "USD")(root)
        total = etree.Element(f"{{{NS['cac']}}}TaxTotal")
        etree.SubElement(total, f"{{{NS['cbc']}}}TaxAmount", currencyID="USD").text = "24.125"
        find(root, "cac:TaxTotal").addnext(total)
    assert fatal(invoice(accounting_total)) == ["BR-DEC-15", "UBL-DT-01"]


def _attachment(**attributes):
    def edit(root):
        add_after("cbc:BuyerReference", "cac:AdditionalDocumentReference")(root)
        reference = find(root, "cac:AdditionalDocumentReference")
        etree.SubElement(reference, f"{{{NS['cbc']}}}ID").text = "Pielikums 1"
        attachment = etree.SubElement(reference, f"{{{NS['cac']}}}Attachment")
        etree.SubElement(attachment, f"{{{NS['cbc']}}}EmbeddedDocumentBinaryObject", **attributes).text = "JVBERi0="
    return edit


def test_ubl_dt_06_07_an_attachment_names_its_type_and_file():
    assert fatal(invoice(_attachment(mimeCode="application/pdf", filename="a.pdf"))) == []
    assert fatal(invoice(_attachment(filename="a.pdf"))) == ["PKIP-XSD-01", "UBL-DT-06"]   # the schema wants it too
    assert fatal(invoice(_attachment(mimeCode="application/pdf"))) == ["UBL-DT-07"]
    assert fatal(invoice(_attachment(mimeCode="text/html", filename="a.html"))) == ["BR-CL-24", "PEPPOL-EN16931-CL001"]
