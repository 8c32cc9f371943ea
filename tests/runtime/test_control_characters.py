"""Issue 16 finding 2: a NUL (or any control character) in a text answer is a field
error on both databases, the draft keeps nothing of it, and no answer value reaches the
log, not even from a database error."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from runtime.storage.models import Draft

from .resident_support import OWNER, PET, Browser, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def owner_page(browser: Browser) -> str:
    first = browser.start()
    return browser.answer(first, {"applicant_kind": "person"})


@pytest.mark.parametrize("field, bad", [
    ("owner-surname", "Bērz\x00iņš"), ("owner-surname", "Bērziņš\x1b[31m"), ("owner-given_name", "J\x07nis"),
    ("owner-address", "Brīvības iela 1\x00"), ("owner-email", "janis\x00@example.lv"),
    ("owner-surname", "Bērz\u0085iņš"),
])
def test_a_control_character_is_a_field_error_and_never_stored(app, browser, caplog, field, bad):
    url = owner_page(browser)
    caplog.set_level(logging.DEBUG)
    response = browser.post(url, {**OWNER, field: bad})
    assert response.status_code == 200
    html = browser.last_html
    assert "rakstzīmes, ko nevar izmantot" in html
    assert f'href="#{field}"' in html        # the error summary links to the field
    [draft] = rows(app, Draft)
    stored = repr(draft.answers)
    assert "\x00" not in stored and "\x1b" not in stored and "\x07" not in stored and "\x85" not in stored
    assert "janis@example.lv" not in caplog.text and "Bērziņš" not in caplog.text


def test_tabs_and_line_breaks_stay_where_they_belong(app, browser):
    url = owner_page(browser)
    browser.answer(url, {**OWNER, "owner-surname": "Bērziņš\tOzols"})
    [draft] = rows(app, Draft)
    assert draft.answers["owner"]["surname"] == "Bērziņš\tOzols"


def test_a_database_error_logs_neither_parameters_nor_answer_values(app, caplog):
    """What a failing statement would write: SQLAlchemy's message without its parameters,
    and psycopg's without the DETAIL/CONTEXT lines that quote the data."""
    database = app.extensions["pkip"].database
    secret = "Bērziņš-janis@example.lv"
    # PostgreSQL refuses the NUL of the original finding and quotes the JSON in CONTEXT;
    # on SQLite a missing table fails with the parameters in SQLAlchemy's message.
    statement = ("SELECT CAST(:value AS jsonb)" if database.dialect == "postgresql"
                 else "INSERT INTO nowhere VALUES (:value)")
    value = '{"surname": "%s\\u0000"}' % secret if database.dialect == "postgresql" else secret
    with pytest.raises(DBAPIError) as raised:
        with database.engine.begin() as connection:
            connection.execute(text(statement), {"value": value})
    assert secret not in str(raised.value)
    with app.test_request_context():
        logging.getLogger("test").error("failed", exc_info=raised.value)
    assert secret not in caplog.text
