"""A document's warnings reach the answer but never stop the resident: only its fatal
problems become errors on the field, each at the field and named by its rule."""
from __future__ import annotations

import datetime
import json

from builder.documents import file_answer
from builder.engine import Context, evaluate, to_json
from builder.overlay import bind
from tests.builder.invoices import edits, invoice, remove, set_text
from tests.builder.test_documents import COUNCIL, FINANCE, SERVICE, _minimal, compile_service, municipality, outcome

# a seller registration number whose check digit is wrong: a warning (PKIP-ID-0218)
WARNED = set_text("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "40003000003")


def test_a_document_with_only_a_warning_is_valid_and_keeps_the_warning():
    result = outcome(invoice(WARNED))
    assert result.valid and result.errors == ()
    kept = result.values["invoice"]["document_problems"]
    assert [(p["rule_id"], p["severity"]) for p in kept] == [("PKIP-ID-0218", "warning")]
    assert result.computed["problems"] == 1


def test_beside_a_warning_only_the_fatal_problem_is_an_error_on_the_field():
    result = outcome(invoice(edits(WARNED, remove("cbc:BuyerReference"))))
    assert not result.valid
    assert [(e.rule, e.key, e.fields, e.page) for e in result.errors] == \
        [("PEPPOL-EN16931-R003", "invoice", ("invoice",), "main")]
    assert result.errors[0].message["en"] == ("PEPPOL-EN16931-R003: A buyer reference (BT-10) or purchase order "
                                              "reference (BT-13) MUST be provided.")


def test_a_warning_before_a_fatal_problem_does_not_hide_it():
    # as stored (JSON), with the warning listed first: the fatal one after it still counts
    answer = json.loads(json.dumps(to_json(file_answer("en16931", "rekins.xml", "application/xml",
                                                       invoice(edits(WARNED, remove("cbc:BuyerReference")))))))
    answer["document_problems"].reverse()
    assert [p["severity"] for p in answer["document_problems"]] == ["warning", "fatal"]
    service, problems = compile_service(_minimal(SERVICE))
    effective = bind(service, municipality(COUNCIL, FINANCE))
    result = evaluate(effective, {"invoice": answer}, Context(today=datetime.date(2026, 2, 3)))
    assert [e.rule for e in result.errors] == ["PEPPOL-EN16931-R003"]
