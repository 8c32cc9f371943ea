""""Add another": each repeat entry is edited on its own page, and removed after a
confirmation; the count limits (`min`, `max`) come from the model and the engine. An
entry is evaluated by its page alone where that gives all of the entry's issues
(`Application.evaluate_entry`), else in full."""
from __future__ import annotations

from builder.engine import Outcome
from builder.model import Field, Page
from flask import abort, redirect, render_template, request, url_for

from ...forms import entry_form_class, page_form_class
from ...forms.naming import html_name
from ...i18n import current_language, language_switched, text_for
from . import form_action, resident
from .answers import entries, get_path, with_entry, with_values, without_entry
from .application import Application, load_application
from .files import apply_uploads
from .forms_io import checked_values, posted_display, stored_display
from .notices import with_notice
from .pages import (FORM_ID, RETURN_TO_CHECK, PlanForm, ShownForm, entry_link, form_header, page_and_stored_outcome,
                    page_to_answer, page_url, posted_quiet, reveal_url, save)
from .plans import fields_markup, question_page
from .switch import redirect_after_switch, typed_form
from .screens import ScreenBuilder, drawn_hidden_input, entry_item


def repeat_on_page(application: Application, page: Page, repeat_name: str) -> Field:
    repeats = page_form_class(application.service, page).model_repeats
    found = next((r for r in repeats if html_name(r.path) == repeat_name), None)
    if found is None:
        abort(404)
    return found


def entry_index_or_404(application: Application, repeat: Field, index: int) -> int:
    """An existing entry, or the next new one while the maximum allows it."""
    count = len(entries(application.answers, repeat))
    is_new_allowed = index == count and (repeat.max_items is None or count < repeat.max_items)
    if index < 0 or (index >= count and not is_new_allowed):
        abort(404)
    return index


def back_to_list(application: Application, page: Page, returning: bool) -> str:
    url = page_url(application, page.id)
    return f"{url}?return={RETURN_TO_CHECK}" if returning else url


@resident.route("/apply/<page_id>/<repeat>/<int:index>", methods=["GET", "POST"])
def entry(municipality_id: str, service_id: str, page_id: str, repeat: str, index: int):
    application = load_application(municipality_id, service_id)
    page, outcome = page_and_stored_outcome(application, page_id)
    field = repeat_on_page(application, page, repeat)
    index = entry_index_or_404(application, field, index)
    returning = request.args.get("return") == RETURN_TO_CHECK
    items = entries(application.answers, field)
    is_new = index == len(items)
    stored = {} if is_new else items[index]
    base = field.path + "."
    if request.method == "GET":
        return show_entry(application, outcome, page, field, index, stored, is_new, returning)
    form = entry_form_class(application.service, field)()
    values = checked_values(form, application.effective)
    prefix = f"{field.path}[{index}]."
    files, upload_errors = apply_uploads(form, application.draft_id,
                                         lambda f: get_path(stored, f.path.removeprefix(base)),
                                         lambda f: prefix + f.path.removeprefix(base))
    new_entry = with_values(stored, {**values, **files}, strip=base)
    outcome = application.evaluate_entry(with_entry(application.answers, field, index, new_entry), page, field)
    if language_switched():     # the page again in the new language, with what was typed
        if not is_new:          # a new entry is stored only when saved (Cancel then leaves no row)
            save(application, outcome, page.id)
        return redirect_after_switch(application.draft_id, form)
    failed = bool(entry_issues(outcome.errors, prefix) or upload_errors)
    if outcome.stop is not None:
        save(application, outcome, page.id)
        return redirect(url_for("resident.stop", municipality_id=municipality_id, service_id=service_id))
    if not failed:
        save(application, outcome, page.id)
        return redirect(with_notice(back_to_list(application, page, returning), "added" if is_new else "saved",
                                    field, index))
    if not is_new:      # a new entry is stored only once it is valid: Cancel then leaves no row
        save(application, outcome, page.id)
    shown = posted_display(form, {}, stored_display(application, stored, base))
    return render_entry(application, outcome, page, field, index, form, shown, upload_errors, returning, posted=True)


