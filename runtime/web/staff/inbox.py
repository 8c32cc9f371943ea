"""The inbox of a municipality's cases routed to the member's institutions.

    GET /staff/<m>/inbox?service=&status=&due=overdue|within&within=N&mine=1&channel=&q=&page=
"""
from __future__ import annotations

from flask import render_template, request

from ...cases.inbox import MAX_WITHIN_DAYS, InboxQuery, inbox as inbox_page
from ...state import municipality_or_404, runtime_state
from ..actor import current_clock
from . import staff
from .session import staff_actor, staff_required


def inbox_query() -> InboxQuery:
    args = request.args
    within = args.get("within", type=int)
    return InboxQuery(
        service=args.get("service") or None, status=args.get("status") or None,
        due=args.get("due") if args.get("due") in ("overdue", "within") else None,
        within_days=min(max(within, 0), MAX_WITHIN_DAYS) if within is not None else None,
        assigned_to_me=args.get("mine") == "1", channel=args.get("channel") or None,
        search=(args.get("q") or "")[:100], page=args.get("page", 1, type=int) or 1)


@staff.get("/<municipality_id>/inbox")
@staff_required
def inbox(municipality_id: str):
    municipality = municipality_or_404(municipality_id)
    state = runtime_state()
    query = inbox_query()
    found = inbox_page(state.database, state.catalogue, staff_actor(), current_clock(), municipality_id, query)
    services = {e.service.id: e.service for e in state.catalogue.enabled_services(municipality_id)}
    statuses = {state_id: s.label for service in services.values() if service.process
                for state_id, s in service.process.states.items()}
    return render_template("staff/inbox.html", staff_municipality=municipality, found=found, query=query,
                           services=services, statuses=statuses, page=found.page, pages=found.pages)
