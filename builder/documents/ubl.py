"""Reading values out of a parsed UBL 2.1 document: texts, decimals and dates by path,
with problems recorded (never raised) for values that are present but unreadable."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import lru_cache

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
PREFIXES = {CAC: "cac", CBC: "cbc"}
# xs:decimal as XML Schema writes it: no exponent, no thousands separator, no NaN or INF
XS_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
XS_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_DIGITS = 20    # integer digits, and fraction digits, of a number we calculate with


class UblDocument:
    """A UBL Invoice or CreditNote; `kind` is "Invoice" or "CreditNote"."""

    def __init__(self, root: etree._Element, kind: str):
        self.root, self.kind = root, kind
        self.problems: list[DocumentProblem] = []
        self._unreadable: set[tuple] = set()     # each bad value is reported once
        self.line_tag = "cac:InvoiceLine" if kind == "Invoice" else "cac:CreditNoteLine"
        self.quantity_tag = "cbc:InvoicedQuantity" if kind == "Invoice" else "cbc:CreditedQuantity"
        self.type_code_tag = "cbc:InvoiceTypeCode" if kind == "Invoice" else "cbc:CreditNoteTypeCode"

    def path(self, xpath: str) -> str:
        return f"/{self.kind}/{xpath}" if xpath else f"/{self.kind}"

    def nodes(self, xpath: str, node: etree._Element | None = None) -> list[etree._Element]:
        return _compiled(xpath)(node if node is not None else self.root)

    def node(self, xpath: str, node: etree._Element | None = None) -> etree._Element | None:
        found = _compiled(xpath)(node if node is not None else self.root)
        return found[0] if found else None

    def text(self, xpath: str, node: etree._Element | None = None) -> str | None:
        found = self.node(xpath, node)
        value = (found.text or "").strip() if found is not None else ""
        return value or None

    def where(self, node: etree._Element) -> str:
        """A readable path of `node`: /Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount."""
        steps = []
        while node is not None and node is not self.root:
            parent = node.getparent()
            qname = etree.QName(node)
            prefix = PREFIXES.get(qname.namespace or "", "")
            name = f"{prefix}:{qname.localname}" if prefix else qname.localname
            same = [c for c in parent if c.tag == node.tag] if parent is not None else [node]
            steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
            node = parent
        return "/".join([f"/{self.kind}", *reversed(steps)])

    def amount(self, xpath: str, node: etree._Element | None = None, where: str | None = None) -> Decimal | None:
        """The decimal at `xpath`, None when absent; a value that is present but not an
        xs:decimal, or too long to be an amount, is reported (once) and read as None."""
        found = self.node(xpath, node)
        raw = (found.text or "").strip() if found is not None else ""
        if not raw:
            return None
        value = decimal_value(raw)
        if value is None:
            self._refuse(found, where or self.path(xpath), "PKIP-UBL-02", raw, "skaitlis (piemēram, 1234.50)",
                         "a number (for example 1234.50)")
        elif value is TOO_LONG:
            self._refuse(found, where or self.path(xpath), "PKIP-UBL-03", raw,
                         f"skaitlis ar ne vairāk kā {MAX_DIGITS} cipariem pirms un aiz komata",
                         f"a number with at most {MAX_DIGITS} digits before and after the decimal point")
            return None
        return value if isinstance(value, Decimal) else None

    def date(self, xpath: str, node: etree._Element | None = None) -> datetime.date | None:
        found = self.node(xpath, node)
        raw = (found.text or "").strip() if found is not None else ""
        if not raw:
            return None
        try:
            if XS_DATE.match(raw):
                return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
        self._refuse(found, self.path(xpath), "PEPPOL-EN16931-F001", raw, "datums formā GGGG-MM-DD",
                     "a date written YYYY-MM-DD")
        return None

    def _refuse(self, node: etree._Element, where: str, rule_id: str, raw: str, lv: str, en: str) -> None:
        key = (self.where(node), rule_id)
        if key in self._unreadable:
            return
        self._unreadable.add(key)
        self.problems.append(DocumentProblem(rule_id, Text({
            "lv": f"{where}: vērtība „{raw[:40]}” nav {lv}; ierakstiet to šādi.",
            "en": f"{where}: the value \"{raw[:40]}\" is not {en}; write it that way."}), where))

    def problem(self, rule_id: str, lv: str, en: str, where: str | None, severity: str = "fatal") -> DocumentProblem:
        """A problem at an absolute `where` (see `where()`), not yet recorded."""
        return DocumentProblem(rule_id, Text({"lv": lv, "en": en}), where, severity)

    def report(self, rule_id: str, lv: str, en: str, xpath: str | None = None, severity: str = "fatal") -> None:
        self.problems.append(DocumentProblem(rule_id, Text({"lv": lv, "en": en}),
                                             self.path(xpath) if xpath is not None else None, severity))


def document_kind(root: etree._Element) -> str | None:
    """"Invoice" or "CreditNote" for a UBL 2.1 root element, else None."""
    qname = etree.QName(root)
    name = ROOTS.get(qname.namespace or "")
    return name if name == qname.localname else None


@lru_cache(maxsize=2048)
def _compiled(path: str) -> etree.XPath:
    """A compiled path: lxml's own path cache holds 100 and the rules use more, so each
    `find` would be parsed again."""
    return etree.XPath(path, namespaces=NS)


TOO_LONG = object()


def decimal_value(raw: str):
    """`raw` as a Decimal if it is an xs:decimal; TOO_LONG past MAX_DIGITS digits on either
    side of the point (no real invoice needs that, and it keeps every sum exact); else None."""
    text = raw.strip()
    if not XS_DECIMAL.match(text):
        return None
    whole, _, fraction = text.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        return TOO_LONG
    return Decimal(text)
