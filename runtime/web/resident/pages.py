"""Question pages: GET shows a page of the draft's service version; POST re-evaluates the
application with the engine (what the page reads: `evaluate_page`; all of it when the post
returns to the check page), saves the draft (hidden answers removed) and moves on, or shows
the page again with its errors."""
from __future__ import annotations

from typing import Any

from builder.engine import Outcome, to_json
from builder.model import Page
from flask import abort, redirect, render_template, request, url_for
from markupsafe import Markup

from ...csrf_tokens import csrf_input
from ...forms import page_form_class
from ...forms.naming import html_name
from ...i18n import text_for
from ...kept import kept_on
from ...state import runtime_state
from . import resident
from .application import Application, Unavailable, load_application
from ...cases.drafts import save_draft
from .files import apply_uploads
from .formatting import format_computed
from .forms_io import checked_values, posted_display, stored_display
from .answers import entries, get_path, locked_fields, with_values
from .navigation import CHECK, next_page, previous_page
from .notices import shown_notices
from .switch import redirect_after_switch, typed_form
from .screens import DRAWN_HIDDEN, ScreenBuilder, drawn_hidden_input, reacts
from .plans import fields_markup, question_page
from .visibility import always_visible
from ...auth import dev_signin_enabled, providers
from ...identity import signed_in_names
from ...i18n import current_language, language_switched
from ...layout import layout_header

RETURN_TO_CHECK = "check"
FORM_ID = "answers"     # the page's form, which the language switch's buttons post


class ShownForm:
    """What showing a page needs of its form, without building a WTForms instance on
    every GET: the form class's fields and the CSRF token's hidden input (as WTForms
    renders it; nothing when CSRF is off)."""
    __slots__ = ("model_leaves",)

    def __init__(self, form_class) -> None:
        self.model_leaves = form_class.model_leaves

    @property
    def csrf_token(self) -> Markup | str:
        return csrf_input()


def visible_page_or_404(application: Application, outcome: Outcome, page_id: str) -> Page:
    page = application.page(page_id)
    if page is None or page_id not in outcome.visible_pages:
        abort(404)
    return page


def save(application: Application, outcome: Outcome, current_page: str | None) -> None:
    """Store the relevant answers only: what a condition hides is dropped on every save. A
    save that would change nothing is not sent (the draft was read in this request)."""
    answers = to_json(outcome.values)
    if answers == application.answers and current_page == application.current_page:
        return      # nothing to store (e.g. "add another" on a list page without fields of its own)
    if not save_draft(runtime_state().database, application.draft_id, answers, current_page):
        raise Unavailable("sent", 410)
    application.answers, application.current_page = answers, current_page


def page_url(application: Application, page_id: str | None, returning: bool = False) -> str:
    """A question page's address (the check page's for None), kept per mount point on
    the compiled service as its municipality offers it: Werkzeug builds one in some
    seventy calls, and a check page links to every page."""
    urls = kept_on(application.effective, "_pkip_page_urls")
    key = (request.script_root, page_id, returning)
    found = urls.get(key)
    if found is None:
        found = urls[key] = _built_page_url(application, page_id, returning)
    return found


def _built_page_url(application: Application, page_id: str | None, returning: bool) -> str:
    ids = {"municipality_id": application.municipality.id, "service_id": application.service.id}
    if page_id is None:
        return url_for("resident.check", **ids)
    return url_for("resident.question", page_id=page_id, **ids, **({"return": RETURN_TO_CHECK} if returning else {}))


def after_page(application: Application, outcome: Outcome, page_id: str, returning: bool) -> str:
    """Where a successful post goes: on, or back to the check page; after a change from
    the check page, first to any page that a changed answer made incomplete."""
    if returning:
        pending = next((p for p in outcome.visible_pages if outcome.errors_on(p)), None)
        return page_url(application, pending, returning=True) if pending else page_url(application, None)
    return page_url(application, next_page(outcome, page_id))


@resident.route("/apply/<page_id>", methods=["GET", "POST"])
def question(municipality_id: str, service_id: str, page_id: str):
    application = load_application(municipality_id, service_id)
    returning = request.args.get("return") == RETURN_TO_CHECK
    if request.method == "POST":
        return answer_page(application, page_to_answer(application, page_id), returning)
    outcome = application.evaluate(page=page_id)
    page = visible_page_or_404(application, outcome, page_id)
    form_class = page_form_class(application.service, page)
    form = ShownForm(form_class)
    shown = stored_display(application, application.answers)
    typed = typed_form(application.draft_id, form_class)
    if typed is not None:       # just after the language switch: what was typed, even if not valid
        shown = posted_display(typed, locked_fields(application.service, application.prefill_sources()), shown)
    return render_page(application, outcome, page, form, shown, {}, returning, False)


