"""Cases stored before the case kept its facts (migration 0006 marks them "pending") get
them reconstructed once: their answers are evaluated against the service version they
were filled against, on the day they were submitted, with the municipality's parameters
of today (the only ones known). They are then marked "reconstructed", so a reader can
tell them from facts recorded at submission, and are never recomputed again. Fees already
stored as charged are kept."""
from __future__ import annotations

from typing import Any

from builder.engine import Context, evaluate
from sqlalchemy import select

from ..storage.database import Database
from ..storage.models import FACTS_PENDING, FACTS_RECONSTRUCTED, ServiceVersion, Submission
from ..versions import effective_for_version
from .clock import latvian_date
from .submitting import case_facts

BATCH = 500


def reconstruct_pending_facts(database: Database, catalogue: Any) -> int:
    """How many pending cases got their facts; one whose service version the catalogue can
    no longer compile stays pending (and is tried again at the next start)."""
    done = 0
    with database.transaction() as session:
        pending = session.execute(
            select(Submission, ServiceVersion).join(ServiceVersion, Submission.service_version_id == ServiceVersion.id)
            .where(Submission.facts_from == FACTS_PENDING).limit(BATCH)).all()
        for submission, version in pending:
            effective = effective_for_version(catalogue, submission.municipality_id, version)
            if effective is None:
                continue
            day = latvian_date(submission.submitted_at)
            outcome = evaluate(effective, submission.answers or {}, Context(today=day, language=submission.locale))
            facts = case_facts(outcome, day)
            facts.pop("fee_total")     # the total was always stored as charged
            if submission.fees:
                facts.pop("fees")
            for name, value in facts.items():
                setattr(submission, name, value)
            submission.facts_from = FACTS_RECONSTRUCTED
            done += 1
    return done
