"""Admin-written document templates (`definitions/templates/*.html`, named by a service's
`documents`): what `pkip validate` renders them in, with every test case's answers, in each
language. (The runtime renders them in its own, resource-bounded sandbox,
`runtime/documents/sandbox.py`, which adds limits on `*`, `**`, CPU and memory: a check of
the author's own test cases needs the same sandbox rules, not those limits.)

The sandbox refuses access to private and internal attributes (`''.__class__`,
`func.__globals__`, ...) and to methods that change data; a template only reads the
variables it is given:

    service, municipality, case {reference, submitted_at}, answers, computed, params,
    fees {lines, total}, language, and label(field_path, value) for a choice's label.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Callable, Mapping

from jinja2 import FileSystemLoader, select_autoescape
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

LANGUAGES = ("lv", "en")


class StrictSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox returns an empty value for a forbidden attribute; ours stops the
    template instead, so that an attempt is an error the admin sees, never silence."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"access to attribute {attribute!r} of a {type(obj).__name__} is not allowed")


def sandboxed_environment(templates_folder: str | Path) -> ImmutableSandboxedEnvironment:
    return StrictSandbox(
        loader=FileSystemLoader(str(templates_folder)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True,
    )


def choice_labeller(service: Any, options_for: Callable[[Any], Any], language: str) -> Callable[[str, Any], str]:
    """`label(field_path, value)`: the option's label in `language`, else the value."""
    def label(field_path: str, value: Any) -> str:
        field = service.field_index.get(field_path) if hasattr(service, "field_index") else None
        if field is None:
            return "" if value is None else str(value)
        for option in options_for(field) or ():
            if option.value == value:
                return option.label.get_for(language)
        return "" if value is None else str(value)

    return label


def failure_line(error: Exception, folder: Path) -> tuple[str, int]:
    """(the template file, its line) where rendering failed: a syntax error names its own;
    an error while rendering is found in the traceback's frames of a template file."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return error.filename, error.lineno or 1
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).resolve().is_relative_to(folder.resolve()):
            return frame.filename, frame.lineno or 1
    return "", 1


def try_render(environment: ImmutableSandboxedEnvironment, folder: Path, name: str,
               variables: Mapping[str, Any]) -> tuple[str, int, str] | None:
    """None when the template renders; else (file, line, what went wrong)."""
    try:
        environment.get_template(name).render(**variables)
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError, ArithmeticError) as error:
        file, line = failure_line(error, folder)
        return file or str(folder / name), line, f"{type(error).__name__}: {error}"
    return None
