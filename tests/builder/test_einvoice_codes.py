"""Code lists (BR-CL, BR-CO-09, the Peppol CL and P01 rules), decimals (BR-DEC), the Peppol
rules (R008, R010, R020, R051, R053, R054, R120), the identifier checksums (PEPPOL-COMMON
and our Latvian warning) and the UBL 2.1 schema: for each, a valid invoice and the same
invoice changed to break that rule."""
from __future__ import annotations

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.en16931_codes import code_lists
from builder.documents.ubl import NS
from tests.builder.invoices import AllowanceCharge, Line, add_after, edits, invoice, remove, set_text

SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"
TOTALS = "cac:LegalMonetaryTotal"
LINE = "cac:InvoiceLine"


def problems(data: bytes, severity: str = "fatal") -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == severity)


def test_the_base_invoice_is_valid():
    assert problems(invoice()) == [] and problems(invoice(), "warning") == []


@pytest.mark.parametrize("edit, expected", [
    (set_text("cbc:InvoiceTypeCode", "999"), ["BR-CL-01", "PEPPOL-EN16931-P0100"]),
    (set_text("cbc:InvoiceTypeCode", "71"), []),           # in both lists
    (set_text("cbc:InvoiceTypeCode", "130"), ["PEPPOL-EN16931-P0100"]),     # UNTDID 1001, not Peppol billing
    # no VAT total in the stated currency either (BR-CO-15)
    (set_text("cbc:DocumentCurrencyCode", "EUX"), ["BR-CL-04", "BR-CO-15", "PEPPOL-EN16931-R051"]),
    (set_text(f"{SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "XX"), ["BR-CL-14"]),
    (set_text("cac:PaymentMeans/cbc:PaymentMeansCode", "99"), ["BR-CL-16"]),
    (set_text(f"{LINE}/cbc:InvoicedQuantity", "2"), []),
    # the S line then has no S group (BR-S-01)
    (set_text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", "X"), ["BR-CL-17", "BR-S-01"]),
    (set_text(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "X"), ["BR-CL-18", "BR-S-01", "BR-S-08"]),
    (set_text(f"{SELLER}/cac:PartyTaxScheme/cbc:CompanyID", "XY40003000002"), ["BR-CO-09"]),
    (set_text(f"{SELLER}/cac:PartyTaxScheme/cbc:CompanyID", "EL123456789"), []),   # Greece may use EL
])
def test_code_lists(edit, expected):
    assert problems(invoice(edit)) == sorted(expected)


def test_br_cl_23_unit_codes_and_br_cl_03_amount_currencies():
    assert problems(invoice(lines=[Line(unit="QQQ")])) == ["BR-CL-23"]
    assert problems(invoice(lines=[Line(unit="KGM")])) == []

    def attribute(root):
        root.find(f"{LINE}/cbc:LineExtensionAmount", NS).set("currencyID", "EUX")
    assert problems(invoice(attribute)) == ["BR-CL-03", "PEPPOL-EN16931-CL007", "PEPPOL-EN16931-R051"]


def test_br_cl_25_and_peppol_cl008_endpoint_schemes():
    def scheme(value):
        def edit(root):
            root.find(f"{SELLER}/cbc:EndpointID", NS).set("schemeID", value)
        return edit
    assert problems(invoice(scheme("9939"))) == []          # a Latvian VAT number as the address (our check warns)
    assert problems(invoice(scheme("ZZ99"))) == ["BR-CL-25", "PEPPOL-EN16931-CL008"]
    # AN is in the CEN list, not in Peppol's
    assert problems(invoice(scheme("AN"))) == ["PEPPOL-EN16931-CL008"]


def test_allowance_and_charge_reason_codes():
    def reason_code(value, index=0):
        def edit(root):
            node = root.findall("cac:AllowanceCharge", NS)[index]
            reason = node.find("cbc:AllowanceChargeReason", NS)
            reason.addprevious(etree.Element(f"{{{NS['cbc']}}}AllowanceChargeReasonCode"))
            node.find("cbc:AllowanceChargeReasonCode", NS).text = value
        return edit
    options = {"allowances": [AllowanceCharge(False, "10.00"), AllowanceCharge(True, "5.00")]}
    assert problems(invoice(reason_code("95"), **options)) == []
    assert problems(invoice(reason_code("FC", 1), **options)) == []
    assert problems(invoice(reason_code("FC"), **options)) == ["BR-CL-19", "PEPPOL-EN16931-CL002"]
    assert problems(invoice(reason_code("95", 1), **options)) == ["BR-CL-20", "PEPPOL-EN16931-CL003"]


def test_br_cl_22_exemption_reason_codes():
    exempt = {"lines": [Line("E", "0")]}
    assert problems(invoice(**exempt)) == []
    assert problems(invoice(set_text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode",
                                     "vatex-eu-132"), **exempt)) == []     # compared in upper case
    assert problems(invoice(set_text("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode",
                                     "VATEX-LV-1"), **exempt)) == ["BR-CL-22"]


def test_code_lists_are_the_official_ones():
    lists = code_lists()
    assert "0218" in lists["BR-CL-25"] and "9939" in lists["PEPPOL-EN16931-CL008"]
    assert {"EUR", "USD"} <= lists["BR-CL-04"] and "LV" in lists["BR-CL-14"]
    assert {"H87", "C62", "KGM", "HUR"} <= lists["BR-CL-23"] and len(lists["BR-CL-23"]) > 2000
    assert lists["BR-CL-17"] == {"AE", "L", "M", "E", "S", "Z", "G", "O", "K", "B"}


@pytest.mark.parametrize("xpath, rule", [
    (f"{TOTALS}/cbc:LineExtensionAmount", "BR-DEC-09"),
    (f"{TOTALS}/cbc:TaxExclusiveAmount", "BR-DEC-12"),
    (f"{TOTALS}/cbc:TaxInclusiveAmount", "BR-DEC-14"),
    (f"{TOTALS}/cbc:PayableAmount", "BR-DEC-18"),
    ("cac:TaxTotal/cbc:TaxAmount", "BR-DEC-13"),
    ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "BR-DEC-19"),
    ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "BR-DEC-20"),
    (f"{LINE}/cbc:LineExtensionAmount", "BR-DEC-23"),
])
def test_br_dec_at_most_two_decimals(xpath, rule):
    def three_decimals(root):
        node = root.find(xpath, NS)
        node.text = node.text + "0"      # 100.00 -> 100.000: the same value, three decimals
    # CEN's syntax rule UBL-DT-01 says the same for every amount
    assert problems(invoice(three_decimals)) == [rule, "UBL-DT-01"]


