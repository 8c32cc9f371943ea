"""A merged municipality (Varakļānu novads, merged into Madonas novads on 1 July 2025):
not listed, takes no applications, its links lead to Madona; its cases stay readable under
its own address and are found from Madona's."""
from __future__ import annotations

import pytest

from runtime.worker import run_pending

from .support_documents import dev_sign_in, insert_submission, real_app

PDF = "/{}/example-pet-registration/case/VAR-PET-2026-000001/application.pdf"


@pytest.fixture
def app(app_config):
    application = real_app(app_config, env="development", dev_signin=True)
    yield application
    application.extensions["pkip"].database.dispose()


def test_the_merged_municipality_is_not_listed_and_takes_no_applications(app):
    client = app.test_client()
    index = client.get("/").get_data(as_text=True)
    assert "Varakļānu novads" not in index and "Madonas novads" in index
    page = client.get("/varaklanu-novads/").get_data(as_text=True)
    assert "ietilpst pašvaldībā „Madonas novads”" in page and 'href="/madonas-novads/"' in page
    assert "example-pet-registration" not in page                     # no service offered
    moved = client.get("/varaklanu-novads/example-pet-registration/")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/madonas-novads/example-pet-registration/")
    assert client.get("/varaklanu-novads/example-pet-registration/apply/").status_code == 404
    english = client.get("/madonas-novads/?lang=en").get_data(as_text=True)
    assert "includes the former Varakļāni Municipality" in english


def test_its_cases_stay_readable_and_are_found_from_madona(app):
    insert_submission(app, "VAR-PET-2026-000001", municipality="varaklanu-novads")
    run_pending(app.extensions["pkip"])
    owner = app.test_client()
    dev_sign_in(owner)
    for municipality in ("varaklanu-novads", "madonas-novads"):
        response = owner.get(PDF.format(municipality))
        assert response.status_code == 200 and response.data.startswith(b"%PDF-"), municipality
    assert owner.get(PDF.format("riga")).status_code == 404
    mine = owner.get("/my/").get_data(as_text=True)
    assert "VAR-PET-2026-000001" in mine and "Varakļānu novads" in mine