def show_entry(application: Application, outcome: Outcome | None, page: Page, field: Field, index: int, stored,
               is_new: bool, returning: bool):
    """An entry's page; just after the language switch, with what was typed (a new entry's
    only there: it is stored once saved), the entry evaluated as typed."""
    form_class = entry_form_class(application.service, field)
    base = field.path + "."
    shown = stored_display(application, stored, base)
    typed = typed_form(application.draft_id, form_class)
    if typed is not None:
        shown = posted_display(typed, {}, shown)
        stored = with_values(stored, checked_values(typed, application.effective), strip=base)
    if is_new or typed is not None:     # drawn as the entry it will be: settings hide fields in it too
        outcome = application.evaluate_entry(with_entry(application.answers, field, index, stored if typed else {}),
                                             page, field)
    elif outcome is None:
        outcome = application.evaluate_entry(None, page, field)
    return render_entry(application, outcome, page, field, index, typed if typed is not None else ShownForm(form_class),
                        shown, {}, returning)


def entry_issues(issues, prefix: str) -> list:
    return [i for i in issues if any(path.startswith(prefix) for path in i.fields)]


def render_entry(application: Application, outcome, page: Page, field: Field, index: int, form, value_of,
                 upload_errors, returning: bool, posted: bool = False):
    evaluated = entries(outcome.values, field)      # with what was just posted, stored or not
    item = entry_item(field, evaluated[index]) if index < len(evaluated) else entry_item(field, {})
    prefix = f"{field.path}[{index}]."
    builder = ScreenBuilder(application, outcome, application.answers, value_of, {}, prefix=prefix, item=item)
    views = builder.build(field.children, {f.path for f in form.model_leaves})
    summary = builder.attach(entry_issues(outcome.errors, prefix), upload_errors, posted_quiet()) if posted else []
    warnings = [text_for(w.message) for w in entry_issues(outcome.warnings, prefix)]
    label = text_for(field.item_label) or text_for(field.label)
    drawn = {"municipality": application.municipality, "service": application.service, "page": page,
             "returning": returning, "multipart": any(f.type == "file" for f in form.model_leaves),
             "language_form": FORM_ID}
    shown = {"title": f"{label} {index + 1}", "back_url": back_to_list(application, page, returning),
             "reveal_url": reveal_url(application, page, views, repeat=html_name(field.path), index=index)}
    if not posted and not upload_errors and not warnings:
        planned = planned_entry(application, page, field, drawn, {
            **shown, "action": form_action(), "csrf": form.csrf_token,
            "fields": fields_markup(views, entry_link(application, page, returning)) + drawn_hidden_input(views)})
        if planned is not None:
            return planned
    return render_template("resident/entry.html", **drawn, **shown, repeat=field, index=index, form=form, views=views,
                           summary=summary, warnings=warnings, drawn_hidden=drawn_hidden_input(views))


def planned_entry(application: Application, page: Page, field: Field, drawn: dict, values: dict) -> str | None:
    """An entry's page without errors or warnings from its render plan (plans.py
    `question_page`), one per repeat, language, mount point and the like (`drawn`): the
    header, the title, the back link, the form's action, the reveal address, the CSRF
    token and the fields are filled in per request (`values`). None (render the template)
    for a visitor whose header is not planned."""
    header = form_header(application)
    if header is None:
        return None
    values = {**values, "header": header}
    if not values["reveal_url"]:
        del values["reveal_url"]        # the form then has no data-reveal at all

    def render(header, action, csrf, fields, reveal_url=None, **shown) -> str:
        return render_template("resident/entry.html", **drawn, **shown, form=PlanForm(csrf), views=[],
                               fields_html=fields, summary=[], warnings=[], reveal_url=reveal_url,
                               layout_header=lambda *_: header, form_action=lambda: action)

    key = ("entry", page.id, field.path, drawn["returning"], drawn["multipart"], current_language(),
           request.script_root, "reveal_url" in values)
    return question_page(application.effective, key, render, values)


@resident.route("/apply/<page_id>/<repeat>/<int:index>/remove", methods=["GET", "POST"])
def remove_entry(municipality_id: str, service_id: str, page_id: str, repeat: str, index: int):
    application = load_application(municipality_id, service_id)
    page = page_to_answer(application, page_id)
    field = repeat_on_page(application, page, repeat)
    if not 0 <= index < len(entries(application.answers, field)):
        abort(404)
    returning = request.args.get("return") == RETURN_TO_CHECK
    if request.method == "POST":
        # only the values are saved, and every page's own evaluation gives the full one's
        save(application, application.evaluate(without_entry(application.answers, field, index), page=page.id), page.id)
        return redirect(with_notice(back_to_list(application, page, returning), "removed", field, index))
    label = text_for(field.item_label) or text_for(field.label)
    return render_template(
        "resident/remove.html", municipality=application.municipality, service=application.service, page=page,
        repeat=field, index=index, title=f"{label} {index + 1}", back_url=back_to_list(application, page, returning),
        returning=returning,
    )