def page_to_answer(application: Application, page_id: str) -> Page:
    """The page a post answers; a 404 when the stored answers hide it. Only the visible
    pages are read of the stored answers' evaluation, which the page's own gives as the
    full one does (tests/builder/test_engine_pages.py)."""
    page = application.page(page_id)
    if page is None:
        abort(404)      # before any evaluation: the engine keeps what it works out per page id
    if always_visible(application.service, page):
        return page
    return visible_page_or_404(application, application.evaluate(page=page_id), page_id)


def page_and_stored_outcome(application: Application, page_id: str) -> tuple[Page, Outcome | None]:
    """The page (a 404 when the stored answers hide it) and the stored answers' outcome
    if finding that out took one. Most pages no answer can hide, and for those the engine
    need not run before a post's (or a new entry's) own answers are in: None."""
    page = application.page(page_id)
    if page is not None and always_visible(application.service, page):
        return page, None
    outcome = application.evaluate()
    return visible_page_or_404(application, outcome, page_id), outcome


def answer_page(application: Application, page: Page, returning: bool):
    """Evaluate the application with the posted answers for this page, save it, and move
    on or show the page again with its errors."""
    form = page_form_class(application.service, page)()
    values = checked_values(form, application.effective)
    files, upload_errors = apply_uploads(form, application.draft_id, lambda f: get_path(application.answers, f.path),
                                         lambda f: f.path)
    locked = locked_fields(application.service, application.prefill_sources())
    answers = with_values(application.answers, {**values, **files, **locked})     # what is locked wins
    # back to the check page, `after_page` looks for any page a changed answer left incomplete
    outcome = application.evaluate(answers, page=None if returning else page.id)
    if language_switched():     # what was typed stays, as a draft, and the page comes again in the new language
        save(application, outcome, page.id)
        return redirect_after_switch(application.draft_id, form)
    adding = request.form.get("add_entry")
    failed = bool(outcome.errors_on(page.id) or upload_errors)
    ids = {"municipality_id": application.municipality.id, "service_id": application.service.id}
    if outcome.stop is not None:
        save(application, outcome, page.id)
        return redirect(url_for("resident.stop", **ids))
    if adding:
        save(application, outcome, page.id)
        return redirect(add_entry_url(application, page, adding, returning))
    upcoming = page.id if failed else (next_page(outcome, page.id) or CHECK)
    save(application, outcome, upcoming)
    if failed:
        shown = posted_display(form, locked, stored_display(application, application.answers))
        return render_page(application, outcome, page, form, shown, upload_errors, returning, True)
    return redirect(after_page(application, outcome, page.id, returning))


def add_entry_url(application: Application, page: Page, repeat_name: str, returning: bool) -> str:
    form_class = page_form_class(application.service, page)
    repeat = next((r for r in form_class.model_repeats if html_name(r.path) == repeat_name), None)
    if repeat is None:
        abort(400)
    index = len(entries(application.answers, repeat))
    arguments = {"return": RETURN_TO_CHECK} if returning else {}
    return url_for("resident.entry", municipality_id=application.municipality.id, service_id=application.service.id,
                   page_id=page.id, repeat=repeat_name, index=index, **arguments)


def shown_values(application: Application, outcome: Outcome, page: Page) -> list[tuple[str, list[str]]]:
    """(label, formatted lines) of the computed values the page `show`s (e.g. what a
    document reader found in an upload), by their declared types; a per-entry value is
    shown in one row per entry ("Dog 2"), with the other values shown for that entry."""
    computed = {c.name: c for c in application.service.computed}
    rows: list[tuple[str, list[str]]] = []
    per_entry: dict[str, list[list[str]]] = {}       # repeat -> lines of each entry
    for name in (n for n in page.show if n in computed):
        value = computed[name]
        label = text_for(value.label) or name
        if value.for_each is None:
            rows.append((label, [format_computed(outcome.computed.get(name), value.type)]))
            continue
        results = outcome.computed.get(name) or []
        lines = per_entry.setdefault(value.for_each, [[] for _ in results])
        for entry_lines, result in zip(lines, results):
            entry_lines.append(f"{label}: {format_computed(result, value.type)}")
    for repeat_name, lines in per_entry.items():
        repeat = application.service.field_index[repeat_name]
        entry = text_for(repeat.item_label) or text_for(repeat.label)
        rows.extend((f"{entry} {index}", entry_lines) for index, entry_lines in enumerate(lines, 1))
    return rows


