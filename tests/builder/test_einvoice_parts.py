"""Allowances, charges, units and VAT breakdown parts (BR-23, BR-31..BR-33, BR-36..BR-38,
BR-41..BR-44, BR-45..BR-48, BR-CO-11, BR-CO-12): a valid invoice and one that breaks each."""
from __future__ import annotations

import pytest
from lxml import etree

from builder.documents import en16931
from builder.documents.ubl import NS
from tests.builder.invoices import AllowanceCharge, find, invoice, remove, set_text

TOTALS = "cac:LegalMonetaryTotal"
BOTH = {"allowances": [AllowanceCharge(False, "10.00"), AllowanceCharge(True, "5.00")]}


def fatal(data: bytes) -> list[str]:
    return sorted(p.rule_id for p in en16931.read(data).problems if p.severity == "fatal")


def test_allowances_and_charges_add_up_to_their_totals():
    assert fatal(invoice(**BOTH)) == []
    assert fatal(invoice(set_text(f"{TOTALS}/cbc:AllowanceTotalAmount", "11.00"), **BOTH)) == ["BR-CO-11", "BR-CO-13"]
    assert fatal(invoice(set_text(f"{TOTALS}/cbc:ChargeTotalAmount", "6.00"), **BOTH)) == ["BR-CO-12", "BR-CO-13"]


def test_a_missing_allowance_total_is_br_co_11():
    # BT-109 still follows the lines minus the allowance, so only the missing total is wrong
    assert fatal(invoice(remove(f"{TOTALS}/cbc:AllowanceTotalAmount"),
                         allowances=[AllowanceCharge(False, "10.00")])) == ["BR-CO-11", "BR-CO-13"]


@pytest.mark.parametrize("index, tag, rule", [
    (0, "cbc:Amount", "BR-31"), (1, "cbc:Amount", "BR-36"),
    (0, "cbc:AllowanceChargeReason", "BR-33"), (1, "cbc:AllowanceChargeReason", "BR-38"),
])
def test_document_level_parts(index, tag, rule):
    def drop(root):
        node = root.findall("cac:AllowanceCharge", NS)[index]
        node.remove(node.find(tag, NS))
    problems = fatal(invoice(drop, **BOTH))
    assert rule in problems
    if tag == "cbc:AllowanceChargeReason":      # BR-CO-21 / -22 state the same rule again
        assert problems == [rule, {"BR-33": "BR-CO-21", "BR-38": "BR-CO-22"}[rule]]


@pytest.mark.parametrize("index, rule", [(0, "BR-32"), (1, "BR-37")])
def test_document_level_vat_category(index, rule):
    def other_scheme(root):
        node = root.findall("cac:AllowanceCharge", NS)[index]
        node.find("cac:TaxCategory/cac:TaxScheme/cbc:ID", NS).text = "GST"
    assert rule in fatal(invoice(other_scheme, **BOTH))


def _line_allowance(charge: bool, with_reason: bool = True):
    def edit(root):
        line = find(root, "cac:InvoiceLine")
        node = etree.Element(f"{{{NS['cac']}}}AllowanceCharge")
        etree.SubElement(node, f"{{{NS['cbc']}}}ChargeIndicator").text = "true" if charge else "false"
        if with_reason:
            etree.SubElement(node, f"{{{NS['cbc']}}}AllowanceChargeReason").text = "Atlaide"
        etree.SubElement(node, f"{{{NS['cbc']}}}Amount", currencyID="EUR").text = "0.00"
        line.find("cac:Item", NS).addprevious(node)
    return edit


@pytest.mark.parametrize("charge, rules", [(False, ["BR-42", "BR-CO-23"]), (True, ["BR-44", "BR-CO-24"])])
def test_line_level_reason(charge, rules):
    assert fatal(invoice(_line_allowance(charge))) == []
    assert fatal(invoice(_line_allowance(charge, with_reason=False))) == rules


def test_br_23_the_quantity_has_a_unit():
    def no_unit(root):
        del find(root, "cac:InvoiceLine/cbc:InvoicedQuantity").attrib["unitCode"]
    assert fatal(invoice(no_unit)) == ["BR-23"]


def test_br_45_to_48_breakdown_parts():
    sub = "cac:TaxTotal/cac:TaxSubtotal"
    assert "BR-48" in fatal(invoice(remove(f"{sub}/cac:TaxCategory/cbc:Percent")))
    assert "BR-47" in fatal(invoice(set_text(f"{sub}/cac:TaxCategory/cac:TaxScheme/cbc:ID", "GST")))
    assert "BR-45" in fatal(invoice(remove(f"{sub}/cbc:TaxableAmount")))
    assert "BR-46" in fatal(invoice(remove(f"{sub}/cbc:TaxAmount")))
