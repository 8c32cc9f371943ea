"""The draft read of every request (`drafts.load_draft`) by the driver's own cursor gives
what SQLAlchemy Core's `_DRAFT_SELECT` gives: every shipped service's draft with each of
its definition tests' answers, and on both databases drafts of every shape (no answers,
nested and non-ASCII answers, filled for another party), the version's stored text read
when asked, and no draft at all."""
from __future__ import annotations

import uuid

from sqlalchemy import select

import runtime.cases.drafts as drafts
from runtime.cases.access import Party
from runtime.storage.models import Draft, ServiceVersion

from .test_render_plans import Browser, app as plans_app, drafts_of_every_service  # noqa: F401  (fixture)

COLUMNS = drafts.DraftRow.__slots__
VERSION_COLUMNS = drafts.VersionRow.__slots__[:4]


def both_ways(database, draft_id, monkeypatch, needed=lambda version: False):
    """(through the driver, through SQLAlchemy Core) as plain tuples of every column, with
    each value's type, so that a UUID read back as text or JSON as a string differs."""
    found = []
    for sql_of in (drafts._DRAFT_SQL_OF, {}):
        with monkeypatch.context() as patched:
            patched.setattr(drafts, "_DRAFT_SQL_OF", sql_of)
            loaded = drafts.load_draft(database, draft_id, needed)
        found.append(None if loaded is None else _plain(*loaded))
    return found


def _plain(draft, version) -> tuple:
    values = [getattr(draft, name) for name in COLUMNS] + [getattr(version, name) for name in VERSION_COLUMNS]
    values.append(getattr(version, "source_text", "(not read)"))
    return tuple((type(value).__name__, value) for value in values)


def test_the_drivers_read_is_the_one_in_use(app):
    assert app.extensions["pkip"].database.dialect in drafts._DRAFT_SQL_OF


def test_every_shipped_services_drafts_read_the_same_both_ways(plans_app, monkeypatch):  # noqa: F811
    database = plans_app.extensions["pkip"].database
    compared = 0
    for _effective, _base, _answers in drafts_of_every_service(plans_app, Browser(plans_app)):
        with database.sessions() as session:
            ids = session.scalars(select(Draft.id)).all()
        for draft_id in ids:
            through_the_driver, through_sqlalchemy = both_ways(database, draft_id, monkeypatch)
            assert through_the_driver == through_sqlalchemy
            compared += through_the_driver is not None
    assert compared > 20, compared


def test_drafts_of_every_shape_read_the_same_on_both_databases(app, monkeypatch):
    database = app.extensions["pkip"].database
    with database.sessions() as session:
        version = session.scalars(select(ServiceVersion).limit(1)).one()
    made = [drafts.create_draft(database, municipality_id="riga", version_id=version.id, first_page=None,
                                person_code_hash=None)[0],
            drafts.create_draft(database, municipality_id="riga", version_id=version.id, first_page="owner",
                                person_code_hash="h" * 64, acting_for=Party("company", "c" * 64))[0]]
    drafts.save_draft(database, made[1].id, {"owner": {"name": "Jānis Bērziņš", "dogs": [{"chip": "1"}, None]},
                                             "count": 3, "fee": 12.5, "yes": True, "none": None}, "dogs")
    for draft in made:
        through_the_driver, through_sqlalchemy = both_ways(database, draft.id, monkeypatch)
        assert through_the_driver == through_sqlalchemy and through_the_driver is not None
        assert dict(through_the_driver)["UUID"] == draft.id
        with_text = both_ways(database, draft.id, monkeypatch, needed=lambda version: True)
        assert with_text[0] == with_text[1] and with_text[0][-1] == ("str", version.source_text)
    assert both_ways(database, uuid.uuid4(), monkeypatch) == [None, None]


SAVED = [{}, {"owner": {"name": "Jānis Bērziņš \"Ā\" <b>", "dogs": [{"chip": "1"}, None]}, "count": 3,
              "fee": 12.5, "yes": True, "none": None, "date": "2026-12-03", "emoji": "🐕"}]


def _stored(database, draft_id) -> tuple:
    """The draft's saved columns as the database holds them (text, not decoded)."""
    sql = ("SELECT CAST(answers AS TEXT), current_page, CAST(updated_at AS TEXT), typeof(updated_at) FROM drafts "
           "WHERE id = ?" if database.dialect == "sqlite" else
           "SELECT answers::text, current_page, updated_at::text, pg_typeof(answers)::text FROM drafts WHERE id = %s")
    return database.first_row(sql, (draft_id.hex if database.dialect == "sqlite" else draft_id,))


def test_a_save_by_the_driver_stores_what_sqlalchemys_stores(app, monkeypatch):
    """`save_draft` by the driver's cursor against the Core `_SAVE`: the same stored bytes
    (JSON text, page, timestamp and its storage type) for answers of every kind, and
    False for a draft that is gone, on both databases."""
    from datetime import datetime, timezone

    database = app.extensions["pkip"].database
    assert database.dialect in drafts._SAVE_SQL_OF, "the driver's write is the one in use"
    with database.sessions() as session:
        version = session.scalars(select(ServiceVersion).limit(1)).one()
    draft = drafts.create_draft(database, municipality_id="riga", version_id=version.id, first_page=None,
                                person_code_hash=None)[0]
    moment = datetime(2026, 12, 3, 13, 50, 7, 120, tzinfo=timezone.utc)
    monkeypatch.setattr(drafts, "utc_now", lambda: moment)
    for answers in SAVED:
        for page in (None, "dogs"):
            stored = []
            for sql_of in (drafts._SAVE_SQL_OF, {}):
                with monkeypatch.context() as patched:
                    patched.setattr(drafts, "_SAVE_SQL_OF", sql_of)
                    drafts.save_draft(database, draft.id, {"other": 1}, "x")     # something to overwrite
                    assert drafts.save_draft(database, draft.id, answers, page) is True
                    assert drafts.save_draft(database, uuid.uuid4(), answers, page) is False
                stored.append(_stored(database, draft.id))
            assert stored[0] == stored[1], (answers, page)
            loaded = drafts.load_draft(database, draft.id)[0]
            assert (loaded.answers, loaded.current_page) == (answers, page)
