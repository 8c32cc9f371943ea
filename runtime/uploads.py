"""Files uploaded to `file` fields: checked, stored outside the web root, recorded.

    answer = store_upload(session, draft_id=..., field=field, field_path="pets[0].photo",
                          file_storage=request.files["..."], settings=settings)

The size limit is the smaller of the field's `max_size_mb` and the site's
`max_upload_mb`. The type is decided by the content, never by the name or the browser's
claim: PDF, PNG, JPEG, GIF and WebP by their magic bytes, XML by its prolog and a safe
parse (no DTD loaded, no entity resolved, no network; a document reader then refuses a
DOCTYPE with its own rule, which tells the resident more than "wrong type"), plain text by strict UTF-8 without control characters. Anything
else, or a type the field does not `accept`, raises `UploadRejected`. The file goes to
`<instance>/uploads/<first two hex digits of its sha256>/<uuid>` (mode 0600) and an
`uploads` row names it; the displayed name is sanitised. A field with a document reader
(`field.document`) gets the reader's summary and problems in its answer
(`builder.documents.file_answer`).
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from lxml import etree
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from builder.documents import file_answer

from .config import Settings
from .limits import Limits
from .storage.models import Draft, Upload

UPLOADS_FOLDER = "uploads"
XML_TYPES = ("application/xml", "text/xml")
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
              "image/webp": ".webp", "application/xml": ".xml", "text/xml": ".xml", "text/plain": ".txt"}
MAX_NAME = 120


class UploadRejected(Exception):
    """`message_key`: empty | file_too_large | file_type (the engine's codes for the same
    problems) | draft_full | client_quota; `details` for `rejection_message`."""

    def __init__(self, message_key: str, **details: Any):
        super().__init__(message_key)
        self.message_key = message_key
        self.details = details


def size_limit(field: Any, settings: Settings) -> int:
    limit = settings.max_content_length
    if getattr(field, "max_size_mb", None) is not None:
        limit = min(limit, int(Decimal(field.max_size_mb) * 1024 * 1024))
    return limit


def sniff(data: bytes) -> str | None:
    """The media type the content shows, or None for anything not recognised."""
    for magic, media_type in MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if _is_xml(data):
        return "application/xml"
    if _is_text(data):
        return "text/plain"
    return None


def _is_xml(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (head.startswith(b"<?xml") or re.match(rb"<[A-Za-z_]", head)):
        return False
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        etree.fromstring(data, parser=parser)   # well-formed; a DOCTYPE is kept, never loaded
    except etree.XMLSyntaxError:
        # libxml2 gives up on entity bombs even unexpanded: still XML by its prolog, and a
        # document reader refuses the DOCTYPE by its own rule
        return b"<!DOCTYPE" in head[:4096]
    return True


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f" for ch in text)


def accepted_type(found: str, accept: tuple[str, ...]) -> str | None:
    """The media type to record when `found` is acceptable, else None. XML is accepted
    under whichever XML name the field lists; `type/*` accepts a family."""
    if not accept:
        return found
    for wanted in accept:
        if wanted == found or (wanted.endswith("/*") and found.startswith(wanted[:-1])):
            return found
        if found in XML_TYPES and wanted in XML_TYPES:
            return wanted
    return None


def sanitise_filename(name: str | None, media_type: str) -> str:
    """A safe display name: no folders, no control or odd characters, at most 120
    characters, ending in the extension of the real type."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = re.sub(r"[^\w .()+-]", "_", base, flags=re.UNICODE).strip(" ._") or "file"
    stem, dot, extension = base.rpartition(".")
    stem = stem if dot else base
    wanted = EXTENSIONS.get(media_type, "")
    return stem[: MAX_NAME - len(wanted)] + wanted


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected("file_too_large", max_mb=Decimal(limit) / (1024 * 1024))
    return data


