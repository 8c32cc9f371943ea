"""What the staff's case file (`casefile.CaseFile`) and the applicant's own case
(`own_case.OwnCase`) both show: the case, its service as it was, the fees as charged,
what was paid, the information requests and the result documents. Both build on it;
what only one side may see (internal notes, staff names, uploads, the queue) stays in
its own class, so sharing these fields shares nothing else."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from builder.engine import FeeResult
from builder.overlay import EffectiveService
from sqlalchemy.orm import Session

from ..storage.models import Submission
from .payments import awaits_assessment, paid_total, payment_state
from .requests import requests_of
from .results import result_documents


@dataclass(frozen=True)
class CaseFacts:
    case: Submission                      # detached: read its columns only
    service_id: str
    effective: EffectiveService
    fees: FeeResult | None                # as charged with the case
    paid: Decimal                         # the sum received
    payment_state: str
    requests: list[Any]                   # `requests.RequestView`, oldest first
    documents: list[Any]                  # `results.ResultDocument`


def case_facts(session: Session, case: Submission, service_id: str, effective: EffectiveService,
               fees: FeeResult | None, waived: bool) -> dict[str, Any]:
    """The shared fields, read in the caller's transaction, as keywords for either class."""
    paid = paid_total(session, case.id)
    return {"case": case, "service_id": service_id, "effective": effective, "fees": fees, "paid": paid,
            "payment_state": payment_state(case.fee_total, paid, waived, awaits_assessment(case)),
            "requests": requests_of(session, case), "documents": result_documents(session, effective.service, case)}
