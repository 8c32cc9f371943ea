"""A municipality's catalogue: services grouped by topic, the municipality's most used
first within a topic, a search that works as a plain GET form, example services only in
development."""
from __future__ import annotations

from builder.catalogue import load_catalogue
from runtime.cases.catalogue import catalogue_groups, folded

from .resident_support import ROOT
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

CATALOGUE = load_catalogue(ROOT / "definitions")
RIGA = CATALOGUE.enabled_services("riga")


def ids(groups) -> list[tuple[str, list[str]]]:
    return [(group.topic, [e.service.id for e in group.services]) for group in groups]


def test_services_are_grouped_by_topic_and_the_most_used_come_first():
    quiet = ids(catalogue_groups(RIGA, {}, development=False))
    busy = ids(catalogue_groups(RIGA, {"street-trading-permit": 9, "e-invoice": 2}, development=False))
    business = dict(quiet)["business"]
    assert dict(busy)["business"][0] == "street-trading-permit" and business != dict(busy)["business"]
    assert [topic for topic, _ in quiet] == sorted((t for t, _ in quiet),
                                                  key=["education", "animals", "environment", "business"].index)


def test_the_example_service_is_listed_only_in_development():
    listed = {s for _, services in ids(catalogue_groups(RIGA, {}, development=False)) for s in services}
    developing = {s for _, services in ids(catalogue_groups(RIGA, {}, development=True)) for s in services}
    assert "example-pet-registration" not in listed and "example-pet-registration" in developing
    assert "dog-fee" in listed


def test_search_finds_by_title_summary_or_keyword_without_diacritics():
    found = ids(catalogue_groups(RIGA, {}, development=False, query="suns"))
    assert found == [("animals", ["dog-fee"])]
    assert ids(catalogue_groups(RIGA, {}, development=False, query="KOKU ciršana")) == [("environment", ["tree-felling-permit"])]
    assert catalogue_groups(RIGA, {}, development=False, query="zzz") == []
    assert folded("Ciršana Ķekavā") == "cirsana kekava"


def test_the_catalogue_page_groups_searches_and_counts(app, browser):
    html = browser.get("/riga/")
    assert "Mājdzīvnieki" in html and "Uzņēmējdarbība un tirdzniecība" in html
    assert 'role="search"' in html and 'name="q"' in html
    assert "Mājdzīvnieku reģistrācija" not in html          # the example, outside development
    searched = browser.get("/riga/?q=koki")
    assert "Koku ciršanas atļauja" in searched or "tree-felling-permit" in searched
    assert "dog-fee" not in searched
    assert "Neviens e-pakalpojums" in browser.get("/riga/?q=zzzz")
