"""The minutes of a commission session, rendered by the worker when a clerk closes the
session (`cases.commissions.close_session` writes `render_minutes` {"session_id"}):
a tagged PDF (PDF/UA-1) in Latvian, the language of the record, listing the members
present, each case on the agenda with the motion, the votes and the outcome. Stored under
`<instance>/documents/` and noted on the session's row; a job run twice renders once.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import update

from ..cases.commission_votes import session_record
from ..state import RuntimeState
from ..storage.models import CommissionSession
from ..theme import coat_of_arms_file
from .application import Formatter, document_environment
from .jobs import DOCUMENTS_FOLDER, STATIC_FOLDER

LANGUAGE = "lv"
OUTCOMES = {"approved": "Pieņemts", "rejected": "Noraidīts", "no_decision": "Lēmums nav pieņemts (balsu vienādība)",
            None: "Nav izskatīts"}
VOTE_WORDS = {"for": "par", "against": "pret", "abstain": "atturas"}


def render_minutes_html(state: RuntimeState, view: Any) -> str:
    municipality = state.catalogue.municipalities[view.session.municipality_id]
    fmt = Formatter(LANGUAGE, None)
    rows = [_item_row(state.catalogue, view, item, fmt) for item in view.items]
    return document_environment(LANGUAGE).get_template("minutes.html").render(
        language=LANGUAGE, fmt=fmt, municipality=municipality, commission=view.commission, session=view.session,
        held_on=fmt.day(view.session.held_on), present=view.present, members=[m.name for m in view.members],
        items=rows, coat_of_arms=coat_of_arms_file(municipality, str(STATIC_FOLDER)))


def _item_row(catalogue: Any, view: Any, item: Any, fmt: Formatter) -> dict[str, Any]:
    service = catalogue.services.get(item.service_id)
    process = service.process if service is not None else None
    step = next((t for t in process.transitions_from(item.item.source) if t.target == item.item.target), None) \
        if process is not None else None
    no_decision = item.tally.outcome == "no_decision" and item.item.outcome == "no_decision"
    return {"reference": item.reference, "service": fmt.text(service.title) if service else item.service_id,
            "step": fmt.text(step.label) if step is not None and step.label else item.item.target,
            "motion": item.item.motion, "outcome": OUTCOMES.get(item.item.outcome, item.item.outcome),
            "votes": [(name, VOTE_WORDS[item.tally.votes[mid]]) for mid, name in item.voters.items()],
            "counts": {word: item.tally.count(vote) for vote, word in VOTE_WORDS.items()}, "tie": no_decision}


def render_minutes(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler: render the session's minutes once and note the file on its row."""
    session_id = int(payload["session_id"])
    view = session_record(state.database, state.catalogue, session_id)
    if view is None or view.session.minutes_path is not None:
        return
    from .pdf import html_to_pdf     # WeasyPrint is loaded where documents are rendered only

    pdf = html_to_pdf(render_minutes_html(state, view), static_folder=STATIC_FOLDER)
    digest = hashlib.sha256(pdf).hexdigest()
    relative = Path(DOCUMENTS_FOLDER) / digest[:2] / f"minutes-{session_id}-{uuid.uuid4().hex}.pdf"
    target = state.settings.instance_path / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(pdf)
    with state.database.transaction() as session:
        noted = session.execute(update(CommissionSession).where(CommissionSession.id == session_id,
                                                                CommissionSession.minutes_path.is_(None))
                                .values(minutes_path=str(relative), minutes_sha256=digest, minutes_size=len(pdf))
                                .execution_options(synchronize_session=False)).rowcount
    if noted != 1:          # another worker noted its file first
        target.unlink(missing_ok=True)
