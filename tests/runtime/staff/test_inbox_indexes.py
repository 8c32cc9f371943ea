"""The inbox at a year's volume (migration 0020, `python -m bench --only inbox`): the
indexes its plans asked for exist on both databases, PostgreSQL answers a reference
search from its prefix index, and a reference-shaped search looks at references only."""
from __future__ import annotations

from sqlalchemy import inspect, select, text

from runtime.storage.models import Submission

from .cases import file_case
from .conftest import make_staff, sign_in


def test_the_inbox_indexes_exist(staff_app):
    engine = staff_app.extensions["pkip"].database.engine
    indexes = {index["name"]: index for index in inspect(engine).get_indexes("submissions")}
    assert indexes["ix_submissions_inbox"]["column_names"] == ["municipality_id", "institution_id", "status",
                                                               "service_version_id", "due_on"]
    listing = ("SELECT name FROM sqlite_master WHERE type = 'index'" if engine.dialect.name == "sqlite"
               else "SELECT indexname FROM pg_indexes WHERE tablename = 'submissions'")
    with engine.connect() as connection:
        names = set(connection.execute(text(listing)).scalars())     # expression indexes too
    assert "ix_submissions_inbox_order" in names
    if engine.dialect.name == "postgresql":
        assert "ix_submissions_reference_prefix" in names
        with engine.connect() as connection:
            connection.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(row[0] for row in connection.execute(text(
                "EXPLAIN SELECT id FROM submissions WHERE lower(reference) LIKE 'rix-koc-2026%'")))
        assert "ix_submissions_reference_prefix" in plan, plan


def test_a_reference_shaped_search_finds_by_reference_only(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment")
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    other = file_case(staff_app, "tree-felling-permit", "riga")
    with staff_app.extensions["pkip"].database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == other)).one()
        case.answers = {**case.answers, "notes": f"see also {reference}"}     # the reference in the answers
    clerk = staff_app.test_client()
    sign_in(clerk, "clerk@riga.lv")
    for query in (reference, reference.lower()):
        found = clerk.get(f"/staff/riga/inbox?q={query}").get_data(as_text=True)
        assert reference in found and other not in found, query
    by_start = clerk.get(f"/staff/riga/inbox?q={reference[:13]}").get_data(as_text=True)
    assert reference in by_start and other in by_start
    by_name = clerk.get("/staff/riga/inbox?q=bērziņš").get_data(as_text=True)
    assert reference in by_name and other in by_name                   # any other text: the answers
