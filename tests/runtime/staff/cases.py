"""Cases for staff tests, filed through the same use cases as a resident's submission:
the answers of a service's own definition test, evaluated and submitted."""
from __future__ import annotations

import datetime
from pathlib import Path

from sqlalchemy import select

from builder.deftests import _date, _with_fixtures
from builder.engine import Context, evaluate
from runtime.cases.access import Actor
from runtime.cases.clock import Clock
from runtime.cases.drafts import create_draft
from runtime.cases.submitting import DraftToSubmit, submit
from runtime.storage.models import ServiceVersion

SUBMITTED_ON = datetime.date(2026, 3, 2)


def file_case(app, service_id: str, municipality_id: str | None = None, test_index: int | None = None,
              person_hash: str | None = None, on: datetime.date | None = None) -> str:
    """A case of `service_id` from the answers of its definition test `test_index` (else
    the first valid one), in that test's municipality unless told."""
    state = app.extensions["pkip"]
    service = state.catalogue.services[service_id]
    test = service.tests[test_index] if test_index is not None else \
        next(t for t in service.tests if t.expect.get("valid") is True)
    municipality_id = municipality_id or test.context["municipality"]
    effective = state.catalogue.effective(municipality_id, service_id)
    assert effective is not None, f"{service_id} is not enabled in {municipality_id}"
    on = on or _date(test.context.get("today")) or SUBMITTED_ON
    answers = _with_fixtures(service.fields, test.answers, Path(state.catalogue.root) / "fixtures")
    outcome = evaluate(effective, answers, Context(today=on, person=test.context.get("person")))
    assert not outcome.errors, [str(e) for e in outcome.errors]
    with state.database.transaction() as session:
        version_id = session.scalars(select(ServiceVersion.id).where(ServiceVersion.service_id == service_id)
                                     .order_by(ServiceVersion.id.desc())).first()
    draft, _token = create_draft(state.database, municipality_id=municipality_id, version_id=version_id,
                                 first_page=None, person_code_hash=person_hash)
    reference = submit(state.database, DraftToSubmit(draft.id, version_id, effective), outcome,
                       actor=Actor(person_hash=person_hash), clock=Clock(fixed_today=on), language="lv")
    assert reference
    return reference
