"""The documents of a case a back-office system downloads: the rendered documents (the
application PDF, later result documents) and the files the applicant attached.

A document is named by a string: `document-<id>` for a rendered one, `upload-<uuid>` for
an attachment. Only an actor the policy lets download the case's documents
(`access.may_act(..., DOWNLOAD)`) gets the list or a file; anyone else gets
`CaseNotFound`, as for a case that does not exist. Every download is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..storage.database import Database
from ..storage.models import StoredDocument, Upload
from .access import DOWNLOAD, Actor, may_act
from .audit import AuditContext, record
from .lookup import CaseNotFound, find_case

RENDERED, ATTACHMENT = "document", "upload"


@dataclass(frozen=True)
class CaseDocument:
    id: str
    kind: str                 # the rendered document's kind ("application"), or "attachment"
    filename: str
    media_type: str
    size: int
    sha256: str
    storage_path: str         # relative to the instance folder
    created_at: Any
    field: str | None = None  # the form field an attachment was given in


def list_case_documents(database: Database, actor: Actor, municipality_id: str, reference: str) -> list[CaseDocument]:
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        if not may_act(actor, case, DOWNLOAD):
            raise CaseNotFound(reference)
        rendered = session.scalars(select(StoredDocument).where(StoredDocument.submission_id == case.id)
                                   .order_by(StoredDocument.id))
        found = [_rendered(document, reference) for document in rendered]
        uploads = session.scalars(select(Upload).where(Upload.submission_id == case.id).order_by(Upload.created_at))
        return found + [_attachment(upload) for upload in uploads]


def open_case_document(database: Database, actor: Actor, context: AuditContext, municipality_id: str,
                       reference: str, document_id: str) -> CaseDocument:
    """The document, if it belongs to this case and the actor may download it; audited."""
    for document in list_case_documents(database, actor, municipality_id, reference):
        if document.id == document_id:
            with database.transaction() as session:
                record(session, context, "case.document", municipality_id=municipality_id, object_type="case",
                       object_id=reference, document=document_id)
            return document
    raise CaseNotFound(reference)


def _rendered(document: StoredDocument, reference: str) -> CaseDocument:
    extension = {"application/pdf": "pdf"}.get(document.media_type, "bin")
    return CaseDocument(id=f"{RENDERED}-{document.id}", kind=document.kind,
                        filename=f"{reference}-{document.kind}.{extension}", media_type=document.media_type,
                        size=document.size, sha256=document.sha256, storage_path=document.storage_path,
                        created_at=document.created_at)


def _attachment(upload: Upload) -> CaseDocument:
    return CaseDocument(id=f"{ATTACHMENT}-{upload.id}", kind="attachment", filename=upload.filename,
                        media_type=upload.media_type, size=upload.size, sha256=upload.sha256,
                        storage_path=upload.storage_path, created_at=upload.created_at, field=upload.field_path)

