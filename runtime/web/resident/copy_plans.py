"""The render plan of the "copy" button (`resident/_copy.html`'s `copy_button` macro),
which the how-to-pay list draws next to every value: the macro is drawn once per language
with placeholders for the value and what it is, and a button then costs two escapes and a
join instead of a macro call (about ninety Python calls). The plan is kept on the app's
languages (`runtime.kept`), whose catalogues its texts come from."""
from __future__ import annotations

import re

from flask import current_app
from markupsafe import Markup, escape

from ...i18n import active_languages, current_language
from ...kept import kept_on

SLOT = re.compile("\x00pkip-copy:([a-z]+)\x00")     # no text contains it, escaping leaves it alone
KEPT = "_pkip_copy_plans"


def copy_macro():
    return current_app.jinja_env.get_template("resident/_copy.html").module.copy_button


def copy_button(value: object, what: object) -> Markup:
    """What `copy_button(value, what)` of `resident/_copy.html` draws."""
    plans = kept_on(active_languages(), KEPT)
    language = current_language()
    segments = plans.get(language)
    if segments is None:
        drawn = str(copy_macro()(Markup("\x00pkip-copy:value\x00"), Markup("\x00pkip-copy:what\x00")))
        segments = plans[language] = [Markup(part) if index % 2 == 0 else part
                                      for index, part in enumerate(SLOT.split(drawn))]
    values = {"value": escape(value), "what": escape(what)}
    out = [segments[0]]
    for index in range(1, len(segments), 2):
        out.append(values[segments[index]])
        out.append(segments[index + 1])
    return Markup("".join(out))      # every part is markup already: Markup.join would escape each again