def _write(instance: Path, digest: str, file_id: uuid.UUID, data: bytes) -> str:
    relative = Path(UPLOADS_FOLDER) / digest[:2] / str(file_id)
    target = instance / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_suffix(".part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(temporary, target)
    return str(relative)


def store_upload(session: Session, *, draft_id: Any, field: Any, field_path: str,
                 file_storage: Any, settings: Settings, admit: Callable[[int], None] = lambda size: None) -> dict:
    """Check and store one uploaded file; the field's answer value, or `UploadRejected`.
    Before anything is written: the draft's own quota (`check_draft_room`), then
    `admit(size)`, which raises `UploadRejected` past the client's quota."""
    data = _read_limited(file_storage.stream, size_limit(field, settings))
    if not data:
        raise UploadRejected("empty")
    found = sniff(data)
    media_type = accepted_type(found, tuple(getattr(field, "accept", ()) or ())) if found else None
    if media_type is None:
        raise UploadRejected("file_type", accept=tuple(getattr(field, "accept", ()) or ()))
    check_draft_room(session, _uuid(draft_id), len(data), settings.limits)
    admit(len(data))
    digest = hashlib.sha256(data).hexdigest()
    file_id = uuid.uuid4()
    name = sanitise_filename(getattr(file_storage, "filename", None), media_type)
    answer = _answer(field, file_id, name, media_type, data)     # read before anything is stored
    storage_path = _write(settings.instance_path, digest, file_id, data)
    try:
        session.add(Upload(
            id=file_id, draft_id=_uuid(draft_id), field_path=field_path[:200], filename=name,
            media_type=media_type, size=len(data), sha256=digest, storage_path=storage_path,
        ))
        session.flush()
    except BaseException:
        (settings.instance_path / storage_path).unlink(missing_ok=True)   # no file without its row
        raise
    return answer


def check_draft_room(session: Session, draft_id: uuid.UUID | None, size: int, limits: Limits) -> None:
    """`UploadRejected("draft_full")` when the draft already holds `max_draft_uploads`
    files, or `size` more bytes would pass `max_draft_upload_mb` (files it replaced count
    until `pkip cleanup` removes them). On PostgreSQL the draft's row is locked first, so
    two posts at once cannot both take the last room."""
    if draft_id is None:
        return
    session.execute(select(Draft.id).where(Draft.id == draft_id).with_for_update())
    count, total = session.execute(select(func.count(Upload.id), func.coalesce(func.sum(Upload.size), 0))
                                   .where(Upload.draft_id == draft_id)).one()
    if count >= limits.max_draft_uploads or total + size > limits.max_draft_upload_mb * 1024 * 1024:
        raise UploadRejected("draft_full")


def _answer(field: Any, file_id: uuid.UUID, name: str, media_type: str, data: bytes) -> dict:
    kind = getattr(field, "document", None)
    if kind:
        return file_answer(kind, name, media_type, data, str(file_id))
    return {"id": str(file_id), "name": name, "size": len(data), "media_type": media_type}


def _uuid(value: Any) -> uuid.UUID | None:
    return value if isinstance(value, uuid.UUID) or value is None else uuid.UUID(str(value))


def uploads_for_draft(session: Session, draft_id: Any) -> list[Upload]:
    """The draft's files, oldest first (check-your-answers lists them)."""
    return list(session.scalars(
        select(Upload).where(Upload.draft_id == _uuid(draft_id)).order_by(Upload.created_at)))


def files_of_draft(session: Session, draft_id: Any, file_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Those of `file_ids` that are this draft's files. Call it before the draft is
    deleted (deleting it sets `uploads.draft_id` to NULL): an id in the answers that is not
    the draft's own file is never attached."""
    wanted = list(file_ids)
    if not wanted:
        return []
    return list(session.scalars(select(Upload.id).where(Upload.draft_id == _uuid(draft_id), Upload.id.in_(wanted))))


def attach_to_submission(session: Session, file_ids: Iterable[uuid.UUID], submission_id: int) -> None:
    """Call in the submit transaction with `files_of_draft`: those files now belong to the
    submission. Files the resident replaced or removed stay unattached."""
    wanted = list(file_ids)
    if wanted:
        session.execute(update(Upload).where(Upload.id.in_(wanted)).values(submission_id=submission_id)
                        .execution_options(synchronize_session=False))


def uploaded_file_ids(value: Any) -> Iterator[uuid.UUID]:
    """The ids of the stored files an answer tree refers to (a file answer is a mapping
    with `id` and `media_type`)."""
    if isinstance(value, dict):
        if "media_type" in value and "id" in value:
            try:
                yield uuid.UUID(str(value["id"]))
            except ValueError:
                pass
            return
        for item in value.values():
            yield from uploaded_file_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from uploaded_file_ids(item)


def upload_path(settings: Settings, upload: Upload) -> Path:
    path = (settings.instance_path / upload.storage_path).resolve()
    if settings.instance_path.resolve() / UPLOADS_FOLDER not in path.parents:
        raise FileNotFoundError("upload outside the uploads folder")
    return path


TYPE_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF",
              "image/webp": "WebP", "application/xml": "XML", "text/xml": "XML", "text/plain": "TXT"}


def rejection_message(error: UploadRejected) -> str:
    """The message for the resident, in the current language (GOV.UK wording)."""
    from .i18n import format_number, gettext as _

    if error.message_key == "file_too_large":
        size = format_number(Decimal(error.details["max_mb"]).quantize(Decimal("0.1")).normalize())
        return _("The selected file must be smaller than %(size)s MB", size=size)
    if error.message_key == "file_type":
        names = list(dict.fromkeys(TYPE_NAMES.get(t, t) for t in error.details.get("accept") or ()))
        if names:
            return _("The selected file must be a %(types)s", types=", ".join(names))
        return _("The selected file must be a PDF, an image, an XML or a text file")
    return _("The selected file is empty")