def test_br_dec_document_allowances_and_charges():
    options = {"allowances": [AllowanceCharge(False, "10.000"), AllowanceCharge(True, "5.000")]}
    assert problems(invoice(**options)) == ["BR-DEC-01", "BR-DEC-05", "UBL-DT-01", "UBL-DT-01"]
    assert problems(invoice(allowances=[AllowanceCharge(False, "10.00"), AllowanceCharge(True, "5.00")])) == []


def test_prices_and_quantities_may_have_more_decimals():
    assert problems(invoice(lines=[Line(quantity="3", price="33.3333", net="100.00")])) == []


def test_r008_no_empty_elements():
    assert problems(invoice(set_text(f"{SELLER}/cac:PostalAddress/cbc:CityName", " "))) == ["PEPPOL-EN16931-R008"]
    assert problems(invoice(add_after("cbc:BuyerReference", "cbc:AccountingCost"))) == ["PEPPOL-EN16931-R008",
                                                                                      "PKIP-XSD-01"]


def test_r010_r020_electronic_addresses():
    assert problems(invoice(remove(f"{BUYER}/cbc:EndpointID"))) == ["PEPPOL-EN16931-R010"]
    assert problems(invoice(remove(f"{SELLER}/cbc:EndpointID"))) == ["PEPPOL-EN16931-R020"]


def test_r051_one_currency():
    def dollar_total(root):
        root.find(f"{TOTALS}/cbc:PayableAmount", NS).set("currencyID", "USD")
    assert problems(invoice(dollar_total)) == ["PEPPOL-EN16931-R051"]


