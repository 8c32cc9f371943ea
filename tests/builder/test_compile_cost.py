"""Start-up cost with many municipalities: not a timed test (timings belong to
`python -m builder.measure`), but the property that keeps it cheap: each service is
compiled once, whatever the number of municipalities, and binding compiles nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

import builder.catalogue
import builder.unit
from builder import measure
from builder.problems import Problems
from builder.yamlload import load_text

from .defs import RIGA, service, write_layout

ROOT = Path(__file__).resolve().parents[2]


def overlays(count: int) -> dict[str, str]:
    """`count` municipalities (Riga, which the tests name, and clones), each enabling x and y."""
    text = RIGA.replace("x: {enabled: true}", "x: {enabled: true}\n  y: {enabled: true}")
    riga = load_text(text, "riga.yaml", Problems()).data
    clones = [measure.clone_overlay(riga, index) for index in range(count - 1)]
    return {"riga": text, **{clone["municipality"]["id"]: _dump(clone) for clone in clones}}


def _dump(data: dict) -> str:
    import yaml
    return yaml.dump(data, Dumper=measure._Dumper, allow_unicode=True, sort_keys=False)


@pytest.fixture
def counters(monkeypatch):
    """Counts calls of the service compiler and of the expression compiler."""
    counts = {"services": 0, "expressions": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper
    monkeypatch.setattr(builder.catalogue, "compile_text", counting("services", builder.catalogue.compile_text))
    monkeypatch.setattr(builder.unit, "compile_expression", counting("expressions", builder.unit.compile_expression))
    return counts


@pytest.mark.parametrize("count", [1, 60])
def test_each_service_is_compiled_once_and_binding_compiles_nothing(tmp_path, counters, count):
    second = service(service="\n  id: y\n  code: YY\n  version: 1.0.0\n  title: {lv: Otrs, en: Second}")
    root = write_layout(tmp_path, services={"x": service(), "y": second}, municipalities=overlays(count))
    catalogue = builder.catalogue.load_catalogue(root)
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems][:3]
    assert len(catalogue.municipalities) == count and counters["services"] == 2
    compiled_expressions = counters["expressions"]
    bound = [e for mid in catalogue.municipalities for e in catalogue.enabled_services(mid)]
    assert len(bound) == 2 * count
    assert counters == {"services": 2, "expressions": compiled_expressions}
    assert {id(e.service) for e in bound} == {id(s) for s in catalogue.services.values()}


def test_synthetic_overlays_get_ids_and_codes_no_real_municipality_uses():
    clones = [measure.clone_overlay({"municipality": {"id": "riga"}}, index) for index in (0, 675, 676, 3379)]
    isos = [clone["municipality"]["iso"] for clone in clones]
    assert isos == ["LV-QAA", "LV-QZZ", "LV-WAA", "LV-ZZZ"]
    assert len({clone["municipality"]["atvk"] for clone in clones}) == 4


def test_the_measure_tree_loads_without_errors(tmp_path):
    measure.build_tree(ROOT / "definitions", tmp_path, 45)       # the real 43 and two clones
    catalogue = builder.catalogue.load_catalogue(tmp_path)
    assert len(catalogue.municipalities) == 45 and not catalogue.problems.has_errors


def test_measure_prints_one_line_per_count(capsys):
    assert measure.main(["3", "--root", str(ROOT / "definitions")]) == 0     # at least the real ones
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{len(list((ROOT / 'definitions/municipalities').glob('*.yaml')))} municipalities, ") and "µs per municipality" in line and line.endswith("0 errors")
