"""Open data: ckanapi against the CKAN action API stand-in over HTTP (create, then
update the same package and its one CSV resource), counts under 5 suppressed, DCAT-AP
style metadata, CKAN's refusals as permanent."""
from __future__ import annotations

import pytest

from publishers.contract import PermanentRefusal
from publishers.opendata import PUBLISHER, csv_text
from publishers.opendata_standin import CkanStandIn


def dataset(rows=None, name="pkip-applications"):
    return {"name": name, "title": {"lv": "Iesniegumi", "en": "Applications"},
            "description": {"lv": "Iesniegumu skaits", "en": "Applications per month"}, "publisher": "PKIP",
            "period": "2026-01/2026-12", "columns": ["municipality", "month", "applications", "share_on_time"],
            "count_columns": ["applications"], "derived_from": {"share_on_time": "applications"},
            "rows": rows if rows is not None else [["riga", "2026-03", 12, "0.92"], ["cesu-novads", "2026-03", 3, "1.00"]]}


def settings(url, **more):
    return {"url": url, "api_key": "key-1", "organisation": "pkip", "timeout_seconds": 5.0, "max_attempts": 3, **more}


def test_counts_under_five_and_what_is_derived_from_them_are_left_empty():
    assert csv_text(dataset()).splitlines() == ["municipality,month,applications,share_on_time",
                                                "riga,2026-03,12,0.92", "cesu-novads,2026-03,,"]


def test_a_data_set_is_created_then_updated_in_place(served):
    standin = CkanStandIn(api_key="key-1")
    url = served(standin) + "/dati/lv"
    first = PUBLISHER.deliver(dataset(), "opendata:applications:1", settings(url))
    PUBLISHER.deliver(dataset([["riga", "2026-04", 20, "0.85"]]), "opendata:applications:2", settings(url))
    [package] = standin.packages.values()
    assert package["id"] == first.receiver_id and len(package["resources"]) == 1
    assert standin.csv_of("pkip-applications").splitlines()[1] == "riga,2026-04,20,0.85"
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["dct:accrualPeriodicity"].endswith("/MONTHLY") and extras["dct:title_en"] == "Applications"
    assert package["license_id"] == "cc-by" and package["owner_org"] == "pkip"


def test_a_wrong_api_key_and_an_invalid_name_are_refused_for_good(served):
    url = served(CkanStandIn(api_key="key-1")) + "/dati/lv"
    with pytest.raises(PermanentRefusal, match="NotAuthorized"):
        PUBLISHER.deliver(dataset(), "k", settings(url, api_key="wrong"))
    with pytest.raises(PermanentRefusal, match="ValidationError"):
        PUBLISHER.deliver(dataset(name="Not A Name!"), "k", settings(url))
