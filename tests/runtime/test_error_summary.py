"""The error summary of a form: in the order of the fields on the page, whatever order the
engine found the problems in (a cross-field rule after the field checks, an upload's
refusal after both), and one message per refused upload."""
from __future__ import annotations

import pytest
from flask import Flask

from builder.engine.evaluation import Issue
from builder.model import Field, Text

from runtime.web.resident.fieldviews import FieldView
from runtime.web.resident.screens import ScreenBuilder


@pytest.fixture(autouse=True)
def _context():
    with Flask(__name__).app_context():     # messages are read in the request's language
        yield


def _field(name: str, kind: str = "text") -> Field:
    return Field(name=name, path=name, type=kind, label=Text(name.title()))


def _builder(*fields: Field) -> ScreenBuilder:
    builder = ScreenBuilder(None, None, {}, lambda field: None, {})
    builder._positions = {field.path: index for index, field in enumerate(fields)}
    builder.views = {field.path: FieldView(field=field, template="input", name=field.path, id=field.path,
                                           label=field.name) for field in reversed(fields)}
    return builder


def test_the_summary_follows_the_page_not_the_order_the_problems_were_found():
    first, second, third = _field("first"), _field("second"), _field("third", "file")
    builder = _builder(first, second, third)
    issues = [Issue("rule-x", Text("second is wrong"), "error", "rule-x", ("second",)),
              Issue("first", Text("first is missing"), "error", None, ("first",))]
    summary = builder.attach(issues, {"third": ["third refused"]})
    assert [href for _, href in summary] == ["#first", "#second", "#third"]
    assert builder.views["second"].errors == ["second is wrong"]


def test_a_refused_upload_has_its_own_message_only():
    photo = _field("photo", "file")
    builder = _builder(photo)
    issues = [Issue("photo", Text("Jāpievieno photo"), "error", None, ("photo",))]
    summary = builder.attach(issues, {"photo": ["Datne ir par lielu"]})
    assert summary == [("Datne ir par lielu", "#photo")]
    assert builder.views["photo"].errors == ["Datne ir par lielu"]
