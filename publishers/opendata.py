"""Open data on data.gov.lv (CKAN, run by VRAA): aggregated data sets as CSV with DCAT-AP
style metadata, pushed through the CKAN action API with ckanapi.

A data set is plain data (`runtime.opendata` builds it): a name, titles and descriptions in
Latvian and English, the columns, the rows, which columns are counts, and the period.
`build` makes the CSV, blanking every count under `MIN_COUNT` (5) and every figure derived
from such a group (a column listed as `derived_from`), so that no small group can point at
a person; `send` creates or updates the package (`package_show`, then `package_create` or
`package_update`) and its one CSV resource (`resource_create` or `resource_update` with the
file). The action API answers `{"success": true, "result": ...}`; a validation error or a
refused key is a permanent refusal, a server error, timeout or dropped connection temporary.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any, Mapping

import ckanapi
import requests

from . import settings as parse
from .contract import Outgoing, PermanentRefusal, PlainData, Publisher, Receipt, Setting, TemporaryFailure

MIN_COUNT = 5
LICENSE = "cc-by"            # CC BY 4.0, data.gov.lv's usual licence for public bodies' data
DCAT_PERIODICITY = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"


def suppressed_rows(data: PlainData) -> list[list[Any]]:
    """The rows with counts under MIN_COUNT blanked, and the figures derived from them."""
    columns = list(data["columns"])
    counts = [columns.index(name) for name in data.get("count_columns", ())]
    derived = {columns.index(name): columns.index(base) for name, base in data.get("derived_from", {}).items()}
    rows = []
    for row in data["rows"]:
        row = list(row)
        small = {i for i in counts if isinstance(row[i], int) and row[i] < MIN_COUNT}
        for i in small:
            row[i] = ""
        for i, base in derived.items():
            if base in small:
                row[i] = ""
        rows.append(row)
    return rows


def csv_text(data: PlainData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(data["columns"])
    writer.writerows(suppressed_rows(data))
    return buffer.getvalue()


def package(data: PlainData) -> dict[str, Any]:
    """The CKAN package with DCAT-AP style metadata (as CKAN extras, the way ckanext-dcat maps them)."""
    extras = {
        "dct:title_en": data["title"]["en"], "dct:description_en": data["description"]["en"],
        "dct:publisher": data["publisher"], "dct:accrualPeriodicity": DCAT_PERIODICITY,
        "dct:spatial": "http://publications.europa.eu/resource/authority/country/LVA",
        "dct:temporal": data["period"], "dct:language": "http://publications.europa.eu/resource/authority/language/LAV",
        "dcat:theme": "http://publications.europa.eu/resource/authority/data-theme/GOVE",
        "dct:conformsTo": "https://semiceu.github.io/DCAT-AP/", "suppression": f"counts under {MIN_COUNT} are left empty",
    }
    return {"name": data["name"], "title": data["title"]["lv"], "notes": data["description"]["lv"],
            "license_id": LICENSE, "tags": [{"name": tag} for tag in data.get("tags", ())],
            "extras": [{"key": key, "value": value} for key, value in sorted(extras.items())]}


class OpenDataPublisher(Publisher):
    id = "opendata"
    title = "data.gov.lv open data (CKAN)"
    settings = (
        Setting("url", parse.optional_url, None, "the CKAN site, e.g. https://data.gov.lv/dati/lv; unset: off"),
        Setting("api_key", parse.optional_text, None, "the CKAN API token of the publishing organisation"),
        Setting("organisation", parse.optional_text, "pkip", "the CKAN organisation the data sets belong to"),
        Setting("timeout_seconds", parse.seconds, 30.0, "per request"),
        Setting("max_attempts", parse.attempts, 12, "tries before a data set becomes a dead letter"),
    )

    def build(self, data: PlainData, key: str) -> Outgoing:
        body = json.dumps({"package": package(data), "csv": csv_text(data)},
                          ensure_ascii=False, sort_keys=True).encode()
        return Outgoing(self.id, key, body, "application/json", f"{data['name']} ({data['period']})")

    def send(self, message: Outgoing, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        built = json.loads(message.body)
        metadata = {**built["package"], "owner_org": settings["organisation"]}
        site = ckanapi.RemoteCKAN(settings["url"], apikey=settings.get("api_key"), session=transport)
        timeout = {"timeout": settings["timeout_seconds"]}
        try:
            found = _show(site, metadata["name"], timeout)
            action = "package_update" if found else "package_create"
            result = site.call_action(action, {**({"id": found["id"]} if found else {}), **metadata},
                                      requests_kwargs=timeout)
            resource = next((r for r in (found or {}).get("resources", ()) if r.get("name") == f"{metadata['name']}.csv"), None)
            upload = {"upload": (f"{metadata['name']}.csv", io.BytesIO(built["csv"].encode("utf-8")), "text/csv")}
            fields = {"package_id": result["id"], "name": f"{metadata['name']}.csv", "format": "CSV",
                      "hash": hashlib.sha256(built["csv"].encode()).hexdigest()}
            site.call_action("resource_update" if resource else "resource_create",
                             {**fields, **({"id": resource["id"]} if resource else {})}, files=upload,
                             requests_kwargs=timeout)
        except (ckanapi.ValidationError, ckanapi.NotAuthorized) as refusal:
            raise PermanentRefusal(f"opendata: {type(refusal).__name__}: {str(refusal)[:300]}") from None
        except (requests.RequestException, ckanapi.CKANAPIError) as error:
            raise TemporaryFailure(f"opendata: {type(error).__name__}: {str(error)[:300]}") from None
        return Receipt(self.id, message.key, result["id"])

    @classmethod
    def standin(cls, **options: Any) -> Any:
        from .opendata_standin import CkanStandIn
        return CkanStandIn(**options)


def _show(site: Any, name: str, timeout: dict) -> dict | None:
    try:
        return site.call_action("package_show", {"id": name}, requests_kwargs=timeout)
    except ckanapi.NotFound:
        return None


PUBLISHER = OpenDataPublisher()
