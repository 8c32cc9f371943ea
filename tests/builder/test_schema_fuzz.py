"""Whatever data reaches the schema check, it reports schema problems and never crashes."""
from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from builder.problems import Problems
from builder.schemacheck import check_document
from builder.yamlload import Document

MINIMAL_SERVICE = {
    "format": 1,
    "service": {"id": "dog-fee", "code": "SUN", "version": "1.0.0", "title": "Suns"},
    "fields": {"name": {"type": "text"}},
    "pages": [{"id": "main", "title": "Galvenā", "fields": ["name"]}],
}

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=6),
                    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(Decimal),
                    st.sampled_from(["text", "number", "choice", "group", "repeat", "file", "lv", "en",
                                     "2026-02-30", "1.0.0", "type", "fields"]))
KEYS = st.one_of(st.text(max_size=6), st.sampled_from(
    ["type", "fields", "label", "pattern", "min", "max", "choices", "percent", "amount", "lv", "id"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)
SECTIONS = st.sampled_from(["service", "parameters", "choices", "fields", "computed", "pages", "rules",
                            "fees", "routing", "process", "documents", "queue", "tests", "format"])


@settings(max_examples=300, deadline=None)
@given(section=SECTIONS, value=VALUES)
def test_check_never_crashes_and_uses_only_schema_codes(section, value):
    data = copy.deepcopy(MINIMAL_SERVICE)
    data[section] = value
    problems = Problems()
    ok = check_document(Document("f.yaml", data, {}, {}), "service", problems)
    assert ok == (len(problems) == 0)
    assert {p.code for p in problems} <= {f"E20{i}" for i in range(1, 9)}
    assert len({(p.code, p.line, p.column, p.message) for p in problems}) == len(problems)
