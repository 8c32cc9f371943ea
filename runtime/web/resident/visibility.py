"""Which pages no answer can hide, worked out once per service version.

The engine shows a page when its `when` holds and at least one of its fields is not
hidden (`builder.engine.evaluation.Evaluation.visible_pages`); a field is hidden by its
own `when` or by the `when` of a page that lists it (`builder.engine.relevance.prune`).
So a page without a `when` that lists a field without one, on no page with one, is
shown whatever the answers are, and a post to it need not evaluate the stored answers
first to know that.
"""
from __future__ import annotations

from builder.model import Page, Service

_always_visible: dict[tuple[str, str], bool] = {}


def always_visible(service: Service, page: Page) -> bool:
    key = (service.source_hash, page.id)
    found = _always_visible.get(key)
    if found is None:
        found = _always_visible[key] = _never_hidden(service, page)
    return found


def _never_hidden(service: Service, page: Page) -> bool:
    if page.when is not None:
        return False
    conditional_pages = [other for other in service.pages if other.when is not None]
    return any(service.field_index[name].when is None and not any(name in other.fields for other in conditional_pages)
               for name in page.fields)
