"""Document readers: the en16931 reader's rules by their official ids, safe parsing, the exact
summary, and how a reading reaches the language (types, field errors, routing, tests)."""
from __future__ import annotations

import copy
import datetime
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from builder.compiler import compile_text
from builder.deftests import run_case
from builder.documents import file_answer, read_document, readers
from builder.documents import en16931, xmlsafe
from builder.documents.ubl import NS
from builder.engine import Context, evaluate, to_json
from builder.model import Institution, Municipality, Text, frozen_map
from builder.model import TestCase as Case
from builder.overlay import bind
from builder.problems import Problems

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "definitions" / "fixtures" / "e-invoice"
VALID = (FIXTURES / "valid.xml").read_bytes()


def read(data: bytes, **kw):
    return en16931.read(data, **kw)


def ids(reading) -> list[str]:
    return sorted(p.rule_id for p in reading.problems)


def without(xpath: str, data: bytes = VALID) -> bytes:
    """The valid invoice with the first element at `xpath` (relative to the root) removed."""
    root = etree.fromstring(data)
    node = root.find(xpath, NS)
    assert node is not None, xpath
    node.getparent().remove(node)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def replaced(xpath: str, value: str, data: bytes = VALID) -> bytes:
    root = etree.fromstring(data)
    node = root.find(xpath, NS)
    assert node is not None, xpath
    node.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# -- the summary ------------------------------------------------------------------------

def test_the_summary_of_the_valid_invoice_is_exact():
    reading = read_document("en16931", VALID)
    assert reading.problems == ()
    assert reading.summary == {
        "document_type": "invoice", "invoice_number": "PKIP-2026-0042", "type_code": "380",
        "issue_date": datetime.date(2026, 2, 2), "due_date": datetime.date(2026, 3, 4), "currency": "EUR",
        "buyer_reference": "RD-2026-17", "order_reference": None,
        "supplier_name": 'SIA "Piemērs"', "supplier_registration_number": "40003000002",
        "supplier_vat_number": "LV40003000002",
        "buyer_name": "Rīgas valstspilsētas pašvaldība", "buyer_registration_number": "90011524360",
        "buyer_vat_number": None,
        "line_total": Decimal("600.00"), "allowance_total": None, "charge_total": None,
        "total_without_vat": Decimal("600.00"), "vat_total": Decimal("117.00"),
        "total_with_vat": Decimal("717.00"), "prepaid_amount": None, "rounding_amount": None,
        "payable_amount": Decimal("717.00"),
        "vat_breakdown": [
            {"category": "S", "rate": Decimal("21"), "taxable_amount": Decimal("500.00"), "tax_amount": Decimal("105.00")},
            {"category": "S", "rate": Decimal("12"), "taxable_amount": Decimal("100.00"), "tax_amount": Decimal("12.00")}],
        "line_count": 2,
    }
    assert set(reading.summary) == set(en16931.SUMMARY_TYPE.fields)


def test_a_credit_note_is_read_with_its_own_element_names():
    reading = read((FIXTURES / "credit-note.xml").read_bytes())
    assert reading.problems == ()
    assert reading.summary["document_type"] == "credit_note"
    assert reading.summary["type_code"] == "381"
    assert reading.summary["due_date"] == datetime.date(2026, 3, 4)
    assert reading.summary["line_count"] == 2


@pytest.mark.parametrize("how, value, expected", [
    ("vat-only", None, "90011524360"),                    # PartyTaxScheme LV + 11 digits, spaces allowed
    ("endpoint-9939", "LV90011524360", "90011524360"),    # the Peppol VAT scheme
])
def test_the_buyer_registration_number_comes_from_any_latvian_identifier(how, value, expected):
    buyer = "cac:AccountingCustomerParty/cac:Party"
    root = etree.fromstring(VALID)
    party = root.find(buyer, NS)
    legal = party.find("cac:PartyLegalEntity", NS)
    legal.remove(legal.find("cbc:CompanyID", NS))
    endpoint = party.find("cbc:EndpointID", NS)
    if how == "endpoint-9939":
        endpoint.set("schemeID", "9939")
        endpoint.text = value
    else:
        party.remove(endpoint)
        tax = etree.SubElement(party, f"{{{NS['cac']}}}PartyTaxScheme")
        etree.SubElement(tax, f"{{{NS['cbc']}}}CompanyID").text = "LV 9001 1524 360"
    reading = read(etree.tostring(root))
    assert reading.summary["buyer_registration_number"] == expected


