"""Figure 5: PDF documents. The runtime's renderer (runtime.documents: the application's
HTML from its template, then `pdf.html_to_pdf`: tagged PDF/UA-1, static-only fetcher) vs
WeasyPrint alone on the same HTML (`weasyprint.HTML(string=...).write_pdf()`)."""
from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal
from types import SimpleNamespace

from .report import NOT_AVAILABLE, ROOT, Figure, emit, ratio

STATIC = ROOT / "static"


def _application_html():
    """The dog-fee application of a Riga resident with three dogs, as the runtime writes it."""
    from builder.catalogue import load_catalogue
    from builder.engine import Context, evaluate, to_json
    from runtime.documents.application import render_application_html
    from runtime.theme import coat_of_arms_file

    catalogue = load_catalogue(ROOT / "definitions")
    effective = catalogue.effective("riga", "dog-fee")
    answers = {
        "owner_kind": "person",
        "owner": {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš", "pensioner": True,
                  "disability_group": "none", "email": "janis@example.lv"},
        "dogs": [{"chip": f"90012345678901{i}", "name": name, "birth_date": "2020-05-10", "sterilised": i == 1}
                 for i, name in enumerate(("Reksis", "Bella", "Ņuņa"))],
        "kept_in_municipality": True, "keeping_address": "Brīvības iela 1, Rīga, LV-1010",
    }
    submitted = datetime.datetime(2026, 2, 1, 10, 30, tzinfo=datetime.timezone.utc)
    outcome = evaluate(effective, answers, Context(today=submitted.date()))
    submission = SimpleNamespace(id=1, reference="RIX-SUN-2026-000001", municipality_id="riga", locale="lv",
                                 answers=to_json(outcome.values), submitted_at=submitted,
                                 fee_total=outcome.fees.total or Decimal("0.00"), status="submitted")
    coat = coat_of_arms_file(effective.municipality, str(STATIC))
    html = render_application_html(effective=effective, service=effective.service, submission=submission,
                                   static_coat=coat)
    return html, lambda: render_application_html(effective=effective, service=effective.service,
                                                  submission=submission, static_coat=coat)


def _interleaved(functions: dict, count: int) -> tuple[dict[str, list[float]], dict]:
    """Time each function `count` times, taking turns, so that the machine's other load
    falls on all of them alike; the first call of each (fonts, stylesheets) is not timed."""
    results = {name: function() for name, function in functions.items()}
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(count):
        for name, function in functions.items():
            started = time.perf_counter()
            results[name] = function()
            times[name].append(time.perf_counter() - started)
    return times, results


def figures(count: int) -> list[Figure]:
    try:
        from runtime.documents.pdf import html_to_pdf
        html, render_html = _application_html()
    except Exception as error:     # the renderer is someone else's work in progress
        return [emit(Figure("documents.pdf_throughput", "application PDFs per second", None,
                            "runtime / WeasyPrint alone", "higher", status=NOT_AVAILABLE,
                            note=f"runtime document renderer not available: {type(error).__name__}: {error}"))]
    from weasyprint import HTML

    times, pdfs = _interleaved({
        "plain": lambda: HTML(string=html, base_url=STATIC.as_uri() + "/").write_pdf(),
        "tagged": lambda: HTML(string=html, base_url=STATIC.as_uri() + "/").write_pdf(pdf_variant="pdf/ua-1"),
        "runtime": lambda: html_to_pdf(render_html(), static_folder=STATIC),
        "html": render_html,
    }, count)
    plain, tagged, runtime, html_only = times["plain"], times["tagged"], times["runtime"], times["html"]
    plain_pdf, runtime_pdf = pdfs["plain"], pdfs["runtime"]
    plain_s, runtime_s = statistics.median(plain), statistics.median(runtime)
    return [emit(Figure(
        "documents.pdf_throughput", "application PDFs per second (HTML from the template, then PDF)",
        ratio(1 / runtime_s, 1 / plain_s), "runtime / WeasyPrint alone", "higher",
        {"runtime_per_s": round(1 / runtime_s, 2), "weasyprint_per_s": round(1 / plain_s, 2),
         "weasyprint_pdf_ua1_per_s": round(1 / statistics.median(tagged), 2),
         "runtime_median_ms": round(runtime_s * 1000, 1), "weasyprint_median_ms": round(plain_s * 1000, 1),
         "html_render_ms": round(statistics.median(html_only) * 1000, 2),
         "runtime_pdf_kb": round(len(runtime_pdf) / 1024, 1), "weasyprint_pdf_kb": round(len(plain_pdf) / 1024, 1),
         "html_kb": round(len(html.encode()) / 1024, 1), "runs": count},
        note="the runtime writes tagged PDF/UA-1 through a static-only fetcher; WeasyPrint alone writes a plain PDF"))]
