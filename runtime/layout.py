"""Render plans of the base layout: the parts of `base.html` that depend only on the
municipality, the language and where the app is mounted (the stylesheet links, the
header's home link with the coat of arms, the footer) are rendered once per process and
reused. The header is rendered once per such key and signed-in state with placeholders,
and a request fills in only the person's name, the CSRF token and the language links.
A municipality's plans are kept on the (immutable) municipality itself (`runtime.kept`),
so a replaced catalogue takes them with it; the national pages' plans depend on the
templates alone."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import render_template, request
from markupsafe import Markup

from .csrf_tokens import csrf_token
from .i18n import current_language, interface_languages, language_switch_urls
from .escaping import escaped
from .kept import kept_on

PARTS = ("head", "home", "footer")
_national_plans: dict[tuple, Any] = {}     # keyed by language, mount point...: a handful


def _plans_of(municipality: Any) -> dict[tuple, Any]:
    return _national_plans if municipality is None else kept_on(municipality, "_pkip_layout_plans")


def layout_parts(municipality: Any) -> dict[str, Markup]:
    """The rendered static parts of the layout for `municipality` (None: the national
    pages) in the current language."""
    municipality = municipality or None
    plans = _plans_of(municipality)
    key = (current_language(), request.script_root, interface_languages())
    parts = plans.get(key)
    if parts is None:
        parts = plans[key] = {part: Markup(render_template(f"layout/{part}.html", municipality=municipality))
                              for part in PARTS}
    return parts


SLOT = re.compile("\x00pkip:([^\x00]*)\x00")   # a placeholder; escaping leaves it alone
PERSON_NAMES = ("given_name", "surname")


def _slot(name: str) -> str:
    return f"\x00pkip:{name}\x00"


def layout_header(municipality: Any, person: Any, dev_signin: bool, signin_available: bool,
                  language_form: str | None = None) -> Markup | None:
    """The header from its plan; None (draw `layout/header.html`) for a visitor who may
    sign in, whose sign-in link carries this page's address. With `language_form` (the id
    of a page's form of answers) the language switch is that form's buttons."""
    if not person and signin_available:
        return None
    municipality = municipality or None
    plans = _plans_of(municipality)
    key = ("header", current_language(), request.script_root, interface_languages(), bool(person), bool(dev_signin),
           language_form)
    segments = plans.get(key)
    if segments is None:
        segments = plans[key] = _header_plan(municipality, bool(person), bool(dev_signin), bool(signin_available),
                                             language_form)
    values = {} if language_form else {f"lang:{language}": url
                                       for language, url in language_switch_urls(interface_languages()).items()}
    if person:
        values["csrf"] = csrf_token()
        for name in PERSON_NAMES:
            value = person.get(name, "") if isinstance(person, Mapping) else getattr(person, name, "")
            values[name] = "None" if value is None else value
    out = [segments[0]]
    for index in range(1, len(segments), 2):
        out.append(escaped(values[segments[index]]))
        out.append(segments[index + 1])
    return Markup("".join(out))     # every part is markup already: Markup.join would escape each again


def _header_plan(municipality: Any, signed_in: bool, dev_signin: bool, signin_available: bool,
                 language_form: str | None) -> list:
    """[static markup, slot name, static markup, ...]"""
    html = render_template(
        "layout/header.html", municipality=municipality, dev_signin_enabled=dev_signin,
        signin_available=signin_available, language_form=language_form,
        signed_in_person={name: _slot(name) for name in PERSON_NAMES} if signed_in else None,
        csrf_token=lambda: _slot("csrf"), language_switch_url=lambda language: _slot(f"lang:{language}"))
    segments: list = SLOT.split(html)
    return [Markup(part) if index % 2 == 0 else part for index, part in enumerate(segments)]
