"""Questions that react on the same page: form.js posts a form's answers so far here (with
its CSRF token) and gets back which of the form's conditional fields are hidden and which
options its filtered lists offer, worked out by the engine that judges the real post. Nothing
is saved and nothing is logged; without JavaScript the page is re-drawn after "Continue".

  POST apply/<page>/reveal                  a question page
  POST apply/<page>/<repeat>/<i>/reveal     a repeat entry

What it reads of an evaluation (hidden paths, values, the scope a choice filter or a
`required:` expression sees) every page's own evaluation gives as the full one does: the
page's is run (`evaluate_page`), as for drawing the page.

Answer: {"hidden": [names of the fields to hide], "options": {name: [values offered]},
"optional": [names of the fields whose `required:` expression is false now: "(optional)"]}."""
from __future__ import annotations

from typing import Iterable

from flask import jsonify

from ...forms import entry_form_class, page_form_class
from . import resident
from .answers import entries, locked_fields, with_entry, with_values
from .application import load_application
from .entries import entry_index_or_404, repeat_on_page
from .fieldviews import FieldView
from .forms_io import checked_values, with_locked
from .pages import page_to_answer
from .screens import ScreenBuilder, entry_item


@resident.route("/apply/<page_id>/reveal", methods=["POST"])
def reveal_page(municipality_id: str, service_id: str, page_id: str):
    application = load_application(municipality_id, service_id)
    page = page_to_answer(application, page_id)
    form = page_form_class(application.service, page)()
    answers = with_locked(with_values(application.answers, checked_values(form, application.effective)), application)
    outcome = application.evaluate(answers, page=page.id)
    locked = locked_fields(application.service, application.prefill_sources())
    builder = ScreenBuilder(application, outcome, answers, lambda field: None, locked)
    views = builder.build((application.service.field_index[name] for name in page.fields),
                          {f.path for f in form.model_leaves})
    return reactive_state(views)


@resident.route("/apply/<page_id>/<repeat>/<int:index>/reveal", methods=["POST"])
def reveal_entry(municipality_id: str, service_id: str, page_id: str, repeat: str, index: int):
    application = load_application(municipality_id, service_id)
    page = page_to_answer(application, page_id)
    field = repeat_on_page(application, page, repeat)
    index = entry_index_or_404(application, field, index)
    form = entry_form_class(application.service, field)()
    items = entries(application.answers, field)
    stored = items[index] if index < len(items) else {}
    entry = with_values(stored, checked_values(form, application.effective), strip=field.path + ".")
    outcome = application.evaluate(with_entry(application.answers, field, index, entry), page=page.id)
    evaluated = entries(outcome.values, field)
    item = entry_item(field, evaluated[index] if index < len(evaluated) else {})
    builder = ScreenBuilder(application, outcome, application.answers, lambda f: None, {},
                            prefix=f"{field.path}[{index}].", item=item)
    views = builder.build(field.children, {f.path for f in form.model_leaves})
    return reactive_state(views)


def reactive_state(views: list[FieldView]):
    hidden, options, optional = [], {}, []
    for view in _all(views):
        if view.reveal and view.hidden:
            hidden.append(view.reveal)
        if view.filtered:
            options[view.name] = [option.value for option in view.options if not option.hidden]
        if view.optional_reacts and view.optional:
            optional.append(view.name)
    response = jsonify({"hidden": hidden, "options": options, "optional": optional})
    response.headers["Cache-Control"] = "no-store"
    return response


def _all(views: Iterable[FieldView]):
    for view in views:
        yield view
        yield from _all(view.children)
