"""Render plans of the base layout: the parts of `base.html` that depend only on the
municipality, the language and where the app is mounted (the stylesheet links, the
header's home link with the coat of arms, the footer) are rendered once per process and
reused; only the language switch and the account navigation are rendered per request."""
from __future__ import annotations

import threading
from typing import Any

from flask import render_template, request
from markupsafe import Markup

from .i18n import current_language

PARTS = ("head", "home", "footer")
_plans: dict[tuple[int, str, str], tuple[Any, dict[str, Markup]]] = {}
_lock = threading.Lock()


def layout_parts(municipality: Any) -> dict[str, Markup]:
    """The rendered static parts of the layout for `municipality` (None: the national
    pages) in the current language."""
    municipality = municipality or None
    key = (id(municipality), current_language(), request.script_root)
    found = _plans.get(key)
    if found is not None and found[0] is municipality:
        return found[1]
    parts = {part: Markup(render_template(f"layout/{part}.html", municipality=municipality)) for part in PARTS}
    with _lock:
        if len(_plans) > 20_000:    # catalogues replaced many times over: start afresh
            _plans.clear()
        _plans[key] = (municipality, parts)
    return parts
