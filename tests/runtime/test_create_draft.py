"""`create_draft` inserts from a dict of values (no `Draft` instance, "Start now"): the
row stored is the one an ORM `Draft` of the same values stored, every column, and the
returned row has the request's columns of it."""
from __future__ import annotations

from sqlalchemy import select

from runtime.cases.access import Party
from runtime.cases.drafts import DraftRow, create_draft, token_hash
from runtime.storage.models import Draft
from runtime.sync import current_version_id, sync_service_versions

from .fakes import dog_fee

COLUMNS = tuple(column.key for column in Draft.__table__.columns)


def stored(database, draft_id) -> dict:
    with database.sessions() as session:
        row = session.execute(select(Draft.__table__).where(Draft.id == draft_id)).one()
    return dict(row._mapping)


def test_the_stored_row_is_what_an_orm_draft_of_the_same_values_stores(database):
    sync_service_versions(database, [dog_fee()])
    with database.sessions() as session:
        version_id = current_version_id(session, dog_fee())
    for acting_for, first_page, person in ((None, "owner", "p" * 64), (Party("company", "c" * 64), None, None)):
        draft, token = create_draft(database, municipality_id="riga", version_id=version_id, first_page=first_page,
                                    person_code_hash=person, acting_for=acting_for)
        row = stored(database, draft.id)
        assert set(row) == set(COLUMNS)
        assert (row["municipality_id"], row["service_version_id"], row["answers"], row["current_page"],
                row["person_code_hash"], row["subject_kind"], row["subject_hash"]) == \
            ("riga", version_id, {}, first_page, person, *((acting_for.kind, acting_for.hash) if acting_for else (None, None)))
        assert row["resume_token_hash"] == token_hash(token)
        assert row["created_at"] == row["updated_at"] == row["resume_token_issued_at"] is not None
        # the general way: an ORM instance of the same values, added and flushed
        copy = {name: row[name] for name in COLUMNS if name not in ("id", "resume_token_hash")}
        with database.transaction() as session:
            orm = Draft(**copy, resume_token_hash="o" * 63 + str(len(copy) % 10))
            session.add(orm)
            session.flush()
            orm_id = orm.id
        by_orm = stored(database, orm_id)
        assert {k: v for k, v in by_orm.items() if k not in ("id", "resume_token_hash")} == \
            {k: v for k, v in row.items() if k not in ("id", "resume_token_hash")}
        assert isinstance(draft, DraftRow)
        assert {name: getattr(draft, name) for name in DraftRow.__slots__} == {name: row[name] for name in DraftRow.__slots__}
        with database.transaction() as session:
            session.delete(session.get(Draft, orm_id))
