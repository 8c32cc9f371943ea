"""Uploads: size limits, type by content, storage outside the web root, the owner-only
download; on both databases."""
from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from runtime.storage.models import Upload
from runtime.uploads import UploadRejected, sanitise_filename, sniff, store_upload, uploads_for_draft

from .support_documents import CODE_B, dev_sign_in, insert_draft, real_app, real_catalogue

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class FileField:
    accept: tuple[str, ...] = ("application/pdf",)
    max_size_mb: Decimal | None = Decimal("1")
    document: str | None = None


@pytest.fixture
def app(app_config):
    application = real_app(app_config, env="development", dev_signin=True)
    yield application
    application.extensions["pkip"].database.dispose()


def store(app, draft_id, data: bytes, name: str, field=FileField()):
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        return store_upload(session, draft_id=draft_id, field=field, field_path="consent_document",
                            file_storage=FileStorage(io.BytesIO(data), filename=name), settings=state.settings)


def test_a_pdf_is_stored_outside_the_web_root_and_listed(app):
    draft_id = insert_draft(app)
    answer = store(app, draft_id, PDF, "../../etc/Iesniegums <1>.pdf")
    assert answer == {"id": answer["id"], "name": "Iesniegums _1_.pdf", "size": len(PDF), "media_type": "application/pdf"}
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        [row] = uploads_for_draft(session, draft_id)
        assert str(row.id) == answer["id"] and row.field_path == "consent_document"
        path = (state.settings.instance_path / row.storage_path).resolve()
    assert path.read_bytes() == PDF
    assert path.parent.name == row.sha256[:2] and path.name == answer["id"]
    assert (state.settings.instance_path / "uploads") in path.parents
    assert ROOT / "static" not in path.parents
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_too_large_for_the_field_is_rejected(app):
    with pytest.raises(UploadRejected) as rejected:
        store(app, insert_draft(app), PDF + b"x" * (1024 * 1024), "big.pdf")
    assert rejected.value.message_key == "file_too_large"
    assert _upload_count(app) == 0


def test_the_sites_limit_applies_when_the_field_allows_more(app_config):
    application = real_app(app_config, max_upload_mb=1)
    try:
        with pytest.raises(UploadRejected, match="file_too_large"):
            store(application, insert_draft(application), PDF + b"x" * (1024 * 1024), "a.pdf",
                  FileField(max_size_mb=Decimal("50")))
    finally:
        application.extensions["pkip"].database.dispose()


def test_a_png_renamed_pdf_is_rejected_by_its_content(app):
    with pytest.raises(UploadRejected) as rejected:
        store(app, insert_draft(app), PNG, "scan.pdf")
    assert rejected.value.message_key == "file_type"
    assert _upload_count(app) == 0


def test_an_image_field_takes_a_png_and_names_it_by_its_real_type(app):
    answer = store(app, insert_draft(app), PNG, "photo.jpeg", FileField(accept=("image/jpeg", "image/png")))
    assert answer["media_type"] == "image/png" and answer["name"] == "photo.png"


