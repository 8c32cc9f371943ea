"""The render plans live on the compiled objects they draw (runtime/kept.py): a replaced
catalogue is freed with its plans, instead of being kept alive by a module-level cache
keyed by `id()` until a size limit clears it, and two catalogues served side by side (the
old one still finishing its requests) each draw their own labels."""
from __future__ import annotations

import gc
import weakref

from markupsafe import Markup

from builder.catalogue import load_catalogue
from builder.model import Text
from runtime.layout import layout_header, layout_parts
from runtime.web.resident.fieldviews import make_view
from runtime.web.resident.plans import fields_markup, question_page

from .resident_support import ROOT
from .test_render_plans import app  # noqa: F401 (the fixture: an app on a fresh SQLite file)

SERVICE = ("riga", "example-pet-registration")
PERSON = {"given_name": "Anna", "surname": "Bērziņa"}


def first_input(effective):
    return next(f for f in effective.service.field_index.values() if f.type == "text" and not f.prefill)


def draw_everything(effective, label_suffix: str = "") -> str:
    """Every kind of plan for `effective`: a field's, the layout's, the header's, a page's."""
    field = first_input(effective)
    view = make_view(field, "typed", [], readonly=False)
    fields = fields_markup([view], {})
    parts = layout_parts(effective.municipality)
    header = layout_header(effective.municipality, PERSON, False, True)
    page = question_page(effective, ("kept-test",), lambda **slots: "<main>{}</main>".format(
        "".join(str(value) for value in slots.values())), {"fields": fields, "header": header})
    return str(page) + str(parts["home"]) + label_suffix


def test_a_replaced_catalogue_is_freed_with_its_plans(app):
    catalogue = load_catalogue(ROOT / "definitions")
    effective = catalogue.effective(*SERVICE)
    with app.test_request_context("/?lang=en"):
        drawn = draw_everything(effective)
    assert "typed" in drawn and PERSON["given_name"] in drawn
    alive = [weakref.ref(obj) for obj in (first_input(effective), effective, effective.municipality)]
    del catalogue, effective
    gc.collect()
    assert [ref() is None for ref in alive] == [True, True, True]


def test_two_catalogues_side_by_side_draw_their_own_labels(app):
    old, new = load_catalogue(ROOT / "definitions"), load_catalogue(ROOT / "definitions")
    renamed = new.effective(*SERVICE)
    field = first_input(renamed)
    # the new catalogue's field has another label (a new version); both stay served
    object.__setattr__(field, "label", Text({"en": "Renamed label", "lv": "Jauns nosaukums"}))
    with app.test_request_context("/?lang=en"):
        before = fields_markup([make_view(first_input(old.effective(*SERVICE)), "", [], readonly=False)], {})
        after = fields_markup([make_view(field, "", [], readonly=False)], {})
        again = fields_markup([make_view(first_input(old.effective(*SERVICE)), "", [], readonly=False)], {})
    assert "Jauns nosaukums" in after and "Jauns nosaukums" not in before
    assert again == before and isinstance(after, Markup)
