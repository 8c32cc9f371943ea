"""The audit log: append-only, for the municipal admins of its municipality only, as CSV too."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .conftest import make_staff, sign_in


def test_the_municipal_admin_reads_the_log_and_its_csv(staff_app):
    make_staff(staff_app, "admin@riga.lv", "municipal_admin", "riga")
    client = staff_app.test_client()
    sign_in(client, "admin@riga.lv")
    page = client.get("/staff/riga/audit")
    assert page.status_code == 200
    assert "staff.signin" in page.get_data(as_text=True)
    exported = client.get("/staff/riga/audit.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    lines = exported.get_data(as_text=True).splitlines()
    assert lines[0] == "at,actor,action,object_type,object_id,address,details"
    assert ",staff.signin,staff_user," in lines[1] and "127.0.0.1" in lines[1]


@pytest.mark.parametrize("role, municipality, institution", [
    ("municipal_admin", "jurmala", None), ("clerk", "riga", "environment"),
    ("commission_member", "riga", None), ("platform_admin", None, None),
])
def test_nobody_else_reads_it(staff_app, role, municipality, institution):
    make_staff(staff_app, "other@x.lv", role, municipality, institution)
    client = staff_app.test_client()
    sign_in(client, "other@x.lv")
    assert client.get("/staff/riga/audit").status_code == 404
    assert client.get("/staff/riga/audit.csv").status_code == 404


def test_the_log_is_append_only_in_the_database(staff_app):
    make_staff(staff_app, "admin@riga.lv", "municipal_admin", "riga")
    sign_in(staff_app.test_client(), "admin@riga.lv")
    engine = staff_app.extensions["pkip"].database.engine
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