@pytest.mark.parametrize(("data", "expected"), [
    (PDF, "application/pdf"), (PNG, "image/png"), (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    (b"GIF89a....", "image/gif"), (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
    (b'<?xml version="1.0"?><Invoice/>', "application/xml"), (b"Sveiki, pasaule!\n", "text/plain"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "text/plain"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "application/xml"),
    (b"<?xml version='1.0'?><unclosed>", "text/plain"), (b"\x00\x01\x02binary", None),
    (b"MZ\x90\x00 windows executable", None), ("čau".encode("utf-16"), None),
])
def test_types_are_recognised_by_content(data, expected):
    assert sniff(data) == expected


def test_an_empty_file_is_rejected(app):
    with pytest.raises(UploadRejected, match="empty"):
        store(app, insert_draft(app), b"", "empty.pdf")


def test_an_e_invoice_gets_the_readers_summary_and_problems(app):
    fixtures = ROOT / "definitions" / "fixtures" / "e-invoice"
    field = real_catalogue().services["e-invoice"].field_index["invoice"]
    draft_id = insert_draft(app, service_id="e-invoice")
    good = store(app, draft_id, (fixtures / "valid.xml").read_bytes(), "rēķins.xml", field)
    assert good["media_type"] in field.accept and good["id"] and good["name"] == "rēķins.xml"
    assert isinstance(good["document"], dict) and good["document"]
    assert good["document_problems"] == []
    bad = store(app, draft_id, (fixtures / "billion-laughs.xml").read_bytes(), "lol.xml", field)
    assert bad["document"] is None and [p["rule_id"] for p in bad["document_problems"]] == ["PKIP-XML-01"]


def test_only_the_owner_downloads_an_upload(app):
    owner = app.test_client()
    dev_sign_in(owner)
    draft_id = insert_draft(app)
    answer = store(app, draft_id, PDF, "consent.pdf")
    response = owner.get(f"/uploads/{answer['id']}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    stranger = app.test_client()
    assert stranger.get(f"/uploads/{answer['id']}").status_code == 404
    dev_sign_in(stranger, code=CODE_B, given_name="Cits", surname="Cilvēks")
    assert stranger.get(f"/uploads/{answer['id']}").status_code == 404
    assert owner.get(f"/uploads/{uuid.uuid4()}").status_code == 404


def test_names_are_sanitised():
    assert sanitise_filename("C:\\Users\\x\\Pase.PDF", "application/pdf") == "Pase.pdf"
    assert sanitise_filename("..", "image/png") == "file.png"
    assert sanitise_filename("a\x00b\nc.txt", "text/plain") == "a_b_c.txt"
    assert len(sanitise_filename("x" * 500 + ".pdf", "application/pdf")) == 120


def _upload_count(app) -> int:
    with app.extensions["pkip"].database.transaction() as session:
        return session.query(Upload).count()


def _stored_files(app) -> list[Path]:
    folder = app.extensions["pkip"].settings.instance_path / "uploads"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_e_invoice_with_huge_numbers_is_stored_with_its_rule_failures(app):
    # issue 16 finding 4: these gave decimal.InvalidOperation / Overflow and a 500
    fixtures = ROOT / "definitions" / "fixtures" / "e-invoice"
    field = real_catalogue().services["e-invoice"].field_index["invoice"]
    draft_id = insert_draft(app, service_id="e-invoice")
    valid = (fixtures / "valid.xml").read_bytes()
    for huge in (b"1E+30", b"1e999999999"):
        data = valid.replace(b'<cbc:LineExtensionAmount currencyID="EUR">500.00', b'<cbc:LineExtensionAmount '
                             b'currencyID="EUR">' + huge, 1)
        answer = store(app, draft_id, data, "rekins.xml", field)
        assert "PKIP-UBL-02" in [p["rule_id"] for p in answer["document_problems"]]
    percent = valid.replace(b"<cbc:Percent>21</cbc:Percent>", b"<cbc:Percent>1E+50</cbc:Percent>", 1)
    assert "PKIP-UBL-02" in [p["rule_id"] for p in store(app, draft_id, percent, "r.xml", field)["document_problems"]]
    with app.extensions["pkip"].database.transaction() as session:
        assert len(uploads_for_draft(session, draft_id)) == 3 == len(_stored_files(app))


def test_an_upload_whose_row_cannot_be_written_leaves_no_file(app, monkeypatch):
    draft_id = insert_draft(app)
    from sqlalchemy.orm import Session

    def broken_flush(self, *args, **kwargs):
        raise RuntimeError("database went away")
    monkeypatch.setattr(Session, "flush", broken_flush)
    with pytest.raises(RuntimeError):
        store(app, draft_id, PDF, "a.pdf")
    monkeypatch.undo()
    assert _stored_files(app) == []


def test_a_reader_that_fails_stores_nothing(app, monkeypatch):
    import runtime.uploads as uploads

    def failing(*args, **kwargs):
        raise ValueError("reader bug")
    monkeypatch.setattr(uploads, "file_answer", failing)
    field = real_catalogue().services["e-invoice"].field_index["invoice"]
    draft_id = insert_draft(app, service_id="e-invoice")
    with pytest.raises(ValueError):
        store(app, draft_id, (ROOT / "definitions" / "fixtures" / "e-invoice" / "valid.xml").read_bytes(), "r.xml", field)
    with app.extensions["pkip"].database.transaction() as session:
        assert uploads_for_draft(session, draft_id) == []
    assert _stored_files(app) == []


def stored_files(app) -> list[Path]:
    folder = app.extensions["pkip"].settings.instance_path / "uploads"
    return [path for path in folder.rglob("*") if path.is_file()]


def test_more_photos_than_the_field_takes_are_refused_before_any_is_stored(app):
    """Issue 16 finding 6: 50 photos to a field that takes 10 stored 50 rows and files."""
    import io
    import re

    from .resident_support import Browser, count

    browser = Browser(app)
    base = "/riga/tree-felling-permit"
    browser.start(base)
    page = f"{base}/apply/attachments"
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', browser.get(page)).group(1)
    photos = [(io.BytesIO(PNG), f"koks{n}.png") for n in range(11)]
    response = browser.client.post(page, data={"csrf_token": token, "photos": photos},
                                   content_type="multipart/form-data")
    assert response.status_code == 200
    assert "var pievienot ne vairāk kā 10 datnes" in response.get_data(as_text=True)
    assert count(browser.app, Upload) == 0 and not stored_files(browser.app)


def test_a_post_with_too_many_parts_is_refused_while_it_is_read(app):
    import io

    from .resident_support import Browser, count

    browser = Browser(app)
    base = "/riga/tree-felling-permit"
    browser.start(base)
    photos = [(io.BytesIO(PNG), f"koks{n}.png") for n in range(300)]
    response = browser.client.post(f"{base}/apply/attachments", data={"photos": photos},
                                   content_type="multipart/form-data")
    assert response.status_code == 413
    assert count(browser.app, Upload) == 0 and not stored_files(browser.app)
