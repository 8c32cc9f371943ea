"""Merged municipalities (`merged_into`): no applications, not listed, their cases found
from the municipality that took them over; E606 for a merger that names no current
municipality or no real date; and the listing of municipalities on service defaults."""
from __future__ import annotations

import datetime

from builder.catalogue import services_on_defaults

from .defs import RIGA, codes, load, service
from .test_overlay import municipality


def merged(mid: str, atvk: str, iso: str, into: str, on: str = "2025-07-01") -> str:
    return municipality(mid, atvk, iso).replace(
        f"iso: {iso}", f"iso: {iso}\n  merged_into: {{municipality: {into}, date: {on}}}")


def test_a_merged_municipality_takes_no_applications_and_is_found_from_its_successor(tmp_path):
    catalogue = load(tmp_path, municipalities={"riga": RIGA, "old": merged("old", "0055000", "LV-102", "riga")})
    assert not catalogue.problems.has_errors, [p.format() for p in catalogue.problems]
    old = catalogue.municipalities["old"]              # kept: its cases stay readable
    assert (old.merged_into, old.merged_on) == ("riga", datetime.date(2025, 7, 1)) and not old.current
    assert catalogue.effective("old", "x") is None and catalogue.enabled_services("old") == []
    assert [m.id for m in catalogue.current_municipalities()] == ["riga"]
    assert [m.id for m in catalogue.merged_into("riga")] == ["old"]
    assert catalogue.answers_for("riga", "old") and catalogue.answers_for("riga", "riga")
    assert not catalogue.answers_for("old", "riga")


def test_mergers_chain(tmp_path):
    catalogue = load(tmp_path, municipalities={
        "riga": RIGA, "mid": merged("mid", "0055000", "LV-102", "riga"), "old": merged("old", "0056000", "LV-103", "mid")})
    assert codes(catalogue.problems) == ["E606"]         # name the current one, not a merged one
    assert {m.id for m in catalogue.merged_into("riga")} == {"mid", "old"}


def test_e606_a_merger_into_nothing_itself_or_on_no_real_day(tmp_path):
    for index, (into, on) in enumerate([("rgia", "2025-07-01"), ("old", "2025-07-01"), ("riga", "2025-02-30")]):
        catalogue = load(tmp_path / str(index),
                         municipalities={"riga": RIGA, "old": merged("old", "0055000", "LV-102", into, on)})
        assert codes(catalogue.problems) == ["E606"], (into, on)


def test_municipalities_on_service_defaults_are_listed(tmp_path):
    x = service(parameters='\n  fee: {type: money, default: "10.00"}')
    own = municipality("own", "0002000", "LV-002", '{enabled: true, parameters: {fee: "8.00"}}')
    off = municipality("off", "0003000", "LV-003", "{enabled: false}")
    old = merged("old", "0055000", "LV-102", "riga")
    catalogue = load(tmp_path, services={"x": x},
                     municipalities={"riga": RIGA, "own": own, "off": off, "old": old})
    assert services_on_defaults(catalogue) == {"riga": ["x"]}
