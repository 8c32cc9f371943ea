"""Journeys from the definitions' own `tests:`: pick a valid case of a service and turn
its answers into what a resident types, clicks and uploads.

The compiled model (`builder.catalogue.load_catalogue`) gives every field's type; the
runtime names each input by the field's dotted path with "-" for "." (`owner-surname`,
inside a repeat entry `pets-chip`, a date as `<name>-day/-month/-year`), see
`runtime/forms/naming.py`.
"""
from __future__ import annotations

import datetime
import functools
import io
import mimetypes
import zlib
import struct
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from builder.catalogue import Catalogue, load_catalogue
from builder.model import Field, Service, TestCase

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "definitions"
FIXTURES = DEFINITIONS / "fixtures"


@functools.cache
def catalogue() -> Catalogue:
    return load_catalogue(DEFINITIONS)


def service(service_id: str) -> Service:
    found = catalogue().services.get(service_id)
    assert found is not None, f"no service {service_id!r} in {DEFINITIONS}/services"
    return found


@dataclass(frozen=True)
class Journey:
    service: Service
    case: TestCase
    municipality: str
    today: datetime.date
    person: Mapping[str, str] | None
    answers: Mapping[str, Any]

    @property
    def start_path(self) -> str:
        return f"/{self.municipality}/{self.service.id}/"


def journey(service_id: str, *, municipality: str | None = None, name_contains: str = "",
            valid_only: bool = True) -> Journey:
    """The first case of the service's tests that expects a valid application (and no
    stop), optionally in one municipality or with a name containing `name_contains`;
    `valid_only=False` also takes cases that expect errors (the test then adds answers)."""
    model = service(service_id)
    for case in model.tests:
        expect = case.expect
        if valid_only and (expect.get("valid") is not True or expect.get("stop")):
            continue
        if municipality and case.context.get("municipality") != municipality:
            continue
        if name_contains not in case.name:
            continue
        today = case.context.get("today")
        return Journey(
            service=model, case=case, municipality=str(case.context.get("municipality")),
            today=today if isinstance(today, datetime.date) else
            (datetime.date.fromisoformat(str(today)) if today else datetime.date.today()),
            person=case.context.get("person"), answers=case.answers,
        )
    raise AssertionError(f"{service_id}: no valid test case"
                         + (f" in {municipality}" if municipality else "") + " to drive the browser with")


# --- what a resident types ---------------------------------------------------------

def typed(field: Field, value: Any) -> str:
    """A scalar answer as text in an input."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def date_parts(value: Any) -> tuple[str, str, str]:
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return str(day.day), str(day.month), str(day.year)


# --- files to upload ------------------------------------------------------------------

def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


MAKERS = {"application/pdf": _pdf, "image/png": _png, "image/jpeg": _jpeg}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def upload(field: Field, value: Mapping[str, Any]) -> dict[str, Any]:
    """A Playwright file payload for one file answer of a test case: the fixture itself
    (`{fixture: e-invoice/valid.xml}`) or a small real file of the declared type (the
    runtime checks types by content, so the bytes must be genuine)."""
    if "fixture" in value:
        path = FIXTURES / str(value["fixture"])
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return {"name": path.name, "mimeType": media_type, "buffer": path.read_bytes()}
    media_type = str(value.get("media_type") or "")
    if media_type not in MAKERS:
        media_type = next((t for t in field.accept if t in MAKERS), "application/pdf")
    name = str(value.get("name") or "file")
    if not name.endswith(EXTENSIONS[media_type]):
        name = Path(name).stem + EXTENSIONS[media_type]
    return {"name": name, "mimeType": media_type, "buffer": MAKERS[media_type]()}
