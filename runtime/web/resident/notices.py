"""What a list page says after one of its entries was added, saved or removed ("“Dog 1”
has been added").

The notice travels in the redirect's address as an id (`?done=added.0.dogs`: what was
done, the entry's index, the repeat's input name), not as a flashed message: a flash is
kept in the server session, which is written on the post that sets it and again on the
page that shows it (two session writes per entry). The id names only a fixed text and
an entry of a repeat on that page, so a hand-made address can say no more than that an
existing entry was added or saved, or that one was removed; the page's form posts to
its own address without it, so the notice is shown once.
"""
from __future__ import annotations

from urllib.parse import quote

from builder.model import Field, Page
from flask import request

from ...forms import page_form_class
from ...forms.naming import html_name
from ...i18n import gettext as _, text_for
from .answers import entries

PARAMETER = "done"
DONE = ("added", "saved", "removed")


def with_notice(url: str, done: str, repeat: Field, index: int) -> str:
    """`url` (a list page's address) with the notice that entry `index` was `done`."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{PARAMETER}={quote(f'{done}.{index}.{html_name(repeat.path)}')}"


def shown_notices(application, page: Page) -> list[str]:
    """The notice the address names, if it names an entry of a repeat on `page` that can
    have been so (added or saved: it exists; removed: at most one past the last)."""
    value = request.args.get(PARAMETER)
    if not value:
        return []
    done, _dot, rest = value.partition(".")
    index, _dot, name = rest.partition(".")
    if done not in DONE or not index.isdigit():
        return []
    repeat = next((r for r in page_form_class(application.service, page).model_repeats if html_name(r.path) == name),
                  None)
    if repeat is None:
        return []
    count = len(entries(application.answers, repeat))
    if int(index) > count or (int(index) == count and done != "removed"):
        return []
    return [entry_notice(repeat, int(index), done)]


def entry_notice(repeat: Field, index: int, done: str) -> str:
    """What the list page says after an entry was added, saved or removed."""
    title = f"{text_for(repeat.item_label) or text_for(repeat.label)} {index + 1}"
    if done == "added":
        return _("“%(title)s” has been added", title=title)
    if done == "removed":
        return _("“%(title)s” has been removed", title=title)
    return _("“%(title)s” has been saved", title=title)
