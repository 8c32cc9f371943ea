"""JSON stored as UTF-8 text (`storage.database.stored_json`, migration 0023), on SQLite
and PostgreSQL: a new case's answers, fees and institution keep their Latvian letters
unescaped; a case stored before (escaped) is rewritten by the migration to the same
document; the inbox's search finds a name with Latvian letters in both."""
from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from runtime.storage.migrate import alembic_config, upgrade
from runtime.storage.models import Submission

from .cases import file_case
from .conftest import make_staff, sign_in

JSON_TEXT = text("SELECT answers, fees, institution FROM submissions WHERE reference = :reference")


def _stored(engine, reference: str) -> list[str]:
    """The JSON columns' text as the database gives it back (JSONB's own text on PostgreSQL)."""
    with engine.connect() as connection:
        return [str(value) for value in connection.execute(JSON_TEXT, {"reference": reference}).one()]


def _case(engine, reference: str) -> tuple:
    with engine.connect() as connection:
        return connection.execute(select(Submission.answers, Submission.fees, Submission.institution)
                                  .where(Submission.reference == reference)).one()


def _found(app, query: str) -> str:
    clerk = app.test_client()
    sign_in(clerk, "clerk@riga.lv")
    return clerk.get(f"/staff/riga/inbox?q={query}").get_data(as_text=True)


def test_a_new_case_is_stored_unescaped_and_found_by_a_latvian_name(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment")
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    answers, fees, institution = _stored(staff_app.extensions["pkip"].database.engine, reference)
    assert "Bērziņš" in answers and "\\u" not in answers + fees + institution
    assert "ā" in institution or "ī" in institution                 # the institution's Latvian name
    assert reference in _found(staff_app, "bērziņš")


def test_the_migration_rewrites_escaped_rows_to_the_same_document(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment")
    engine = staff_app.extensions["pkip"].database.engine
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    document = _case(engine, reference)
    command.downgrade(alembic_config(engine), "0022")                 # as a case stored before 0023
    if engine.dialect.name == "sqlite":
        assert "B\\u0113rzi\\u0146\\u0161" in _stored(engine, reference)[0]
        assert reference not in _found(staff_app, "bērziņš")          # why every old row is rewritten
    assert _case(engine, reference) == document
    upgrade(engine)
    assert "Bērziņš" in _stored(engine, reference)[0]
    assert _case(engine, reference) == document
    assert reference in _found(staff_app, "bērziņš")
