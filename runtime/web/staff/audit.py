"""The audit log of a municipality, for its municipal admins only.

    GET /staff/<m>/audit?page=N   newest first, 100 a page
    GET /staff/<m>/audit.csv      the whole log as CSV
"""
from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context

from ...cases.audit import PAGE_SIZE, AuditRefused, csv_lines, entries
from ...state import municipality_or_404, runtime_state
from . import staff
from .session import staff_actor, staff_required


@staff.get("/<municipality_id>/audit")
@staff_required
def audit_log(municipality_id: str):
    municipality = municipality_or_404(municipality_id)
    page = request.args.get("page", 1, type=int) or 1
    try:
        rows, total = entries(runtime_state().database, staff_actor(), municipality_id, page=page)
    except AuditRefused:
        abort(404)
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("staff/audit.html", staff_municipality=municipality, rows=rows, total=total,
                           page=page, pages=pages)


@staff.get("/<municipality_id>/audit.csv")
@staff_required
def audit_csv(municipality_id: str):
    municipality_or_404(municipality_id)
    lines = csv_lines(runtime_state().database, staff_actor(), municipality_id)
    try:
        first = next(lines)
    except AuditRefused:
        abort(404)

    def body():
        yield first
        yield from lines
    headers = {"Content-Disposition": f'attachment; filename="audit-{municipality_id}.csv"'}
    return Response(stream_with_context(body()), mimetype="text/csv", headers=headers)