# -- the rules, each by its official id ---------------------------------------------------

FIXTURE_RULES = {
    "missing-buyer-reference.xml": ["PEPPOL-EN16931-R003"],
    "wrong-customization.xml": ["PEPPOL-EN16931-R004"],
    "missing-profile.xml": ["PEPPOL-EN16931-R001"],
    "missing-invoice-number.xml": ["BR-02", "PKIP-XSD-01"],       # cbc:ID is mandatory in the schema too
    "missing-seller-name.xml": ["BR-06"],
    "missing-buyer-country.xml": ["BR-11"],
    # no lines: the VAT breakdown's S groups have nothing to add up (BR-S-01, BR-S-08 for each rate)
    "no-lines.xml": ["BR-16", "BR-CO-10", "BR-S-01", "BR-S-08", "BR-S-08", "PKIP-XSD-01"],
    "br-co-10.xml": ["BR-CO-10", "BR-CO-13"],      # the header's BT-106 is what BR-CO-13 adds up
    "br-co-13.xml": ["BR-CO-13"],
    "br-co-14.xml": ["BR-CO-14"],
    "br-co-15.xml": ["BR-CO-15"],
    "br-co-16.xml": ["BR-CO-16"],
    "br-co-17.xml": ["BR-CO-17", "BR-S-09"],       # BR-S-09 is the same check for category S
    "br-co-25.xml": ["BR-CO-25"],
    "malformed.xml": ["PKIP-XML-03"],
    "billion-laughs.xml": ["PKIP-XML-01"],
    "external-entity.xml": ["PKIP-XML-01"],
    "not-an-invoice.xml": ["PKIP-UBL-01"],
    "valid.xml": [], "order-reference-only.xml": [], "credit-note.xml": [], "other-municipality.xml": [],
}


def test_every_fixture_is_listed():
    assert {p.name for p in FIXTURES.glob("*.xml")} == set(FIXTURE_RULES)


@pytest.mark.parametrize("name", sorted(FIXTURE_RULES))
def test_each_fixture_breaks_exactly_its_rules_with_messages_in_both_languages(name):
    reading = read((FIXTURES / name).read_bytes())
    assert ids(reading) == sorted(FIXTURE_RULES[name])
    for problem in reading.problems:
        assert problem.rule_id in en16931.RULES
        assert problem.message["lv"] and problem.message["en"]


