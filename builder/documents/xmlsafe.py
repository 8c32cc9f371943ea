"""Parse untrusted XML safely with lxml.

No DTD is loaded or validated, no entity is resolved, nothing is fetched from the network,
and libxml2's limits on huge documents stay on. A document that declares a DOCTYPE at all
is refused before and after parsing: UBL never needs one, and refusing it outright is what
stops entity expansion ("billion laughs") and external entities (`SYSTEM "file:///..."`).
"""
from __future__ import annotations

from lxml import etree

from . import DocumentProblem
from ..model import Text

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

RULES = {
    "PKIP-XML-01": "the document declares a DOCTYPE or entities, which are refused",
    "PKIP-XML-02": "the document is larger than the size limit",
    "PKIP-XML-03": "the document is not well-formed XML",
}


class Refused(Exception):
    def __init__(self, problem: DocumentProblem):
        super().__init__(problem.rule_id)
        self.problem = problem


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False,
                           load_dtd=False, huge_tree=False, remove_pis=True, collect_ids=False)


def parse(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of `data`; raises `Refused` with a problem for anything unsafe or broken."""
    if len(data) > max_bytes:
        raise Refused(DocumentProblem("PKIP-XML-02", Text({
            "lv": f"Datne ir pārāk liela: {len(data)} baiti; atļauts ne vairāk kā {max_bytes} baiti.",
            "en": f"The file is too large: {len(data)} bytes; at most {max_bytes} bytes are accepted."})))
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _doctype()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise Refused(DocumentProblem("PKIP-XML-03", Text({
            "lv": f"Datne nav korekts XML dokuments (rinda {exc.lineno}): {exc.msg}",
            "en": f"The file is not well-formed XML (line {exc.lineno}): {exc.msg}"}))) from None
    except ValueError as exc:      # e.g. an encoding lxml refuses
        raise Refused(DocumentProblem("PKIP-XML-03", Text({
            "lv": f"Datne nav korekts XML dokuments: {exc}", "en": f"The file is not well-formed XML: {exc}"}))) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _doctype()       # a DOCTYPE hidden from the byte scan, e.g. in UTF-16
    return root


def _doctype() -> Refused:
    return Refused(DocumentProblem("PKIP-XML-01", Text({
        "lv": "Datnē ir DOCTYPE vai entītiju deklarācija; drošības dēļ tādas e-rēķinu datnes netiek pieņemtas.",
        "en": "The file declares a DOCTYPE or entities; for security such files are not accepted."})))
