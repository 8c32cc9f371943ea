"""Files sent inline with an application by machine: `{"filename": ..., "content_base64": ...}`
at a file field's place in the answers (a list of them where the field takes several).
They are decoded here (the web layer) and stored by the use case with the same checks as
a resident's upload (`uploads.store_upload`: type by content, the field's limits)."""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Iterator

from ...cases.machine_submitting import InlineFile
from ...i18n import gettext as _
from .schemas import FieldProblem

CONTENT, NAME = "content_base64", "filename"


def inline_files(fields: Any, answers: Any) -> tuple[list[InlineFile], list[FieldProblem]]:
    """The files the answers carry, and what is wrong with those that cannot be read."""
    files: list[InlineFile] = []
    problems: list[FieldProblem] = []
    for field, path, value in _file_answers(fields, answers, ""):
        if path is None:
            problems.append(FieldProblem(location=value, code="file_in_repeat",
                                         message=_("Files in repeated entries cannot be sent through the API yet.")))
            continue
        many = isinstance(value, list)
        for index, item in enumerate(value if many else [value]):
            where = f"{path}[{index}]" if many else path
            decoded = _decoded(item)
            if decoded is None:
                problems.append(FieldProblem(location=where, code="file_not_readable", message=_(
                    "Send a file as {\"filename\": ..., \"content_base64\": ...} with its content in base64.")))
            else:
                files.append(InlineFile(field=field, path=path, index=index if many else None,
                                        filename=str(item.get(NAME) or "file"), data=decoded))
    return files, problems


def _decoded(item: Any) -> bytes | None:
    if not isinstance(item, dict) or not isinstance(item.get(CONTENT), str) or set(item) - {CONTENT, NAME}:
        return None
    try:
        return base64.b64decode(item[CONTENT], validate=True)
    except (binascii.Error, ValueError):
        return None


def _file_answers(fields: Any, answers: Any, prefix: str) -> Iterator[tuple[Any, str | None, Any]]:
    """(field, path, value) of each file field given a value; path None (and the place as
    value) for one inside a repeat entry."""
    for field in fields:
        value = answers.get(field.name) if isinstance(answers, dict) else None
        path = f"{prefix}{field.name}"
        if value in (None, "", [], {}):
            continue
        if field.type == "file":
            yield field, path, value
        elif field.type == "group":
            yield from _file_answers(field.children, value, path + ".")
        elif field.type == "repeat" and isinstance(value, list):
            for index, entry in enumerate(value):
                for _field, inner, _value in _file_answers(field.children, entry, f"{path}[{index}]."):
                    yield _field, None, inner or f"{path}[{index}]"
