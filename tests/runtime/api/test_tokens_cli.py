"""`pkip tokens create|list|revoke`: the token is printed once and works; the listing
never shows it; a revoked token opens nothing; bad scopes and institutions are refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from app import create_app, main
from builder.catalogue import load_catalogue
from runtime.cases.api_tokens import token_digest
from runtime.storage.api_models import ApiToken

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def instance(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("PKIP_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("PKIP_DATABASE_URL", database_url)
    monkeypatch.setenv("PKIP_DEFINITIONS_PATH", str(ROOT / "definitions"))
    assert main(["db", "upgrade"]) == 0
    return tmp_path / "instance"


def test_a_token_is_shown_once_works_and_is_revoked(instance, database_url, capsys):
    capsys.readouterr()
    assert main(["tokens", "create", "--municipality", "riga", "--institution", "environment",
                 "--scopes", "cases:read", "--name", "DVS"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("pkip_") and len(token) > 40
    app = create_app({"instance_path": str(instance), "database_url": database_url, "env": "testing"},
                     catalogue=load_catalogue(ROOT / "definitions"))
    client = app.test_client()
    assert client.get("/api/v1/riga/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.extensions["pkip"].database.transaction() as session:
        row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == token_digest(token) and token not in (row.prefix + row.token_hash + row.name)
    assert main(["tokens", "list"]) == 0
    listed = capsys.readouterr().out
    assert "riga/environment" in listed and "cases:read" in listed and token not in listed
    assert main(["tokens", "revoke", "--id", str(row.id)]) == 0
    assert client.get("/api/v1/riga/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    app.extensions["pkip"].database.dispose()


@pytest.mark.parametrize(("arguments", "says"), [
    (["--institution", "environment", "--scopes", "cases:delete"], "unknown scope cases:delete"),
    (["--institution", "nowhere", "--scopes", "cases:read"], "riga has no institution 'nowhere'"),
    (["--institution", "environment", "--scopes", ","], "give at least one scope"),
])
def test_bad_scopes_and_institutions_are_refused(instance, capsys, arguments, says):
    assert main(["tokens", "create", "--municipality", "riga", *arguments]) == 2
    assert says in capsys.readouterr().err


def test_a_webhook_endpoint_is_added_with_its_secret_shown_once_and_disabled(instance, capsys):
    capsys.readouterr()
    assert main(["webhooks", "add", "--municipality", "riga", "--institution", "finance",
                 "--url", "https://fin.example.lv/hooks", "--events", "case.created"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("whsec_")
    assert main(["webhooks", "list"]) == 0
    listed = capsys.readouterr().out
    assert "riga/finance\thttps://fin.example.lv/hooks\tcase.created\tactive" in listed and secret not in listed
    assert main(["webhooks", "disable", "--id", listed.split("\t", 1)[0]]) == 0
    assert main(["webhooks", "list"]) == 0 and "disabled" in capsys.readouterr().out
    assert main(["webhooks", "add", "--municipality", "riga", "--institution", "finance",
                 "--url", "ftp://x", "--events", "case.created"]) == 2


def test_the_listings_are_one_tab_separated_line_a_row_of_the_municipality_asked(instance, capsys):
    for municipality, institution in (("riga", "environment"), ("jelgava", "finance")):
        assert main(["tokens", "create", "--municipality", municipality, "--institution", institution,
                     "--scopes", "cases:read,cases:write", "--name", "DVS"]) == 0
        assert main(["webhooks", "add", "--municipality", municipality, "--institution", institution,
                     "--url", f"https://{municipality}.example.lv/hooks", "--events", "case.created"]) == 0
    capsys.readouterr()
    assert main(["tokens", "revoke", "--id", "1"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("revoked token 1 (pkip_") and said.endswith("...) of riga/environment\n")
    assert main(["tokens", "list", "--municipality", "riga"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    number, prefix, owner, scopes, state, name = line.split("\t")
    assert (number, owner, scopes, state, name) == ("1", "riga/environment", "cases:read,cases:write", "revoked", "DVS")
    assert prefix.startswith("pkip_") and prefix.endswith("...")
    assert main(["tokens", "list"]) == 0
    assert [row.split("\t")[4] for row in capsys.readouterr().out.splitlines()] == ["active", "revoked"]
    assert main(["webhooks", "disable", "--id", "2"]) == 0
    assert capsys.readouterr().out == "disabled webhook 2 of jelgava/finance\n"
    assert main(["webhooks", "list", "--municipality", "jelgava"]) == 0
    assert capsys.readouterr().out == "2\tjelgava/finance\thttps://jelgava.example.lv/hooks\tcase.created\tdisabled\n"
    assert main(["tokens", "revoke", "--id", "99"]) == 2 and "no token with id 99" in capsys.readouterr().err
    assert main(["webhooks", "disable", "--id", "99"]) == 2 and "no webhook" in capsys.readouterr().err


def test_a_token_with_an_expiry_works_until_then_and_is_refused_after(instance, database_url, capsys):
    from datetime import datetime, timedelta, timezone

    from runtime.cases.api_tokens import authenticate
    capsys.readouterr()
    assert main(["tokens", "create", "--municipality", "riga", "--institution", "environment",
                 "--scopes", "cases:read", "--expires-days", "30"]) == 0
    said = capsys.readouterr()
    token = said.out.strip()
    assert ", until " in said.err
    app = create_app({"instance_path": str(instance), "database_url": database_url, "env": "testing"},
                     catalogue=load_catalogue(ROOT / "definitions"))
    database, client = app.extensions["pkip"].database, app.test_client()
    assert client.get("/api/v1/riga/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    now = datetime.now(timezone.utc)
    assert authenticate(database, token, now + timedelta(days=29, hours=23)) is not None
    assert authenticate(database, token, now + timedelta(days=30, minutes=1)) is None
    with database.transaction() as session:      # the moment passes
        session.execute(update(ApiToken).values(expires_at=now - timedelta(seconds=1)))
    refused = client.get("/api/v1/riga/cases", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["code"] == "unauthorized"
    assert main(["tokens", "list"]) == 0 and "\texpired\t" in capsys.readouterr().out
    for days in ("0", "4000"):
        assert main(["tokens", "create", "--municipality", "riga", "--institution", "environment",
                     "--scopes", "cases:read", "--expires-days", days]) == 2
        assert "expires after 1 to 3660 days" in capsys.readouterr().err
    app.extensions["pkip"].database.dispose()


def test_a_webhook_endpoint_may_be_given_its_receivers_secret(instance, capsys):
    from publishers.webhooks import new_secret
    own = new_secret()
    capsys.readouterr()
    assert main(["webhooks", "add", "--municipality", "riga", "--institution", "finance",
                 "--url", "http://127.0.0.1:5105/hooks", "--secret", own]) == 0
    assert capsys.readouterr().out.strip() == own
    for bad in ("whsec_c2hvcnQ=", "secret", "whsec_not base64!"):
        assert main(["webhooks", "add", "--municipality", "riga", "--institution", "finance",
                     "--url", "http://127.0.0.1:5105/hooks", "--secret", bad]) == 2
        assert "a secret is whsec_" in capsys.readouterr().err
