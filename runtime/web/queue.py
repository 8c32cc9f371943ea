"""A case's place in its service's queue, for the person who submitted it.

    GET /<municipality>/<service>/case/<reference>/queue

Shows, for each partition the case is queued in (e.g. each chosen preschool, in the
applicant's order of preference), "3rd of 41" in the current language. Who may see it:
`runtime.cases.access` decides (the person or browser whose case it is); anyone else gets the same 404 as for an
unknown reference, so references cannot be probed. `queue_section(session, submission)`
gives the same rows for another page ("my applications") with the macro in
`templates/queue/_positions.html`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cases.access import SEE_QUEUE, may_act
from ..i18n import current_language, gettext as _, text_for
from ..queue import QueuePosition, partition_field_label, positions
from ..state import municipality_or_404, runtime_state
from ..storage.models import ServiceVersion, Submission
from ..versions import effective_for_case, service_for_version
from .actor import current_actor

queue_views = Blueprint("queue", __name__)
PRIVATE_HEADERS = {"Cache-Control": "private, no-store"}


@dataclass(frozen=True)
class QueueRow:
    label: str          # the partition, e.g. the preschool's name
    choice: str         # "1st choice" / "1. izvēle"
    place: str          # "3rd of 41" / "3. no 41"
    position: int
    total: int


@dataclass(frozen=True)
class QueueSection:
    heading: str        # the partition field's label, e.g. "Preschool"
    rows: list[QueueRow]
    in_queue: bool      # False: the case is not (or no longer) in an active state


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th in English; "1." in Latvian."""
    if current_language() == "lv":
        return f"{number}."
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def may_have_queue_section(catalogue: Any, municipality_id: str, service_id: str) -> bool:
    """False when `queue_section` would be None without reading anything: the service as
    the municipality now offers it keeps no queue (a list skips the session then)."""
    effective = catalogue.effective(municipality_id, service_id)
    if effective is None:
        return not _still_current(catalogue, municipality_id)
    return getattr(effective.service, "queue", None) is not None


def queue_section(session: Session, submission: Any, service_id: str) -> QueueSection | None:
    """The case's queue positions as display rows; None if the service keeps no queue.
    `submission` is a `Submission` or a row with its id, municipality_id,
    service_version_id and status."""
    catalogue = runtime_state().catalogue
    effective = catalogue.effective(submission.municipality_id, service_id)
    if effective is None and not _still_current(catalogue, submission.municipality_id):
        # a merged municipality's queue stays readable with the version the case was filed on
        effective = effective_for_case(catalogue, session, submission.municipality_id, submission.service_version_id)
    if effective is None or getattr(effective.service, "queue", None) is None:
        return None
    found: list[QueuePosition] = positions(session, service_id, submission.municipality_id, submission,
                                           catalogue=catalogue)
    rows = [QueueRow(label=text_for(p.partition_label) or _("Queue"),
                     choice=_("%(ordinal)s choice", ordinal=ordinal(p.rank)),
                     place=_("%(ordinal)s of %(total)s", ordinal=ordinal(p.position), total=p.total),
                     position=p.position, total=p.total)
            for p in found]
    heading = text_for(partition_field_label(effective)) or _("Queue")
    return QueueSection(heading=heading, rows=rows, in_queue=bool(rows))


@queue_views.get("/<municipality_id>/<service_id>/case/<reference>/queue")
def case_queue(municipality_id: str, service_id: str, reference: str):
    municipality = municipality_or_404(municipality_id)
    with runtime_state().database.transaction() as session:
        submission = session.scalars(select(Submission).where(Submission.reference == reference)).first()
        catalogue = runtime_state().catalogue
        if submission is None or not catalogue.answers_for(municipality_id, submission.municipality_id) \
                or not may_act(current_actor(), submission, SEE_QUEUE):
            abort(404)
        version = session.get(ServiceVersion, submission.service_version_id)
        if version is None or version.service_id != service_id:
            abort(404)
        section = queue_section(session, submission, service_id)
        if section is None:
            abort(404)
        service = service_for_version(catalogue, session, submission.service_version_id)
        status = _status_label(service, submission.status)
    html = render_template("queue/case_queue.html", municipality=municipality, service=service,
                           reference=reference, status=status, section=section)
    return html, 200, PRIVATE_HEADERS


def _still_current(catalogue: Any, municipality_id: str) -> bool:
    municipality = catalogue.municipalities.get(municipality_id)
    return municipality is None or municipality.current


def _status_label(service: Any, status: str) -> str:
    process = getattr(service, "process", None)
    state = process.states.get(status) if process is not None else None
    return text_for(state.label) if state is not None else status
