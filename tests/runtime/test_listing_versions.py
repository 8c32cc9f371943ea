""""My applications" finds the services of all its rows with one query for the versions'
ids and hashes (`versions.services_for_versions`), not one `session.get` per row that
loads each version's whole stored text; and it finds the same compiled services as the
one-by-one way."""
from __future__ import annotations

import uuid

from sqlalchemy import event, select

from runtime.storage.models import ServiceVersion
from runtime.versions import service_for_version, services_for_versions

from .resident_support import real_catalogue
from .resident_support import app  # noqa: F401  (the app on the database under test)

PET = "example-pet-registration"


def statements_during(engine, work):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        return work(), seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_versions_of_a_list_are_read_at_once_and_are_the_same_services(app):
    catalogue, database = real_catalogue(), app.extensions["pkip"].database
    current_text = catalogue.services[PET].source_text
    with database.transaction() as session:
        old = ServiceVersion(service_id=PET, version="0.9.0", source_hash=f"listing-{uuid.uuid4()}",
                             source_text=current_text)
        session.add(old)
        session.flush()
        old_id = old.id
        current_id = session.scalar(select(ServiceVersion.id).where(
            ServiceVersion.source_hash == catalogue.services[PET].source_hash))
    many = [old_id, current_id] * 25 + [10 ** 9]      # fifty rows of two versions, and a missing one
    with database.transaction() as session:
        first, first_statements = statements_during(database.engine, lambda: services_for_versions(
            catalogue, session, many))
        again, again_statements = statements_during(database.engine, lambda: services_for_versions(
            catalogue, session, many))
    with database.transaction() as session:
        one_by_one = {version_id: service_for_version(catalogue, session, version_id)
                      for version_id in (old_id, current_id)}
    assert set(first) == {old_id, current_id}
    assert all(first[key] is one_by_one[key] and again[key] is one_by_one[key] for key in one_by_one)
    assert first[current_id] is catalogue.services[PET] and first[old_id] is not first[current_id]
    # the ids and hashes, plus the old version's text the first time (then it is compiled)
    assert len(first_statements) == 2 and "source_text" in first_statements[1]
    assert len(again_statements) == 1 and "source_text" not in again_statements[0]
