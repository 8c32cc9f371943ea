"""Every open data set describes itself in both languages and its rows fit its columns:
as many values as columns, the counts and what is derived from them among its own columns
(the publisher blanks a count under 5 and what is derived from it by these names)."""
from __future__ import annotations

from runtime.opendata import SETS, data_sets

from .staff.cases import file_case
from .test_opendata_sets import grant, shipped_app


def test_each_data_set_has_its_rows_fit_its_columns(app_config):
    app = shipped_app(app_config)
    permits = [file_case(app, "tree-felling-permit", "riga") for _ in range(2)]
    for service in ("preschool-queue", "dog-fee", "street-trading-permit"):
        file_case(app, service, "riga")
    state = app.extensions["pkip"]
    grant(state, permits[0])
    sets = data_sets(state, "2026-03")
    assert [s["name"] for s in sets] == list(SETS) and len(sets) == 11
    for found in sets:
        assert found["period"] == "2026-03" and found["publisher"]
        assert all(found[key]["lv"] and found[key]["en"] for key in ("title", "description")), found["name"]
        columns = found["columns"]
        assert set(found.get("count_columns", ())) <= set(columns), found["name"]
        derived = found.get("derived_from", {})
        assert set(derived) <= set(columns) and set(derived.values()) <= set(found.get("count_columns", ())), found["name"]
        assert all(len(row) == len(columns) for row in found["rows"]), found["name"]
    rows = {s["name"]: s["rows"] for s in sets}
    for name in ("pkip-service-catalogue", "pkip-applications", "pkip-processing-times", "pkip-outcomes",
                 "pkip-tree-felling-permits", "pkip-preschool-queues", "pkip-dog-fees", "pkip-street-trading-places"):
        assert rows[name], name
    assert [row[2] for row in rows["pkip-applications"] if row[1] == "tree-felling-permit"] == ["e-service"]
    assert [row[:3] for row in rows["pkip-outcomes"]] == [["riga", "tree-felling-permit", "issued"]]