def render_page(application: Application, outcome: Outcome, page: Page, form, value_of, upload_errors: dict[str, Any],
                returning: bool, posted: bool):
    locked = locked_fields(application.service, application.prefill_sources())
    builder = ScreenBuilder(application, outcome, application.answers, value_of, locked)
    form_paths = {f.path for f in form.model_leaves}
    views = builder.build((application.service.field_index[name] for name in page.fields), form_paths)
    summary = builder.attach(outcome.errors_on(page.id), upload_errors, posted_quiet()) if posted else []
    warnings = [text_for(w.message) for w in outcome.warnings_on(page.id)]
    back = previous_page(outcome, page.id)
    back_url = page_url(application, None) if returning else page_url(application, back) if back else url_for(
        "public.service_start", municipality_id=application.municipality.id, service_id=application.service.id)
    shown = shown_values(application, outcome, page)
    multipart = any(f.type == "file" for f in form.model_leaves)
    notices = shown_notices(application, page)      # an entry added, saved or removed
    if not posted and not upload_errors and not warnings and not shown:
        planned = planned_page(application, page, views, back_url, form, returning, multipart, notices)
        if planned is not None:
            return planned
    return render_template(
        "resident/question.html", municipality=application.municipality, service=application.service, page=page,
        form=form, views=views, summary=summary, warnings=warnings, back_url=back_url, returning=returning,
        shown=shown, multipart=multipart, notices=notices, drawn_hidden=drawn_hidden_input(views),
        reveal_url=reveal_url(application, page, views), language_form=FORM_ID,
    )


def posted_quiet() -> frozenset[str]:
    """The fields the posted form had drawn hidden (screens.py `drawn_hidden_input`)."""
    return frozenset(request.form.get(DRAWN_HIDDEN, "").split())


def reveal_url(application: Application, page: Page, views, **entry) -> str | None:
    """Where form.js asks which questions the answers so far show (reveal.py), for a form
    with questions that react to its own answers."""
    if not reacts(views):
        return None
    ids = {"municipality_id": application.municipality.id, "service_id": application.service.id, "page_id": page.id}
    return url_for("resident.reveal_entry" if entry else "resident.reveal_page", **ids, **entry)


def form_header(application: Application) -> Markup | None:
    """The header of a page with a form of answers from its plan (the language switch is
    that form's buttons); None for a visitor whose header is not planned."""
    return layout_header(application.municipality, signed_in_names(), dev_signin_enabled(), bool(providers()), FORM_ID)


def entry_link(application: Application, page: Page, returning: bool) -> dict[str, str]:
    """The address arguments of a page's links to its entries, as the templates' `entry_link`."""
    ids = {"municipality_id": application.municipality.id, "service_id": application.service.id, "page_id": page.id}
    return {**ids, **({"return": RETURN_TO_CHECK} if returning else {})}


class PlanForm:
    """The form a plan is drawn with: only its CSRF token's placeholder."""

    def __init__(self, csrf_token: Markup) -> None:
        self.csrf_token = csrf_token


def planned_page(application: Application, page: Page, views, back_url: str, form, returning: bool,
                 multipart: bool, notices: list[str]) -> str | None:
    """A question page without errors, warnings or shown values from its render plan
    (plans.py `question_page`): only the header, the back link, the CSRF token, the
    fields and an entry's notice (one plan with it, one without) are filled in per
    request. None (render the template) for a visitor whose header is not planned."""
    header = form_header(application)
    if header is None:
        return None

    def render(header, back_url, csrf, fields, **notice) -> str:
        return render_template(
            "resident/question.html", municipality=application.municipality, service=application.service, page=page,
            form=PlanForm(csrf), views=[], fields_html=fields, summary=[], warnings=[], back_url=back_url,
            returning=returning, shown=[], multipart=multipart, layout_header=lambda *_: header,
            reveal_url=reveal_url(application, page, views), language_form=FORM_ID, notices=list(notice.values()))

    if len(notices) > 1:
        return None
    key = (page.id, current_language(), request.script_root, returning, multipart, bool(notices))
    values = {"header": header, "back_url": back_url, "csrf": form.csrf_token,
              "fields": fields_markup(views, entry_link(application, page, returning)) + drawn_hidden_input(views),
              **({"notice": notices[0]} if notices else {})}
    return question_page(application.effective, key, render, values)
