"""File fields: store what a form post uploads (through `runtime.uploads.store_upload`,
which checks size and type by content) and work out the field's new answer. More files
than the field takes are refused before any is stored (issue 16 finding 6)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from builder.engine.messages import message
from builder.model import Field
from flask_wtf import FlaskForm

from ...forms.parse import posted_files, removed_files
from ...i18n import gettext as _
from ...i18n import text_for
from ...state import runtime_state
from ...throttle import within_limit
from ...uploads import UploadRejected, store_upload


def rejection_message(field: Field, key: str, max_mb: Decimal | None = None) -> str:
    """What a refused upload tells the resident, in the engine's words for the same check
    (it names the allowed types and the size), so an upload has one message, not two."""
    if key == "file_too_large":
        limit = (max_mb if max_mb is not None else field.max_size_mb or Decimal(0)).quantize(Decimal("0.1"))
        return text_for(message("file_too_large", field, max=limit.normalize()))
    if key == "file_type":
        return text_for(message("file_type", field))
    if key == "too_many_files":
        return text_for(message("too_many_items", field, max=field.max_files or 1))
    label = text_for(field.label)
    if key == "empty":
        return _("The file you chose for “%(label)s” is empty: choose another", label=label)
    if key == "draft_full":
        return _("%(label)s could not be added: this application cannot hold more files. "
                 "Contact the municipality if you need to send more", label=label)
    if key == "client_quota":
        return _("%(label)s could not be added: you have uploaded a lot of files in a short "
                 "while. Wait an hour and try again", label=label)
    return _("%(label)s could not be uploaded. Try again or choose another file", label=label)


def apply_uploads(form: FlaskForm, draft_id, stored_of, path_of) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """({model path: new answer}, {model path: error messages}) for the form's file fields.

    `stored_of(field)` is the field's stored answer, `path_of(field)` its path with repeat
    indexes (what the upload row records)."""
    new_files = posted_files(form)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    database = runtime_state().database
    for field in (f for f in form.model_leaves if f.type == "file"):
        kept = [f for f in _as_list(stored_of(field)) if str(f.get("id")) not in removed_files(form, field)]
        added: list[dict] = []
        posted = new_files.get(field.path, [])
        if len(posted) > _room(field, kept):     # refused before anything is stored
            errors.setdefault(field.path, []).append(rejection_message(field, "too_many_files"))
            posted = []
        for storage in posted:
            try:
                with database.transaction() as session:
                    added.append(store_upload(session, draft_id=str(draft_id), field=field,
                                              field_path=path_of(field), file_storage=storage,
                                              settings=runtime_state().settings, admit=admit_for_client))
            except UploadRejected as rejected:
                errors.setdefault(field.path, []).append(
                    rejection_message(field, rejected.message_key, rejected.details.get("max_mb")))
        values[field.path] = _answer(field, kept, added)
    return values, errors


def admit_for_client(size: int) -> None:
    """The client's quota of files and bytes per hour (`throttle`): a file past it is
    refused before it is stored, and its bytes are not counted."""
    if not within_limit("upload_files").allowed:
        raise UploadRejected("client_quota")
    if not within_limit("upload_bytes", size, refund_when_refused=True).allowed:
        raise UploadRejected("client_quota")


def _room(field: Field, kept: list[dict]) -> int:
    """How many files a post may add: a single-file field takes one (it replaces the
    stored one), a multi-file field what its `max_files` leaves next to the kept ones."""
    allowed = field.max_files or 1
    return 1 if allowed == 1 else max(allowed - len(kept), 0)


def _answer(field: Field, kept: list[dict], added: list[dict]) -> Any:
    if (field.max_files or 1) > 1:
        return (kept + added) or None
    chosen = added[-1:] or kept[:1]     # a new file replaces the one stored
    return chosen[0] if chosen else None


def _as_list(value: Any) -> list[dict]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return [value] if isinstance(value, dict) else []
