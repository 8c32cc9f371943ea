"""Helpers for the identity, account, uploads, documents and worker tests: the real
definitions (loaded once), an app on them, and submissions inserted directly."""
from __future__ import annotations

import functools
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import create_app
from runtime.identity import person_code_hash
from runtime.outbox import enqueue
from runtime.storage.models import Draft, ServiceVersion, Submission

ROOT = Path(__file__).resolve().parents[2]
CODE_A = "161175-19997"
CODE_B = "010190-12349"
PET_ANSWERS = {
    "applicant_kind": "person",
    "owner": {"personal_code": CODE_A, "given_name": "Anna", "surname": "Bērziņa", "pensioner": True,
              "email": "anna@example.lv", "district": "centre"},
    "pets": [{"name": "Reksis", "species": "dog", "chip": "123456789012345", "birth_date": "2020-05-01",
              "sterilised": True}],
    "start_date": "2026-03-01",
    "deposit": "12.50",
}


@functools.cache
def real_catalogue():
    from builder.catalogue import load_catalogue

    catalogue = load_catalogue(ROOT / "definitions")
    assert not catalogue.problems.errors, catalogue.problems.errors[:3]
    return catalogue


def real_app(app_config: dict[str, Any], **settings: Any):
    return create_app({**app_config, **settings}, catalogue=real_catalogue())


def version_id(app, service_id: str) -> int:
    service = real_catalogue().services[service_id]
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalars(select(ServiceVersion.id).where(
            ServiceVersion.service_id == service_id, ServiceVersion.source_hash == service.source_hash)).one()


def insert_submission(app, reference: str, *, code: str | None = CODE_A, locale: str = "lv",
                      municipality: str = "riga", service_id: str = "example-pet-registration",
                      answers: dict | None = None, with_job: bool = True) -> int:
    state = app.extensions["pkip"]
    version = version_id(app, service_id)
    with state.database.transaction() as session:
        submission = Submission(
            reference=reference, municipality_id=municipality, service_version_id=version,
            answers=PET_ANSWERS if answers is None else answers, fee_total=Decimal("17.50"), status="submitted",
            submitted_at=datetime(2026, 2, 1, 10, 30, tzinfo=timezone.utc), locale=locale,
            person_code_hash=person_code_hash(code, state.settings.secret_key) if code else None,
        )
        session.add(submission)
        session.flush()
        if with_job:
            enqueue(session, "render_application_pdf", {"submission_id": submission.id})
        return submission.id


def insert_draft(app, *, code: str | None = CODE_A, municipality: str = "riga",
                 service_id: str = "example-pet-registration") -> Any:
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        draft = Draft(municipality_id=municipality, service_version_id=version_id(app, service_id), answers={},
                      person_code_hash=person_code_hash(code, state.settings.secret_key) if code else None,
                      resume_token_hash=f"{code}-{municipality}-{service_id}-{datetime.now().timestamp()}")
        session.add(draft)
        session.flush()
        return draft.id


def dev_sign_in(client, code: str = CODE_A, given_name: str = "Anna", surname: str = "Bērziņa"):
    client.get("/signin/dev?next=/my/")
    return client.post("/signin/dev", data={
        "csrf_token": csrf_token(client), "given_name": given_name, "surname": surname, "personal_code": code})


def csrf_token(client) -> str:
    import re

    html = client.get("/signin/dev").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
