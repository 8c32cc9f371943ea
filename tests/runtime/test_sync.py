"""`pkip sync`: each new definition text is stored once, and stored rows never change."""
from __future__ import annotations

from sqlalchemy import select

from runtime.storage.database import Database
from runtime.storage.models import ServiceVersion
from runtime.sync import VERSION_IDS_KEPT, _insert_if_absent, current_version_id, kept_version_id, sync_service_versions

from .fakes import dog_fee


def stored_rows(database: Database) -> list[tuple]:
    with database.sessions() as session:
        rows = session.execute(select(ServiceVersion).order_by(ServiceVersion.id)).scalars()
        return [(r.id, r.service_id, r.version, r.source_hash, r.source_text, r.published_at) for r in rows]


def test_first_sync_imports_and_second_changes_nothing(database):
    service = dog_fee()
    first = sync_service_versions(database, [service])
    rows = stored_rows(database)
    second = sync_service_versions(database, [service])
    assert first.imported == ["dog-fee 1.0.0"]
    assert second.imported == [] and second.unchanged == ["dog-fee 1.0.0"]
    assert stored_rows(database) == rows
    assert rows[0][3] == service.source_hash and rows[0][4] == service.source_text


def test_a_new_version_is_added_and_the_old_row_is_kept_unchanged(database):
    sync_service_versions(database, [dog_fee()])
    before = stored_rows(database)
    newer = dog_fee(version="1.1.0", source_text="service: dog-fee # v2")
    report = sync_service_versions(database, [newer])
    after = stored_rows(database)
    assert report.imported == ["dog-fee 1.1.0"] and report.warnings == []
    assert after[0] == before[0]
    assert [row[2] for row in after] == ["1.0.0", "1.1.0"]
    with database.sessions() as session:
        assert current_version_id(session, newer) == after[1][0]


def test_a_changed_text_under_the_same_version_is_stored_with_a_warning(database):
    sync_service_versions(database, [dog_fee()])
    report = sync_service_versions(database, [dog_fee(source_text="service: dog-fee # edited")])
    assert report.imported == ["dog-fee 1.0.0"]
    assert "version did not" in report.warnings[0]
    assert len(stored_rows(database)) == 2


def test_a_row_another_process_inserted_meanwhile_is_not_an_error(database):
    # The race: another process stores the same text between our check and our insert.
    sync_service_versions(database, [dog_fee()])
    with database.transaction() as session:
        _insert_if_absent(session, dog_fee())
    assert len(stored_rows(database)) == 1


def test_unsynced_service_has_no_version_id(database):
    with database.sessions() as session:
        assert current_version_id(session, dog_fee()) is None


def test_the_kept_version_id_is_the_one_read_and_an_unsynced_one_is_read_again(database):
    """`kept_version_id` ("Start now") keeps what `current_version_id` reads; a service
    not synced yet is not kept as None: once synced, it is found."""
    first, newer = dog_fee(), dog_fee(version="1.1.0", source_text="service: dog-fee # v2")
    assert kept_version_id(database, newer) is None
    sync_service_versions(database, [first])
    sync_service_versions(database, [newer])
    with database.sessions() as session:
        expected = {service.version: current_version_id(session, service) for service in (first, newer)}
    assert None not in expected.values() and expected["1.0.0"] != expected["1.1.0"]
    for _ in range(2):      # read, then kept
        assert {service.version: kept_version_id(database, service) for service in (first, newer)} == expected
    assert database.__dict__[VERSION_IDS_KEPT] == {(s.id, s.source_hash): expected[s.version] for s in (first, newer)}
