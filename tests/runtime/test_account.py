""""My applications": only the signed-in person's own drafts and submissions; on both
databases."""
from __future__ import annotations

import pytest

from .support_documents import CODE_B, dev_sign_in, insert_draft, insert_submission, real_app


@pytest.fixture
def app(app_config):
    application = real_app(app_config, env="development", dev_signin=True)
    yield application
    application.extensions["pkip"].database.dispose()


def test_signing_in_is_required(app):
    response = app.test_client().get("/my/")
    assert response.status_code == 302 and response.headers["Location"] == "/signin/?next=/my/"


def test_my_applications_lists_only_my_own(app):
    insert_submission(app, "RIX-PET-2026-000010")
    insert_submission(app, "RIX-PET-2026-000011", code=CODE_B)
    insert_submission(app, "RIX-PET-2026-000012", code=None)
    insert_draft(app, service_id="dog-fee")
    insert_draft(app, code=CODE_B, service_id="tree-felling-permit")
    client = app.test_client()
    dev_sign_in(client)
    html = client.get("/my/").get_data(as_text=True)
    assert "RIX-PET-2026-000010" in html
    assert "RIX-PET-2026-000011" not in html and "RIX-PET-2026-000012" not in html
    assert "Iesniegts" in html                         # the process state's label, not "submitted"
    assert "/riga/example-pet-registration/case/RIX-PET-2026-000010/application.pdf" in html
    assert "/riga/dog-fee/" in html and "/riga/tree-felling-permit/" not in html
    assert "Rīgas valstspilsēta" in html


def test_someone_else_sees_their_own_list(app):
    insert_submission(app, "RIX-PET-2026-000013")
    client = app.test_client()
    dev_sign_in(client, code=CODE_B, given_name="Cits", surname="Cilvēks")
    html = client.get("/my/?lang=en").get_data(as_text=True)
    assert "RIX-PET-2026-000013" not in html and "You have not sent any applications yet." in html
