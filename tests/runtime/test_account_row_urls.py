""""My applications"' row addresses (`web.account.row_url`) kept around a slot are what
`url_for` builds, at the root and under a mount point, for references and draft ids; a
value Werkzeug would quote, or a row without a known service, goes through `url_for`; a
row's title kept once per request and service is that service's."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from flask import url_for

from runtime.web.account import ROW_URLS_KEPT, row_url

ROWS = (("documents.application_pdf", "reference", {"municipality_id": "riga", "service_id": "dog-fee"}),
        ("case_page.case_page", "reference", {"municipality_id": "riga"}),
        ("resident.resume_own", "draft_id", {"municipality_id": "riga", "service_id": "dog-fee"}))
VALUES = ("RIX-SUN-2026-000002", "rix-koc-2026-00001", str(uuid.uuid4()), "A~b.c_d-1",
          "with space", "slash/inside", "Bērziņš", "50%", "a?b#c")


@pytest.mark.parametrize("base_url", ["http://localhost/", "http://localhost/mounted/"])
def test_kept_row_addresses_are_what_url_for_builds(app, base_url):
    service = SimpleNamespace()
    with app.test_request_context("/", base_url=base_url):
        for endpoint, slot, fixed in ROWS:
            for value in VALUES:
                if slot == "draft_id" and value != VALUES[2]:
                    continue                      # the uuid converter takes draft ids only
                expected = url_for(endpoint, **fixed, **{slot: value})
                assert row_url(service, endpoint, slot, value, **fixed) == expected, (endpoint, value)
                assert row_url(None, endpoint, slot, value, **fixed) == expected
                assert row_url(service, endpoint, slot, value, **fixed) == expected      # kept now
    assert len(service.__dict__[ROW_URLS_KEPT]) == len(ROWS)         # one address per endpoint and mount point


def test_a_fixed_value_holding_the_mark_goes_through_url_for(app):
    from runtime.web.account import SLOT_MARK
    with app.test_request_context("/"):
        fixed = {"municipality_id": f"x{SLOT_MARK}y"}
        assert row_url(SimpleNamespace(), "case_page.case_page", "reference", "R-1", **fixed) == \
            url_for("case_page.case_page", reference="R-1", **fixed)


def test_a_rows_title_kept_per_request_is_its_own_services(app):
    """`_row` keeps each service's title once per request: rows of every shipped service,
    each twice and interleaved, in Latvian and English, still have their own service's
    title (`text_for`), and a row without a known service "?"."""
    from flask import g

    from runtime.i18n import text_for
    from runtime.web.account import _row
    from tests.runtime.test_render_plans import offered_services
    services = [effective.service for effective in offered_services()]
    assert len({service.title.get_for("lv") for service in services}) > 1
    for language in ("lv", "en"):
        with app.test_request_context("/"):
            g.language = language
            catalogue, titles = app.extensions["pkip"].catalogue, {}
            for service in [*services, *reversed(services), None]:
                row = _row(service, "riga", None, catalogue, titles)
                assert row.title == (text_for(service.title) if service else "?"), (language, service and service.id)
