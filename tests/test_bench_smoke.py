"""The benchmark code must not rot: run its pure-Python parts (configuration scale, large
definitions, and the inbox part on PostgreSQL) with tiny sizes and check the shape of the JSON
it writes. No timing is
asserted: figures are measured, never tested."""
from __future__ import annotations

import json

import pytest

from bench.__main__ import main
from bench.large import generate

FIGURE_KEYS = {"id", "title", "ratio", "ratio_of", "better", "raw", "status", "note"}


def test_tiny_run_writes_figures_as_json(tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert main(["--tiny", "--only", "scale,large,growth", "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert {"date", "quick", "command", "machine", "load_average", "figures"} <= set(doc)
    assert doc["machine"]["cores"] >= 1 and doc["machine"]["cpu_model"]
    ids = [figure["id"] for figure in doc["figures"]]
    assert len(ids) == len(set(ids))
    for figure in doc["figures"]:
        assert set(figure) == FIGURE_KEYS
        assert figure["status"] == "ok"
        assert figure["better"] in ("higher", "lower")
        assert isinstance(figure["ratio"], (int, float))
        assert isinstance(figure["raw"], dict) and figure["raw"]
    assert any(i.startswith("scale.startup_") for i in ids)
    assert any(i.startswith("scale.rss_") for i in ids)
    assert "scale.create_app_vs_load" in ids
    assert "large.evaluate_vs_real_services" in ids and "large.compile" in ids
    assert "growth.evaluate_per_entry" in ids
    pages_growth = {f["id"]: f for f in doc["figures"] if f["id"] in ("growth.check_per_entry", "growth.submit_per_entry")}
    assert len(pages_growth) == 2         # the whole pages with 1, 10 and 50 dogs (a copy allowing 50)
    for figure in pages_growth.values():
        assert figure["raw"]["calls_per_dog_1_to_10"] > 0 and figure["raw"]["calls_per_dog_10_to_50"] > 0
    printed = capsys.readouterr().out
    assert all(i in printed for i in ids)        # one printed line per figure


def test_the_large_service_has_the_stated_size():
    _, answers, counts = generate()
    assert counts["fields"] == 300
    assert counts["rules"] == 65
    assert counts["computed"] >= 20 and counts["fee_lines"] >= 10
    assert len(answers["items"]) == counts["repeat_entries"]


@pytest.mark.postgres
def test_the_inbox_part_loads_cases_and_times_every_view():
    from bench.inbox import VIEWS, figures
    found = {figure.id: figure for figure in figures(400, 1)}
    assert set(found) == {f"inbox.{view}" for view in VIEWS} | {"inbox.counts"}
    for figure in found.values():
        assert figure.status == "ok" and isinstance(figure.ratio, float), figure
        assert figure.raw["cases"] == 400 and figure.raw["inbox_ms"] > 0
