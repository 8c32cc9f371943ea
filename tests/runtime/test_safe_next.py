"""Issue 16 finding 1: after sign-in a resident goes only to a path of this site. `next`
is parsed and re-serialised; control characters (the tab a browser strips, a CR or LF
that breaks the header) and backslashes are refused, never filtered out."""
from __future__ import annotations

import re

import pytest

from app import create_app
from runtime.security import local_path

from .fakes import sample_catalogue
from .support_documents import CODE_A


@pytest.fixture
def dev_client(app_config):
    application = create_app({**app_config, "env": "development", "dev_signin": True},
                             catalogue=sample_catalogue())
    yield application.test_client()
    application.extensions["pkip"].database.dispose()


ATTACKS = ["/%09/evil.example/", "/%0D/evil.example/", "/%0A/evil.example/", "/%5C/evil.example/",
           "/%5Cevil.example", "//evil.example/", "https://evil.example/", "/%00/evil.example",
           "%09//evil.example/", "/%E2%80%8B/evil.example", "javascript:alert(1)", "evil.example"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_dev_sign_in_never_sends_the_resident_to_another_site(dev_client, attack):
    html = dev_client.get(f"/signin/dev?next={attack}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = dev_client.post("/signin/dev", data={"csrf_token": token, "given_name": "Anna",
                                                     "surname": "Bērziņa", "personal_code": CODE_A})
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/"


@pytest.mark.parametrize("wanted, kept", [
    ("/riga/dog-fee/", "/riga/dog-fee/"),
    ("/riga/dog-fee/apply/owner?return=check", "/riga/dog-fee/apply/owner?return=check"),
    ("/riga/%C4%81/", "/riga/%C4%81/"),
    ("/riga/ā/", "/riga/%C4%81/"),
    ("/riga/a b", "/riga/a%20b"),
    ("/riga/#top", "/riga/"),
])
def test_a_local_path_is_kept_in_its_serialised_form(wanted, kept):
    assert local_path(wanted) == kept


@pytest.mark.parametrize("refused", ["/\t/evil.example/", "/\r/evil.example/", "/\n", "/\\evil.example",
                                     "\\\\evil.example", "//evil.example", "///evil.example",
                                     "https://evil.example/", "http:/evil.example", "/x\x00", "",
                                     "relative/path", "/\u200b/evil.example", "/\x7f", None, "/" + "a" * 3000])
def test_anything_but_a_local_path_is_refused(refused):
    assert local_path(refused) is None