def test_r053_r054_one_vat_total_and_the_accounting_currency():
    def accounting_currency(with_total: bool):
        def edit(root):
            add_after("cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "USD")(root)
            if with_total:
                total = etree.Element(f"{{{NS['cac']}}}TaxTotal")
                etree.SubElement(total, f"{{{NS['cbc']}}}TaxAmount", currencyID="USD").text = "24.00"
                root.find("cac:TaxTotal", NS).addnext(total)
        return edit
    assert problems(invoice(accounting_currency(True))) == []
    # and EN 16931's BR-53 asks for that total too
    assert problems(invoice(accounting_currency(False))) == ["BR-53", "PEPPOL-EN16931-R054"]

    def no_breakdown(root):
        total = root.find("cac:TaxTotal", NS)
        for sub in total.findall("cac:TaxSubtotal", NS):
            total.remove(sub)
    assert "PEPPOL-EN16931-R053" in problems(invoice(no_breakdown))


def test_r120_line_net_is_quantity_times_price():
    assert problems(invoice(lines=[Line(quantity="3", price="10.00", net="30.02")])) == []
    assert problems(invoice(lines=[Line(quantity="3", price="10.00", net="30.03")])) == ["PEPPOL-EN16931-R120"]

    def base_quantity(root):
        add_after(f"{LINE}/cac:Price/cbc:PriceAmount", "cbc:BaseQuantity", "10", unitCode="H87")(root)
    # 2 x 50.00 per 10 units = 10.00
    assert problems(invoice(base_quantity, lines=[Line(quantity="2", price="50.00", net="10.00")])) == []
    assert problems(invoice(base_quantity)) == ["PEPPOL-EN16931-R120"]


@pytest.mark.parametrize("scheme, good, bad, rule", [
    ("0088", "7300010000001", "7300010000002", "PEPPOL-COMMON-R040"),
    ("0192", "974760673", "974760674", "PEPPOL-COMMON-R041"),
    ("0184", "DK12345678", "DK1234567A", "PEPPOL-COMMON-R042"),
    ("0208", "0403019261", "0403019262", "PEPPOL-COMMON-R043"),
    ("0007", "5560360793", "5560360794", "PEPPOL-COMMON-R049"),
    ("0151", "51824753556", "51824753557", "PEPPOL-COMMON-R050"),
])
def test_peppol_common_identifier_checksums(scheme, good, bad, rule):
    def endpoint(value):
        def edit(root):
            node = root.find(f"{BUYER}/cbc:EndpointID", NS)
            node.set("schemeID", scheme)
            node.text = value
        return edit
    assert problems(invoice(endpoint(good))) == []
    assert problems(invoice(endpoint(bad))) == [rule]


def test_a_latvian_registration_number_with_a_wrong_check_digit_is_a_warning_only():
    wrong = set_text(f"{BUYER}/cbc:EndpointID", "90011524361")
    assert problems(invoice(wrong)) == []
    assert problems(invoice(wrong), "warning") == ["PKIP-ID-0218"]
    reading = en16931.read(invoice(wrong))
    assert reading.ok and "90011524361" in reading.problems[0].message["lv"]

    def vat_address(root):
        node = root.find(f"{SELLER}/cbc:EndpointID", NS)
        node.set("schemeID", "9939")
        node.text = "LV40003000002"
    assert problems(invoice(vat_address), "warning") == []
    assert problems(invoice(edits(vat_address, set_text(f"{SELLER}/cbc:EndpointID", "LV40003000003"))),
                    "warning") == ["PKIP-ID-0218"]


def test_the_ubl_schema_is_checked():
    # an element out of the schema's order, and one the schema does not know
    out_of_order = edits(remove("cbc:IssueDate"), add_after("cbc:BuyerReference", "cbc:IssueDate", "2026-02-02"))
    reading = en16931.read(invoice(out_of_order))
    assert [p.rule_id for p in reading.problems] == ["PKIP-XSD-01"]
    assert "IssueDate" in reading.problems[0].message["en"] and reading.problems[0].message["lv"]
    assert problems(invoice(add_after("cbc:ID", "cbc:Colour", "zaļš"))) == ["PKIP-XSD-01"]
    assert problems(invoice(kind="CreditNote")) == []



def test_br_cl_08_note_subject_codes():
    def note(text):
        return add_after("cbc:InvoiceTypeCode", "cbc:Note", text)
    assert problems(invoice(note("#AAI#Paldies par sadarbību"))) == []
    assert problems(invoice(note("Rēķins # 12 par #janvāri"))) == []         # not a #XXX# subject code
    assert problems(invoice(note("#QQQ#Paldies"))) == ["BR-CL-08"]


def test_br_cl_07_invoiced_object_schemes():
    def object_reference(scheme):
        def edit(root):
            add_after("cbc:BuyerReference", "cac:AdditionalDocumentReference")(root)
            reference = root.find("cac:AdditionalDocumentReference", NS)
            etree.SubElement(reference, f"{{{NS['cbc']}}}ID", schemeID=scheme).text = "AB-123"
            etree.SubElement(reference, f"{{{NS['cbc']}}}DocumentTypeCode").text = "130"
        return edit
    assert problems(invoice(object_reference("AAA"))) == []
    assert problems(invoice(object_reference("QQ9"))) == ["BR-CL-07"]