@pytest.mark.parametrize("rule, xpath", [
    ("BR-01", "cbc:CustomizationID"),
    ("BR-02", "cbc:ID"),
    ("BR-03", "cbc:IssueDate"),
    ("BR-04", "cbc:InvoiceTypeCode"),
    ("BR-05", "cbc:DocumentCurrencyCode"),
    ("BR-06", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("BR-07", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
    ("BR-08", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress"),
    ("BR-09", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country"),
    ("BR-10", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"),
    ("BR-11", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country"),
    ("BR-12", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
    ("BR-13", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
    ("BR-14", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
    ("BR-15", "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    ("BR-21", "cac:InvoiceLine/cbc:ID"),
    ("BR-22", "cac:InvoiceLine/cbc:InvoicedQuantity"),
    ("BR-24", "cac:InvoiceLine/cbc:LineExtensionAmount"),
    ("BR-25", "cac:InvoiceLine/cac:Item/cbc:Name"),
    ("BR-26", "cac:InvoiceLine/cac:Price"),
    ("BR-CO-18", "cac:TaxTotal/cac:TaxSubtotal"),
    ("PEPPOL-EN16931-R001", "cbc:ProfileID"),
])
def test_each_mandatory_element_missing_is_reported_by_its_rule_id(rule, xpath):
    data = without(xpath)
    if rule == "BR-CO-18":       # both subtotals
        data = without(xpath, data)
    reading = read(data)
    assert rule in ids(reading)
    problem = next(p for p in reading.problems if p.rule_id == rule)
    assert problem.path and problem.path.startswith("/Invoice")


def test_removing_a_mandatory_element_reports_only_what_follows_from_it():
    # each is mandatory in the UBL schema too; a missing line amount counts as 0 in R120, as officially
    assert ids(read(without("cbc:IssueDate"))) == ["BR-03", "PKIP-XSD-01"]
    assert ids(read(without("cac:LegalMonetaryTotal/cbc:PayableAmount"))) == ["BR-15", "PKIP-XSD-01"]
    assert ids(read(without("cac:InvoiceLine/cbc:LineExtensionAmount"))) == ["BR-24", "PEPPOL-EN16931-R120",
                                                                            "PKIP-XSD-01"]


def test_the_buyer_or_order_reference_rule_r003_accepts_either():
    assert ids(read((FIXTURES / "order-reference-only.xml").read_bytes())) == []
    assert ids(read(without("cbc:BuyerReference"))) == ["PEPPOL-EN16931-R003"]


def test_a_profile_in_the_wrong_format_is_r007():
    assert ids(read(replaced("cbc:ProfileID", "urn:www.cenbii.eu:profile:bii05:ver2.0"))) == ["PEPPOL-EN16931-R007"]
    assert ids(read(replaced("cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:02:1.0"))) == []


def test_br_co_17_allows_the_schematron_tolerance_of_less_than_one_unit():
    subtotal = "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"
    data = replaced(subtotal, "105.50")
    data = replaced("cac:TaxTotal/cbc:TaxAmount", "117.50", data)
    data = replaced("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "717.50", data)
    data = replaced("cac:LegalMonetaryTotal/cbc:PayableAmount", "717.50", data)
    assert ids(read(data)) == []
    data = replaced(subtotal, "105.99", data)
    data = replaced("cac:TaxTotal/cbc:TaxAmount", "117.99", data)
    data = replaced("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "717.99", data)
    data = replaced("cac:LegalMonetaryTotal/cbc:PayableAmount", "717.99", data)
    assert ids(read(data)) == []
    for tax, total in (("106.00", "718.00"), ("104.00", "716.00")):     # exactly one unit off is too much
        data = replaced(subtotal, tax, data)
        data = replaced("cac:TaxTotal/cbc:TaxAmount", f"{int(tax[:3]) + 12}.00", data)
        data = replaced("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", total, data)
        data = replaced("cac:LegalMonetaryTotal/cbc:PayableAmount", total, data)
        assert ids(read(data)) == ["BR-CO-17", "BR-S-09"]


def test_br_co_17_a_zero_rate_needs_a_zero_tax():
    # an S group at 0 % also has no S line at 0 % (BR-S-08) and the wrong tax for S (BR-S-09)
    data = replaced("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "0")
    assert ids(read(data)) == ["BR-CO-17", "BR-S-08", "BR-S-09"]


def test_br_co_16_counts_prepaid_and_rounding_amounts_exactly():
    root = etree.fromstring(VALID)
    totals = root.find("cac:LegalMonetaryTotal", NS)
    payable = totals.find("cbc:PayableAmount", NS)
    for tag, value in (("PrepaidAmount", "100.00"), ("PayableRoundingAmount", "0.01")):
        element = etree.Element(f"{{{NS['cbc']}}}{tag}", currencyID="EUR")
        element.text = value
        payable.addprevious(element)
    payable.text = "617.01"
    reading = read(etree.tostring(root))
    assert ids(reading) == []
    assert reading.summary["prepaid_amount"] == Decimal("100.00")
    payable.text = "617.00"
    assert ids(read(etree.tostring(root))) == ["BR-CO-16"]


def test_a_value_that_is_not_a_number_is_reported_not_guessed():
    reading = read(replaced("cac:LegalMonetaryTotal/cbc:PayableAmount", "717,00"))
    assert ids(reading) == ["PKIP-UBL-02", "PKIP-XSD-01"]
    assert reading.summary["payable_amount"] is None


def test_calculation_messages_give_both_amounts():
    problem = read((FIXTURES / "br-co-15.xml").read_bytes()).problems[0]
    assert "727.00" in problem.message["en"] and "717.00" in problem.message["en"]
    assert problem.path == "/Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"


# -- unsafe documents ---------------------------------------------------------------------

def test_billion_laughs_is_refused_quickly_without_expanding_entities():
    started = time.monotonic()
    reading = read((FIXTURES / "billion-laughs.xml").read_bytes())
    assert time.monotonic() - started < 1
    assert ids(reading) == ["PKIP-XML-01"] and reading.summary is None
    assert "DOCTYPE" in reading.problems[0].message["en"]
    assert "lollol" not in repr(reading)


def test_an_external_entity_is_refused_without_reading_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    data = (f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>\n'
            f'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
            f'xmlns:cbc="{NS["cbc"]}"><cbc:ID>&e;</cbc:ID></Invoice>').encode()
    for reading in (read(data), read((FIXTURES / "external-entity.xml").read_bytes())):
        assert ids(reading) == ["PKIP-XML-01"] and reading.summary is None
        assert "TOP-SECRET-MARKER" not in repr(reading) and "root:" not in repr(reading)


def test_the_safe_parser_itself_never_resolves_entities_even_past_the_byte_scan():
    # UTF-16 hides "<!DOCTYPE" from the byte scan; the parser must neither expand nor fetch,
    # and the document is still refused once parsed.
    data = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&e;</Invoice>').encode("utf-16")
    assert b"<!DOCTYPE" not in data
    reading = read(data)
    assert ids(reading) == ["PKIP-XML-01"]
    assert "root:" not in repr(reading)


def test_an_external_dtd_is_refused_without_the_network():
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE Invoice SYSTEM "http://example.invalid/x.dtd">\n'
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
    assert ids(read(data)) == ["PKIP-XML-01"]


def test_the_size_limit_is_a_parameter_and_5_mb_by_default():
    assert ids(read(VALID, max_bytes=len(VALID) - 1)) == ["PKIP-XML-02"]
    assert ids(read(VALID, max_bytes=len(VALID))) == []
    assert xmlsafe.DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    big = VALID.replace(b"<cbc:Name>Biroja", b"<cbc:Name>" + b" " * xmlsafe.DEFAULT_MAX_BYTES + b"Biroja")
    reading = read_document("en16931", big)
    assert ids(reading) == ["PKIP-XML-02"] and reading.summary is None
    assert "5242880" in reading.problems[0].message["en"]


def test_malformed_xml_says_where():
    reading = read((FIXTURES / "malformed.xml").read_bytes())
    assert ids(reading) == ["PKIP-XML-03"]
    assert "line 6" in reading.problems[0].message["en"] and "rinda 6" in reading.problems[0].message["lv"]
    assert ids(read(b"")) == ["PKIP-XML-03"]
    assert ids(read(b"\x00\xff\xfe garbage")) == ["PKIP-XML-03"]


# -- the language: types, engine, routing, definition tests ------------------------------

SERVICE = """\
format: 1
service: {id: x, code: XX, version: 1.0.0, title: {lv: X, en: X}}
fields:
  invoice: {type: file, document: en16931, label: {lv: Rēķins, en: Invoice}}
computed:
  total: {type: money, expr: "invoice.document.total_with_vat"}
  issued: {type: date, expr: "invoice.document.issue_date"}
  rates: {type: integer, expr: "size(invoice.document.vat_breakdown.filter(v, v.rate > 20))"}
  problems: {type: integer, expr: "size(invoice.document_problems)"}
  ours: {type: boolean, expr: "invoice.document.buyer_registration_number in municipality.registration_numbers"}
pages:
  - {id: main, title: {lv: G, en: M}, fields: [invoice]}
  - {id: check, title: {lv: P, en: C}, fields: [], show: [total, issued]}
routing: {to: finance, institution: "invoice.document.buyer_registration_number"}
"""


def compile_service(text: str = SERVICE):
    problems = Problems()
    service = compile_text(text, "services/x.yaml", problems)
    return service, problems


def _minimal(text: str) -> str:
    # the "check" page needs a field of its own
    return text.replace("  invoice: {type: file", "  note: {type: text, required: false}\n  invoice: {type: file") \
               .replace("fields: [], show", "fields: [note], show")


def test_summary_members_type_check_and_an_unknown_member_is_e303():
    service, problems = compile_service(_minimal(SERVICE))
    assert service is not None, [p.format() for p in problems]
    bad = _minimal(SERVICE).replace("invoice.document.total_with_vat", "invoice.document.total_with_vta")
    service, problems = compile_service(bad)
    assert service is None
    found = [p for p in problems.errors if p.code == "E303"]
    assert found and "total_with_vta" in found[0].message and "total_with_vat" in found[0].message
    wrong_type = _minimal(SERVICE).replace('type: date, expr: "invoice.document.issue_date"',
                                           'type: date, expr: "invoice.document.currency"')
    assert compile_service(wrong_type)[0] is None


def test_document_is_only_for_files_and_only_registered_readers():
    text = _minimal(SERVICE)
    _, problems = compile_service(text.replace("note: {type: text,", "note: {type: text, document: en16931,"))
    assert "E207" in {p.code for p in problems.errors}
    _, problems = compile_service(text.replace("document: en16931", "document: ubl3"))
    assert "E204" in {p.code for p in problems.errors}


def test_the_schema_enum_lists_exactly_the_registered_readers():
    schema = json.loads((ROOT / "builder" / "schema" / "service.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["field"]["properties"]["document"]["enum"] == sorted(readers())


def test_a_page_may_show_only_computed_values():
    _, problems = compile_service(_minimal(SERVICE).replace("show: [total, issued]", "show: [totl]"))
    assert [p.code for p in problems.errors] == ["E402"]
    assert "total" in problems.errors[0].message


def municipality(*institutions: Institution) -> Municipality:
    return Municipality(
        id="riga", name=Text({"lv": "Rīga", "en": "Riga"}), kind="state_city", atvk="0001000", iso="LV-RIX",
        registration_number="90011524360", e_address=None, iban=None, contacts=frozen_map(), theme=frozen_map(),
        institutions=frozen_map({i.id: i for i in institutions}), services=frozen_map())


COUNCIL = Institution("council", Text("Dome"), "90011524360")
FINANCE = Institution("finance", Text("Finanses"), "90011524360")
SCHOOL = Institution("school", Text("Skola"), "90000000001")


def outcome(data: bytes, *institutions: Institution, stored: bool = False):
    service, problems = compile_service(_minimal(SERVICE))
    assert service is not None, [p.format() for p in problems]
    answer = file_answer("en16931", "rekins.xml", "application/xml", data)
    if stored:     # through JSON, as the runtime keeps it
        answer = json.loads(json.dumps(to_json(answer)))
    effective = bind(service, municipality(*(institutions or (COUNCIL, FINANCE))))
    return evaluate(effective, {"invoice": answer}, Context(today=datetime.date(2026, 2, 3)))


@pytest.mark.parametrize("stored", [False, True])
def test_expressions_see_the_typed_summary(stored):
    result = outcome(VALID, stored=stored)
    assert result.valid, result.errors
    assert result.computed == {"total": Decimal("717.00"), "issued": datetime.date(2026, 2, 2), "rates": 1,
                               "problems": 0, "ours": True}
    assert result.values["invoice"]["document"]["vat_breakdown"][1]["rate"] == Decimal("12")


def test_each_problem_is_a_field_error_whose_message_starts_with_the_rule_id():
    result = outcome((FIXTURES / "no-lines.xml").read_bytes())
    assert sorted(issue.rule for issue in result.errors) == ["BR-16", "BR-CO-10", "BR-S-01", "BR-S-08", "BR-S-08",
                                                             "PKIP-XSD-01"]
    for issue in result.errors:
        assert issue.key == "invoice" and issue.fields == ("invoice",) and issue.page == "main"
        assert issue.message["lv"].startswith(f"{issue.rule}: ") and issue.message["en"].startswith(f"{issue.rule}: ")
    assert result.computed["problems"] == 6


def test_an_unreadable_document_has_a_null_summary_and_expressions_do_not_fail():
    result = outcome((FIXTURES / "billion-laughs.xml").read_bytes())
    assert [issue.rule for issue in result.errors] == ["PKIP-XML-01"]
    assert result.values["invoice"]["document"] is None
    assert result.computed["total"] is None and result.computed["ours"] is None


def test_problems_cannot_be_smuggled_past_a_field_without_a_reader():
    plain = SERVICE.split("computed:")[0] + "pages:\n  - {id: main, title: {lv: G, en: M}, fields: [invoice]}\n"
    service, problems = compile_service(plain.replace("document: en16931, ", ""))
    assert service is not None, [p.format() for p in problems]
    effective = bind(service, municipality(COUNCIL))
    answer = {"name": "a.xml", "size": 1, "media_type": "application/xml", "document": {"total_with_vat": "1"},
              "document_problems": [{"rule_id": "BR-01", "message": {"lv": "x"}}]}
    result = evaluate(effective, {"invoice": answer}, Context(today=datetime.date(2026, 2, 3)))
    assert "document" not in result.values["invoice"] and result.errors == ()


def test_routing_picks_the_institution_with_the_buyers_registration_number():
    to_school = replaced("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", "90000000001")
    to_school = replaced("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", "90000000001", to_school)
    result = outcome(to_school, COUNCIL, FINANCE, SCHOOL)
    assert result.route == "finance" and result.institution.id == "school"
    # the role's own institution wins when it has the number; an unknown number falls back to it
    assert outcome(VALID, COUNCIL, FINANCE, SCHOOL).institution.id == "finance"
    unknown = replaced("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", "90000000002")
    unknown = replaced("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", "90000000002", unknown)
    result = outcome(unknown, COUNCIL, FINANCE, SCHOOL)
    assert result.institution.id == "finance" and result.computed["ours"] is False


def test_municipality_registration_numbers_hold_the_municipalitys_and_its_institutions():
    result = outcome(VALID, COUNCIL, SCHOOL)
    assert result.computed["ours"] is True
    from builder.overlay import municipality_variables
    assert municipality_variables(municipality(COUNCIL, FINANCE, SCHOOL))["registration_numbers"] == \
        ["90011524360", "90000000001"]


class _Catalogue:
    def __init__(self, root: Path, municipality: Municipality):
        self.root, self.municipalities = str(root), {"riga": municipality}


def test_definition_tests_read_fixtures_through_the_fields_reader(tmp_path):
    service, _ = compile_service(_minimal(SERVICE))
    (tmp_path / "fixtures" / "inv").mkdir(parents=True)
    (tmp_path / "fixtures" / "inv" / "a.xml").write_bytes((FIXTURES / "br-co-16.xml").read_bytes())
    catalogue = _Catalogue(tmp_path, municipality(COUNCIL, FINANCE))
    case = Case("t", frozen_map({"municipality": "riga", "today": "2026-02-03"}),
                    {"invoice": {"fixture": "inv/a.xml"}}, frozen_map({"errors": ["BR-CO-16"], "institution": "finance"}))
    assert run_case(catalogue, service, case) == []
    outside = copy.copy(case)
    object.__setattr__(outside, "answers", {"invoice": {"fixture": "../secret.xml"}})
    failures = run_case(catalogue, service, outside)
    assert len(failures) == 1 and failures[0].startswith("fixture:")
