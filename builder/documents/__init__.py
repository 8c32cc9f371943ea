"""Document readers: turn an uploaded file into a typed summary and a list of problems.

A `file` field may say `document: <kind>`; the runtime then calls `read_document(kind, data)`
once, on upload, and stores `file_answer(...)` as the field's answer:

    {name, size, media_type, id?, document: {...summary} | null, document_problems: [...]}

The engine never reads files (it stays pure): it types the stored summary
(`coerce_summary`), shows it to expressions as `<field>.document.*`, and turns each stored
problem into a field error whose message starts with the problem's rule id.

Each reader declares the expression type of its summary (`summary_type`), so expressions
over it are type-checked at build time, and the rule ids it may report (`rules`), so that
definition tests may name them in `expect.errors`.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from ..expressions import types as T
from ..model import Text


@dataclass(frozen=True)
class DocumentProblem:
    rule_id: str               # the official rule id (BR-CO-10) or ours (PKIP-XML-01)
    message: Text              # lv and en
    path: str | None = None    # where in the document, e.g. /Invoice/cac:LegalMonetaryTotal
    severity: str = "fatal"    # "fatal" rejects the document; "warning" only tells

    def to_json(self) -> dict:
        return {"rule_id": self.rule_id, "message": dict(self.message), "path": self.path,
                "severity": self.severity}


@dataclass(frozen=True)
class Reading:
    summary: dict | None                           # typed values (Decimal, date); None if unreadable
    problems: tuple[DocumentProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Accepted: no fatal problem (warnings do not reject, as in the official validators)."""
        return not self.fatal

    @property
    def fatal(self) -> tuple[DocumentProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "fatal")


@dataclass(frozen=True)
class Reader:
    kind: str
    title: Text
    summary_type: T.ObjectType
    rules: Mapping[str, str]                        # rule id -> a short description (English)
    read: Callable[[bytes], Reading]
    media_types: tuple[str, ...] = ()


# a stored problem as expressions see it: `invoice.document_problems.exists(p, p.rule_id == 'BR-CO-10')`
PROBLEM_TYPE = T.ObjectType({"rule_id": T.STRING, "message": T.MapType(T.STRING, T.STRING), "path": T.STRING,
                             "severity": T.STRING}, "document_problem")

_READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    _READERS[reader.kind] = reader
    return reader


def readers() -> Mapping[str, Reader]:
    _load_builtin()
    return dict(_READERS)


def reader(kind: str) -> Reader | None:
    _load_builtin()
    return _READERS.get(kind)


def read_document(kind: str, data: bytes) -> Reading:
    """Read `data` with the reader `kind`; never raises on bad content."""
    found = reader(kind)
    if found is None:
        raise KeyError(f"no document reader {kind!r}; known: {', '.join(sorted(readers()))}")
    return found.read(data)


def file_answer(kind: str, name: str, media_type: str, data: bytes, file_id: str | None = None) -> dict:
    """The JSON answer the runtime stores for an uploaded file read by `kind`."""
    reading = read_document(kind, data)
    answer = {"name": name, "size": len(data), "media_type": media_type,
              "document": _json(reading.summary), "document_problems": [p.to_json() for p in reading.problems]}
    if file_id is not None:
        answer["id"] = file_id
    return answer


def summary_type(kind: str | None) -> T.Type:
    """The expression type of `<field>.document` for reader `kind`."""
    found = reader(kind) if kind else None
    return found.summary_type if found is not None else T.DYN


def coerce_summary(kind: str, raw: Any) -> dict | None:
    """A stored (JSON) summary typed by the reader's summary type: decimals, dates, ints;
    every declared member present (None when absent); unknown members dropped."""
    found = reader(kind)
    if found is None or not isinstance(raw, Mapping):
        return None
    return typed_value(found.summary_type, raw)


def coerce_problems(raw: Any) -> list[dict]:
    """Stored problems, checked for shape: [{rule_id, message: {lv, en}, path, severity}]; a
    problem stored before severities existed is fatal."""
    problems = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, Mapping) and item.get("rule_id"):
            message = item.get("message")
            text = dict(message) if isinstance(message, Mapping) else {"lv": str(message or "")}
            severity = "warning" if item.get("severity") == "warning" else "fatal"
            problems.append({"rule_id": str(item["rule_id"]), "message": text, "path": item.get("path"),
                             "severity": severity})
    return problems


def typed_value(kind: T.Type, raw: Any) -> Any:
    """`raw` (stored JSON) as a value of `kind`: decimals, dates, ints; every member of an
    object present (None when absent or of another form)."""
    if raw is None:
        return None
    try:
        if isinstance(kind, T.ObjectType):
            data = raw if isinstance(raw, Mapping) else {}
            return {name: typed_value(member, data.get(name)) for name, member in kind.fields.items()}
        if isinstance(kind, T.ListType):
            return [typed_value(kind.elem, item) for item in raw] if isinstance(raw, list) else None
        if kind == T.NUMBER:
            return raw if isinstance(raw, Decimal) else Decimal(str(raw))
        if kind == T.INT:
            return int(raw)
        if kind == T.DATE:
            return raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw))
        if kind == T.BOOL:
            return raw if isinstance(raw, bool) else None
        return str(raw)
    except (ValueError, TypeError, InvalidOperation):
        return None


def _json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _load_builtin() -> None:
    if not _READERS:
        from . import en16931  # noqa: F401  (registers itself)


KINDS = ("en16931",)   # the built-in readers; the JSON Schema's `document` enum lists the same
