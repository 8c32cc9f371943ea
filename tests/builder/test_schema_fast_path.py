"""The compiled validator's fast path for overlays: whenever it passes a document, the
jsonschema pass would find nothing either (so the fast path never hides a problem); the
real overlays take it; and a broken overlay still gets the jsonschema pass's problems."""
from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings, strategies as st

from builder import schemacheck
from builder.problems import Problems
from builder.schemacheck import check_document, passes_fast_check
from builder.yamlload import Document, load_text

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
RIGA = load_text((DEFINITIONS / "municipalities" / "riga.yaml").read_text(encoding="utf-8"), "riga.yaml", Problems()).data

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.decimals(places=1, allow_nan=False,
                                                                                allow_infinity=False).map(Decimal),
                    st.sampled_from(["", "x", "riga", "LV-RIX", "LV-rix", "0001000", "001000", "90011524360",
                                     "#9e1b32", "#9e1b3", "novads", "state_city", "lv", "en", "a\n", "LV-RIX\n",
                                     "LV89RIKO0023300000000", "Rīga"]))
KEYS = st.sampled_from(["id", "name", "kind", "atvk", "iso", "lv", "en", "enabled", "parameters", "routing",
                        "council", "dog-fee", "Dog", "theme", "colour", "contacts", "email", "extra", "format"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=2),
                                                       st.dictionaries(KEYS, inner, max_size=3)), max_leaves=8)
PLACES = st.sampled_from([(), ("format",), ("municipality",), ("municipality", "name"), ("municipality", "iso"),
                          ("municipality", "atvk"), ("municipality", "theme"), ("institutions",),
                          ("institutions", "council"), ("institutions", "council", "name"), ("services",),
                          ("services", "dog-fee"), ("services", "dog-fee", "parameters"),
                          ("services", "dog-fee", "routing"), ("services", "dog-fee", "enabled")])


def _slow_problems(data) -> list:
    problems = Problems()
    saved, schemacheck.FAST_KINDS = schemacheck.FAST_KINDS, ()
    try:
        check_document(Document("m.yaml", data, {}, {}), "municipality", problems)
    finally:
        schemacheck.FAST_KINDS = saved
    return problems.items


def _replace(data, place, value):
    data = copy.deepcopy(data)
    if not place:
        return value
    node = data
    for key in place[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node
    if isinstance(node, dict):
        node[place[-1]] = value
    return data


@settings(max_examples=400, deadline=None)
@given(place=PLACES, value=VALUES)
def test_what_the_fast_check_passes_the_full_check_passes(place, value):
    data = _replace(RIGA, place, value)
    if passes_fast_check(data, "municipality"):
        assert _slow_problems(data) == []


def test_every_real_overlay_takes_the_fast_path():
    for path in sorted((DEFINITIONS / "municipalities").glob("*.yaml")):
        data = load_text(path.read_text(encoding="utf-8"), str(path), Problems()).data
        assert passes_fast_check(data, "municipality"), path.name


def test_a_broken_overlay_gets_the_full_passes_problems():
    data = _replace(RIGA, ("municipality", "iso"), "LV-rix")
    problems = Problems()
    assert not check_document(Document("m.yaml", data, {}, {}), "municipality", problems)
    assert [(p.code, p.message) for p in problems] == [(p.code, p.message) for p in _slow_problems(data)]
    assert [p.code for p in problems] == ["E205"]
