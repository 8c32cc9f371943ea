"""What the API takes and gives, as pydantic models: spectree validates requests against
them and generates the OpenAPI 3.1 document (`/api/v1/openapi.json`) from them."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

def has_control_characters(value: str) -> bool:
    """Any control character but tab and line breaks (PostgreSQL refuses NUL in text, and
    no field of this API means one)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in value)


def without_control_characters(value: str) -> str:
    if has_control_characters(value):
        raise ValueError("control characters are not allowed")
    return value


Plain = Annotated[str, AfterValidator(without_control_characters)]
# SQLite gives timestamps back without their zone; they are UTC
Moment = Annotated[datetime, AfterValidator(lambda value: value if value.tzinfo else value.replace(tzinfo=timezone.utc))]

Text = Field(default=None, max_length=5000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldProblem(BaseModel):
    """One thing wrong with the request: where, a stable code, and words for a person."""
    location: str = Field(description="A field path of the answers (`dogs[0].chip`), a rule id, or a request part")
    code: str = Field(description="A stable code: `required`, `invalid`, a rule id, `missing`, ...")
    message: str


class Problem(BaseModel):
    """Every 4xx (and 5xx) answer of the API: RFC 9457 problem details, as
    `application/problem+json`, with a stable `code` and, for bad input, `errors`."""
    type: str = Field(default="about:blank", description="A URI naming the kind of problem")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    code: str = Field(description="A stable machine-readable code for the kind of problem")
    errors: list[FieldProblem] = Field(default_factory=list)


class CaseQuery(Strict):
    service: Plain | None = Field(default=None, max_length=100)
    status: Plain | None = Field(default=None, max_length=40, description="Only this status (default: every open case)")
    due: Literal["overdue"] | None = None
    channel: Plain | None = Field(default=None, max_length=20)
    search: Plain = Field(default="", max_length=100, description="A case reference (or its start), or answer text")
    page: int = Field(default=1, ge=1, le=100000)


class CaseSummary(BaseModel):
    reference: str
    municipality: str
    service: str
    status: str
    submitted_at: Moment
    due_on: date | None
    channel: str
    institution: str | None
    applicant: str
    assigned_to: str | None = None
    marker: Literal["overdue", "due_soon"] | None = None


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = Field(description="Open cases per status")


class HistoryEntry(BaseModel):
    from_status: str | None
    to_status: str
    at: Moment
    actor: str = Field(description="`staff:<id>`, `api:<token id>`, `resident` or `browser`; never a name")
    note: str | None = None


class Step(BaseModel):
    target: str
    requires: list[str] = Field(description="What the step must be given: reason, decision, date, paid")
    by: list[str]


class DocumentRef(BaseModel):
    id: str = Field(description="`document-<n>` for a rendered document, `upload-<uuid>` for an attachment")
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str
    field: str | None = None
    href: str


class CaseDetail(CaseSummary):
    answers: dict[str, Any]
    fee_total: str
    fees: dict[str, Any] | None = Field(description="The fee lines as charged at submission (amounts as decimal strings)")
    paid: str
    payment_due_on: date | None = Field(description="The date by which the fee is to be paid, worked out at "
                                                    "submission from the service's `fees.due`; null when it sets none")
    payment_state: str
    history: list[HistoryEntry]
    steps: list[Step] = Field(description="The process steps this token may make from the current status")
    documents: list[DocumentRef]


class TransitionRequest(Strict):
    target: Plain = Field(min_length=1, max_length=40, description="The status to move the case to")
    reason: Plain | None = Text
    decision: Plain | None = Text
    date: Plain | None = Field(default=None, max_length=10, description="YYYY-MM-DD, when the step asks for a date")


class TransitionDone(BaseModel):
    reference: str
    status: str


class Applicant(Strict):
    personal_code: Plain = Field(min_length=11, max_length=12, description="`DDMMYY-NNNNN` or 11 digits")
    given_name: Plain = Field(min_length=1, max_length=100)
    surname: Plain = Field(min_length=1, max_length=100)


class ApplicationRequest(Strict):
    applicant: Applicant = Field(description="The resident the client-service centre files for")
    answers: dict[str, Any] = Field(description="The answers, by field id, as the service's fields declare them; "
                                                "a file as {filename, content_base64}")
    language: Literal["lv", "en"] = "lv"


class IdempotencyHeaders(BaseModel):
    idempotency_key: Plain = Field(alias="Idempotency-Key", min_length=1, max_length=200,
                                 description="The client's key: the same key gives the same case, never a second")


class ApplicationCreated(BaseModel):
    reference: str
    municipality: str
    service: str
    status: str
    channel: str
    institution: str | None
    fee_total: str
    due_on: date | None
    warnings: list[FieldProblem]
    replayed: bool = Field(description="True when this key was sent before: the case made then")
