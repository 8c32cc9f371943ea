"""Files a resident may download: the application PDF and their own uploads.

    GET /<municipality>/<service>/case/<reference>/application.pdf
    GET /uploads/<upload id>

Who may: `runtime.cases.access` decides (the signed-in person whose case or draft it is,
or the browser that submitted it or holds the draft). Anyone else gets the same 404 as for a reference that does not exist, so references cannot be
probed. While the worker has not rendered the PDF yet, the page says so with HTTP 202
and a link to try again (no JavaScript).
"""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, send_file
from sqlalchemy import select

from ..cases.access import DOWNLOAD, may_act, may_download_upload
from ..documents.jobs import document_path, find_document
from ..state import municipality_or_404, runtime_state
from ..storage.models import Draft, Submission, Upload
from ..uploads import upload_path
from ..versions import UnknownServiceVersion, service_for_version
from .actor import current_actor

documents = Blueprint("documents", __name__)
DOWNLOAD_HEADERS = {"Cache-Control": "private, no-store", "Content-Security-Policy": "sandbox"}


@documents.get("/<municipality_id>/<service_id>/case/<reference>/application.pdf")
def application_pdf(municipality_id: str, service_id: str, reference: str):
    municipality = municipality_or_404(municipality_id)
    state = runtime_state()
    with state.database.transaction() as session:
        submission = session.scalars(select(Submission).where(Submission.reference == reference)).first()
        if submission is None or not state.catalogue.answers_for(municipality_id, submission.municipality_id) \
                or not may_act(current_actor(), submission, DOWNLOAD):
            abort(404)
        try:
            service = service_for_version(state.catalogue, session, submission.service_version_id)
        except UnknownServiceVersion:
            abort(404)
        if service.id != service_id:
            abort(404)
        document = find_document(session, submission.id)
    if document is None:
        response = render_template("documents/pending.html", municipality=municipality, service=service,
                                   reference=reference)
        return response, 202, {"Retry-After": "5"}
    try:
        path = document_path(state.settings, document)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=document.media_type, download_name=f"{reference}.pdf")
    response.headers.update(DOWNLOAD_HEADERS)
    return response


@documents.get("/uploads/<uuid:upload_id>")
def upload_download(upload_id: uuid.UUID):
    state = runtime_state()
    with state.database.transaction() as session:
        upload = session.get(Upload, upload_id)
        if upload is None:
            abort(404)
        draft = session.get(Draft, upload.draft_id) if upload.draft_id else None
        submission = session.get(Submission, upload.submission_id) if upload.submission_id else None
        allowed = may_download_upload(current_actor(), draft, submission)
    if not allowed:
        abort(404)
    try:
        path = upload_path(state.settings, upload)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=upload.media_type, as_attachment=True, download_name=upload.filename)
    response.headers.update(DOWNLOAD_HEADERS)
    return response
