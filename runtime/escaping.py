"""HTML escaping of the values a render plan puts in (runtime/layout.py,
runtime/web/page_plans.py, the summary lists): `markupsafe.escape`'s text in one C call
for the usual kinds. `escape` costs five Python-level calls a value, and a page's plans
put in dozens (its CSRF token, names, addresses, markup already drawn)."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

# markupsafe's own entities, in one C call (`str.translate`)
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})


def escaped(text: Any) -> str:
    """What `str(markupsafe.escape(text))` gives, a plain str (never Markup, whose `+`
    would escape a str it is added to): a plain str escaped, markup's text as it is
    (`escape` gives `Markup(text.__html__())`, the same text), anything else (a subclass
    of either among them) by `escape` itself."""
    kind = type(text)
    if kind is str:
        return text.translate(_ENTITIES)
    if kind is Markup:
        return str(text)
    return str(escape(text))
