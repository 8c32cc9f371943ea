"""Reading values out of a parsed UBL 2.1 document: texts, decimals and dates by path,
with problems recorded (never raised) for values that are present but unreadable."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from . import DocumentProblem
from ..model import Text

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "Invoice",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "CreditNote",
}
NS = {"cac": CAC, "cbc": CBC}


class UblDocument:
    """A UBL Invoice or CreditNote; `kind` is "Invoice" or "CreditNote"."""

    def __init__(self, root: etree._Element, kind: str):
        self.root, self.kind = root, kind
        self.problems: list[DocumentProblem] = []
        self.line_tag = "cac:InvoiceLine" if kind == "Invoice" else "cac:CreditNoteLine"
        self.quantity_tag = "cbc:InvoicedQuantity" if kind == "Invoice" else "cbc:CreditedQuantity"
        self.type_code_tag = "cbc:InvoiceTypeCode" if kind == "Invoice" else "cbc:CreditNoteTypeCode"

    def path(self, xpath: str) -> str:
        return f"/{self.kind}/{xpath}" if xpath else f"/{self.kind}"

    def nodes(self, xpath: str, node: etree._Element | None = None) -> list[etree._Element]:
        return (node if node is not None else self.root).findall(xpath, NS)

    def node(self, xpath: str, node: etree._Element | None = None) -> etree._Element | None:
        return (node if node is not None else self.root).find(xpath, NS)

    def text(self, xpath: str, node: etree._Element | None = None) -> str | None:
        found = self.node(xpath, node)
        value = (found.text or "").strip() if found is not None else ""
        return value or None

    def amount(self, xpath: str, node: etree._Element | None = None, where: str | None = None) -> Decimal | None:
        raw = self.text(xpath, node)
        if raw is None:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.unreadable(where or self.path(xpath), raw, "skaitlis", "a number")
            return None
        return value

    def date(self, xpath: str, node: etree._Element | None = None) -> datetime.date | None:
        raw = self.text(xpath, node)
        if raw is None:
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            self.unreadable(self.path(xpath), raw, "datums GGGG-MM-DD", "a date YYYY-MM-DD")
            return None

    def unreadable(self, where: str, raw: str, lv: str, en: str) -> None:
        self.problems.append(DocumentProblem("PKIP-UBL-02", Text({
            "lv": f"{where}: vērtība „{raw[:40]}” nav {lv}.",
            "en": f"{where}: the value \"{raw[:40]}\" is not {en}."}), where))

    def report(self, rule_id: str, lv: str, en: str, xpath: str | None = None) -> None:
        self.problems.append(DocumentProblem(rule_id, Text({"lv": lv, "en": en}),
                                             self.path(xpath) if xpath is not None else None))


def document_kind(root: etree._Element) -> str | None:
    """"Invoice" or "CreditNote" for a UBL 2.1 root element, else None."""
    qname = etree.QName(root)
    name = ROOTS.get(qname.namespace or "")
    return name if name == qname.localname else None
