"""The application PDF: rendered by the worker off the request path, in the resident's
language, tagged; WeasyPrint fetches nothing outside the app; admin templates are
sandboxed; the PDF is served only to whoever may see the submission. Both databases."""
from __future__ import annotations

import re
import zlib
from types import SimpleNamespace

import pytest
from jinja2.sandbox import SecurityError

from runtime.documents.application import render_application_html
from runtime.documents.pdf import StaticOnlyFetcher, html_to_pdf
from runtime.documents.jobs import STATIC_FOLDER
from runtime.documents.sandbox import TemplateRefused, render_admin_template, sandboxed_environment
from runtime.storage.models import StoredDocument
from runtime.worker import run_pending

from .support_documents import CODE_B, PET_ANSWERS, dev_sign_in, insert_submission, real_app, real_catalogue

PDF_URL = "/riga/example-pet-registration/case/{}/application.pdf"


@pytest.fixture
def app(app_config):
    application = real_app(app_config, env="development", dev_signin=True)
    yield application
    application.extensions["pkip"].database.dispose()


def pdf_text(data: bytes) -> str:
    """The PDF's own text with every Flate stream (objects, metadata) inflated."""
    parts = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


def layout_text(html: str) -> str:
    """Every piece of text WeasyPrint laid out on the pages."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=StaticOnlyFetcher(STATIC_FOLDER),
                    base_url=StaticOnlyFetcher(STATIC_FOLDER).base_url).render()
    texts = []

    def walk(box):
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(texts)


def test_the_worker_renders_a_tagged_pdf_in_the_residents_language(app):
    submission_id = insert_submission(app, "RIX-PET-2026-000001", locale="en")
    state = app.extensions["pkip"]
    report = run_pending(state)
    assert report.done and not report.failed
    with state.database.transaction() as session:
        [document] = session.query(StoredDocument).all()
        assert document.submission_id == submission_id and document.locale == "en"
        path = state.settings.instance_path / document.storage_path
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and document.size == len(data)
    text = pdf_text(data)
    assert "RIX-PET-2026-000001" in text              # in the title and metadata
    assert "/StructTreeRoot" in text and "/Lang" in text and "pdfuaid" in text
    assert "(en)" in text or "/Lang (en" in text


def test_the_document_shows_labels_and_locale_formats(app):
    effective = real_catalogue().effective("riga", "example-pet-registration")
    from datetime import datetime, timezone
    from decimal import Decimal

    def html(locale):
        submission = SimpleNamespace(reference="RIX-PET-2026-000002", answers=PET_ANSWERS, locale=locale,
                                     submitted_at=datetime(2026, 2, 1, 10, 30, tzinfo=timezone.utc),
                                     fee_total=Decimal("17.50"))
        return render_application_html(effective=effective, service=effective.service, submission=submission,
                                       static_coat="coats/riga.svg")

    latvian = layout_text(html("lv"))
    for expected in ("RIX-PET-2026-000002", "Rīgas valstspilsēta", "Suns", "Reksis", "Jā",
                     "2026. gada 1. marts", "12,50\xa0€", "17,50\xa0€", "Pensionāriem"):
        assert expected in latvian, expected
    assert "dog" not in latvian.split()                 # a choice's label, never its code
    english = layout_text(html("en"))
    for expected in ("Dog", "Yes", "1 March 2026", "€12.50", "€17.50", "City of Riga", "12:30"):
        assert expected in english, expected


def test_rendering_twice_leaves_one_document(app):
    from runtime.documents.jobs import render_application_pdf

    submission_id = insert_submission(app, "RIX-PET-2026-000003", with_job=False)
    state = app.extensions["pkip"]
    render_application_pdf(state, {"submission_id": submission_id})
    render_application_pdf(state, {"submission_id": submission_id})
    with state.database.transaction() as session:
        assert session.query(StoredDocument).count() == 1
    assert len(list((state.settings.instance_path / "documents").rglob("*.pdf"))) == 1


def test_weasyprint_fetches_nothing_outside_the_static_folder(monkeypatch):
    import weasyprint.urls

    def forbidden(*args, **kwargs):
        raise AssertionError("the default fetcher must never run")

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "open", forbidden)
    fetcher = StaticOnlyFetcher(STATIC_FOLDER)
    html = """<html lang="lv"><head><title>t</title>
      <link rel="stylesheet" href="http://127.0.0.1:1/x.css">
      <link rel="stylesheet" href="css/site.css">
      <link rel="stylesheet" href="../runtime/config.py"></head>
      <body><img src="file:///etc/passwd" alt=""><img src="https://example.com/a.png" alt="">
      <img src="coats/riga.svg" alt="ģerbonis"><p>Sveiki</p></body></html>"""
    data = html_to_pdf(html, static_folder=STATIC_FOLDER, fetcher=fetcher)
    assert data.startswith(b"%PDF-")
    assert set(fetcher.refused) >= {"http://127.0.0.1:1/x.css", "file:///etc/passwd", "https://example.com/a.png"}
    assert any(url.endswith("runtime/config.py") for url in fetcher.refused)
    assert not any("site.css" in url or "riga.svg" in url for url in fetcher.refused)


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ label.__globals__ }}",
    "{{ answers.clear() }}",
    "{% set x = answers.update({'a': 1}) %}",
])
def test_the_sandbox_blocks_escapes(tmp_path, template):
    (tmp_path / "evil.html").write_text(template)
    environment = sandboxed_environment(tmp_path)
    with pytest.raises((TemplateRefused, SecurityError)):
        render_admin_template(environment, "evil.html", {"answers": {"a": 0}, "label": lambda p, v: v})


def test_admin_templates_autoescape_and_see_their_variables(tmp_path):
    (tmp_path / "permit.html").write_text(
        "<h1>{{ case.reference }}</h1><p>{{ answers.name }}</p><p>{{ label('pets.species', 'dog') }}</p>")
    from runtime.documents.sandbox import choice_labeller

    service = real_catalogue().services["example-pet-registration"]
    effective = real_catalogue().effective("riga", "example-pet-registration")
    html = render_admin_template(sandboxed_environment(tmp_path), "permit.html", {
        "case": {"reference": "RIX-1"}, "answers": {"name": "<script>x</script>"},
        "label": choice_labeller(service, effective.options, "en")})
    assert "<h1>RIX-1</h1>" in html and "&lt;script&gt;" in html and "<p>Dog</p>" in html


def test_the_real_permit_template_renders_in_the_sandbox():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "definitions" / "templates"
    html = render_admin_template(sandboxed_environment(folder), "tree-felling-permit.html", {
        "service": real_catalogue().services["tree-felling-permit"], "municipality": {"name": {"lv": "Rīga"}},
        "case": {"reference": "RIX-KOC-2026-000001", "submitted_at": "2026-02-01"}, "answers": {},
        "computed": {}, "params": {}, "fees": [], "language": "lv"})
    assert "RIX-KOC-2026-000001" in html


def test_the_pdf_is_served_only_to_whoever_may_see_it(app):
    insert_submission(app, "RIX-PET-2026-000004")
    owner, stranger, anonymous = app.test_client(), app.test_client(), app.test_client()
    dev_sign_in(owner)
    dev_sign_in(stranger, code=CODE_B, given_name="Cits", surname="Cilvēks")
    url = PDF_URL.format("RIX-PET-2026-000004")
    pending = owner.get(url)
    assert pending.status_code == 202 and "tiek sagatavots" in pending.get_data(as_text=True)
    assert f'href="{url}"' in pending.get_data(as_text=True)
    run_pending(app.extensions["pkip"])
    response = owner.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert stranger.get(url).status_code == 404
    assert anonymous.get(url).status_code == 404
    assert owner.get(PDF_URL.format("RIX-PET-2026-999999")).status_code == 404
    assert owner.get(url.replace("/riga/", "/aluksnes-novads/")).status_code == 404
    assert owner.get(url.replace("example-pet-registration", "dog-fee")).status_code == 404


def test_the_browser_that_submitted_gets_the_pdf_without_signing_in(app):
    insert_submission(app, "RIX-PET-2026-000005", code=None)
    run_pending(app.extensions["pkip"])
    browser = app.test_client()
    url = PDF_URL.format("RIX-PET-2026-000005")
    assert browser.get(url).status_code == 404
    with browser.session_transaction() as session:
        session["submitted"] = ["RIX-PET-2026-000005"]   # what remembered.remember_submission stores
    assert browser.get(url).status_code == 200


@pytest.mark.parametrize("template, why", [
    ("{% for i in range(10**9) %}{{ i }}{% endfor %}", "OverflowError"),
    ("{{ 'a' * 20000000 }}", "longer than"),
    ("{{ 20000000 * 'a' }}", "longer than"),
    ("{{ 10 ** 1000000 }}", "digits"),
    ("{{ 'a' | center(4000000000) }}", "memory"),
    ("{{ 'a' | center(size) }}", "larger than"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{{ i * j }}{% endfor %}{% endfor %}", "longer"),
])
def test_the_sandbox_bounds_time_and_memory(tmp_path, template, why):
    """Issue 16 finding 10: a costly template is refused with a reason, quickly."""
    import time

    (tmp_path / "costly.html").write_text(template)
    started = time.monotonic()
    with pytest.raises(TemplateRefused, match=why):
        render_admin_template(sandboxed_environment(tmp_path), "costly.html", {"size": 21_000_000}, seconds=3.0)
    assert time.monotonic() - started < 8


def test_the_document_is_headed_application_dates_as_the_pages_and_says_how_to_pay(app):
    from datetime import datetime, timezone
    from decimal import Decimal

    effective = real_catalogue().effective("riga", "example-pet-registration")
    submission = SimpleNamespace(reference="RIX-PET-2026-000003", answers=PET_ANSWERS, locale="lv",
                                 submitted_at=datetime(2026, 12, 1, 10, 30, tzinfo=timezone.utc),
                                 fee_total=Decimal("17.50"))
    html = render_application_html(effective=effective, service=effective.service, submission=submission,
                                   static_coat=None)
    text = layout_text(html)
    assert "Pieteikums" in text and text.index("Pieteikums") < text.index(effective.service.title.get_for("lv"))
    assert "2026. gada 1. decembris, 12:30" in text          # the pages' long date, the time in Riga
    assert "1 decembris 2026" not in text
    assert effective.municipality.iban == "LV89RIKO0023300000000"      # Riga's overlay
    assert "Kā samaksāt" in text and "LV89RIKO0023300000000" in text and "17,50\xa0€" in text
    assert html.count('<div class="answer">') >= 5 and "break-inside: avoid" in html   # labels kept with values
