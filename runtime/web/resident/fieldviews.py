"""What the field macros (`templates/fields/_macros.html`) need to draw a form: one
`FieldView` per field, with its name, id, label, shown value, options, errors and the
input attributes that help people fill it in (`autocomplete`, `inputmode`)."""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal
from typing import Any, Callable

from builder.engine.messages import media_names
from builder.model import Field

from ...forms.naming import html_name, option_id, target_id
from ...i18n import current_language, format_number, gettext as _, text_for
from ...kept import kept_on
from ...state import runtime_state
from ...uploads import size_limit

SELECT_FROM = 13   # a choice without `display` becomes a select from this many options

PREFILL_AUTOCOMPLETE = {"person.given_name": "given-name", "person.surname": "family-name"}


@dataclass
class Option:
    value: str
    label: str
    id: str
    selected: bool
    hidden: bool = False         # filtered out by an answer on the same form (shown again by form.js)


@dataclass
class FieldView:
    field: Field
    template: str
    name: str
    id: str
    label: str
    hint: str = ""
    value: Any = None
    errors: list[str] = dataclass_field(default_factory=list)
    options: list[Option] = dataclass_field(default_factory=list)
    readonly: bool = False
    optional: bool = False       # the label says "(optional)"
    optional_reacts: bool = False    # `required:` reads answers on this form: form.js shows or hides "(optional)"
    input_type: str = "text"
    autocomplete: str | None = None
    inputmode: str | None = None
    no_spellcheck: bool = False
    suffix: str = ""
    children: list["FieldView"] = dataclass_field(default_factory=list)
    repeat: Any = None           # a RepeatView for a repeat
    reveal: str | None = None    # its condition reads answers on this form: form.js may show or hide it
    hidden: bool = False         # drawn hidden: its condition does not hold for the answers so far
    filtered: bool = False       # its options are filtered by answers on this form

    @property
    def describedby(self) -> str:
        parts = [f"{self.name}-hint"] if self.hint else []
        return " ".join(parts + ([f"{self.name}-error"] if self.errors else []))


def template_for(field: Field, option_count: int) -> str:
    """The registry's macro for the type; a long choice list is a select instead of radios."""
    if field.type == "choice":
        wants_select = field.display == "select" or (field.display is None and option_count >= SELECT_FROM)
        return "select" if wants_select else "radios"
    return field.kind.input.template


def yes_no_options() -> list[tuple[str, str]]:
    return [("yes", _("Yes")), ("no", _("No"))]


def _static(field: Field, option_count: int) -> dict[str, Any]:
    """What a field's view takes from its definition and the language alone, worked out
    once per (field, language, number of options) rather than on every request, and kept
    on the compiled field."""
    statics = kept_on(field, "_pkip_view_statics")
    key = (current_language(), option_count)
    found = statics.get(key)
    if found is not None:
        return found
    shape = field.kind.input
    found = statics[key] = {
        "template": template_for(field, option_count), "name": html_name(field.path), "id": target_id(field),
        "label": text_for(field.label), "hint": hint_for(field),
        "input_type": shape.html_type, "inputmode": shape.inputmode, "no_spellcheck": shape.no_spellcheck,
        "autocomplete": PREFILL_AUTOCOMPLETE.get(field.prefill or "", shape.autocomplete),
        "suffix": "€" if field.type == "money" else text_for(field.unit),
        # a `required:` expression is worked out with the answers (screens.py `_mark_optional`)
        "optional": not field.required and field.required_when is None and field.type not in ("group", "repeat"),
    }
    return found


def make_view(field: Field, value: Any, options: list[tuple[str, str]], readonly: bool) -> FieldView:
    view = FieldView(field=field, value=value, readonly=readonly, **_static(field, len(options)))
    if options:
        chosen = {str(v) for v in value} if isinstance(value, list) else {value} if isinstance(value, str) else set()
        view.options = [Option(v, label, option_id(field, i), v in chosen) for i, (v, label) in enumerate(options)]
    return view


def hint_for(field: Field) -> str:
    """The definition's hint, or the type's own; an upload always says, before a file is
    chosen, which types and what size it takes."""
    hint = text_for(field.hint) or ("" if field.type == "file" else default_hint(field))
    return f"{hint} {upload_limits(field)}".strip() if field.type == "file" else hint


def upload_limits(field: Field) -> str:
    """"Var pievienot PDF, JPG vai PNG datni līdz 10 MB." from the field and the site's limit."""
    size = format_number((Decimal(size_limit(field, runtime_state().settings)) / (1024 * 1024)).quantize(
        Decimal("0.1")).normalize())
    if field.accept:
        return _("You can upload a %(types)s file of up to %(size)s MB.",
                 types=media_names(field.accept, current_language()), size=size)
    return _("You can upload a file of up to %(size)s MB.", size=size)


def default_hint(field: Field) -> str:
    if field.type == "date":
        return _("For example, 27 3 2026")
    if field.type == "multi_choice":
        return _("Select all that apply.")
    if field.type == "time":
        return _("For example, 18:00")
    if field.type == "datetime":
        return _("For example, 23.06.2027 18:00")
    return ""


def display_value(field: Field, stored: Any) -> Any:
    """A stored (JSON) answer as the inputs show it."""
    if stored is None:
        return {} if field.type == "date" else ([] if field.type in ("multi_choice", "file") else "")
    if field.type == "date":
        year, month, day = (str(stored).split("-") + ["", "", ""])[:3]
        return {"day": day.lstrip("0"), "month": month.lstrip("0"), "year": year}
    if field.type == "yes_no":
        return "yes" if stored is True else "no" if stored is False else str(stored)
    if field.type in ("number", "money") and current_language() == "lv":
        return str(stored).replace(".", ",")
    if field.type == "file":
        return stored if isinstance(stored, list) else [stored]
    return stored


def attach_errors(views: dict[str, FieldView], messages: dict[str, list[str]]) -> None:
    for path, found in messages.items():
        if path in views:
            views[path].errors.extend(found)


OptionsFor = Callable[[Field], list[tuple[str, str]]]
