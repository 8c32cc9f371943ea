"""Public catalogue pages: the list of municipalities, a municipality's services, a
service's start page facts, and each municipality's theme stylesheet."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from builder.engine.facts import catalogue_facts

from ..csrf_tokens import csrf_token
from ..cases.catalogue import application_counts, catalogue_groups
from ..i18n import current_language, gettext as _
from ..i18n import latvian_sort_key, text_for
from .actor import current_clock
from .page_plans import planned, planned_header
from .resident.application import session_entry
from ..state import enabled_service_or_404, municipality_or_404, runtime_state
from ..theme import coat_of_arms_file, theme_stylesheet

public = Blueprint("public", __name__)


@public.app_context_processor
def municipality_helpers() -> dict[str, Any]:
    def coat_of_arms(municipality: Any) -> str | None:
        return coat_of_arms_file(municipality, current_app.static_folder)

    def facts(effective: Any):
        """The processing time and price as this municipality's parameters make them."""
        return catalogue_facts(effective, current_clock().today(), current_language())

    return {"coat_of_arms": coat_of_arms, "audience_names": audience_names, "catalogue_facts": facts}


def audience_names(audience: tuple[str, ...]) -> str:
    """'Private persons, companies' from a service's `audience` codes."""
    names = {
        "person": _("private persons"),
        "company": _("companies"),
        "public_body": _("public bodies"),
        "child": _("parents for their child"),
        "any": _("anyone"),
    }
    text = ", ".join(names.get(who, who) for who in audience)
    return text[:1].upper() + text[1:]


@public.get("/")
def index():
    municipalities = runtime_state().catalogue.current_municipalities()
    in_order = sorted(municipalities, key=lambda m: latvian_sort_key(text_for(m.name)))
    return render_template("index.html", municipalities=in_order)


def topic_names() -> dict[str, str]:
    return {
        "family": _("Family and children"), "education": _("Education"), "animals": _("Pets and animals"),
        "environment": _("Environment and trees"), "building": _("Building and land"),
        "business": _("Business and trade"), "transport": _("Transport and parking"),
        "social": _("Social help"), "culture": _("Culture, sport and events"), "taxes": _("Taxes and fees"),
        "other": _("Other services"),
    }


@public.get("/<municipality_id>/")
def municipality_catalogue(municipality_id: str):
    municipality = municipality_or_404(municipality_id)
    state = runtime_state()
    catalogue = state.catalogue
    query = request.args.get("q", "")[:100].strip()
    services = catalogue.enabled_services(municipality_id)
    with state.database.sessions() as session:
        counts = application_counts(session, municipality_id) if services else {}
    groups = catalogue_groups(services, counts, development=state.settings.env == "development", query=query)
    successor = catalogue.municipalities.get(municipality.merged_into) if municipality.merged_into else None
    return render_template("municipality.html", municipality=municipality, groups=groups, offers_any=bool(services),
                           query=query, topic_names=topic_names(), successor=successor,
                           former=catalogue.merged_into(municipality_id))


@public.get("/<municipality_id>/<service_id>/")
def service_start(municipality_id: str, service_id: str):
    municipality = municipality_or_404(municipality_id)
    if municipality.merged_into:              # a merged municipality's links lead to its successor's service
        return redirect(url_for("public.service_start", municipality_id=municipality.merged_into,
                                service_id=service_id), 301)
    effective = enabled_service_or_404(municipality_id, service_id)
    has_draft = "draft" in session_entry(municipality_id, service_id)
    return planned_start(effective, has_draft) or render_template(
        "service_start.html", municipality=municipality, effective=effective, service=effective.service,
        has_draft=has_draft)


def planned_start(effective: Any, has_draft: bool) -> str | None:
    """The start page from its plan (page_plans.py): a function of the service as its
    municipality offers it, the language, the mount point, today (its facts) and whether
    this browser has a draft; the header and the CSRF token are filled in. None (draw the
    template) for a visitor whose header is not planned."""
    header = planned_header(effective.municipality)
    if header is None:
        return None

    def render(header, csrf) -> str:
        return render_template("service_start.html", municipality=effective.municipality, effective=effective,
                               service=effective.service, has_draft=has_draft, layout_header=lambda *_: header,
                               csrf_token=lambda: csrf)

    key = ("start", current_language(), request.script_root, has_draft)
    return planned(effective, key, current_clock().today(), render, {"header": header, "csrf": csrf_token()})


@public.get("/_theme/<municipality_id>.css")
def theme(municipality_id: str):
    municipality = municipality_or_404(municipality_id)
    response = Response(theme_stylesheet(municipality.theme or {}), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
