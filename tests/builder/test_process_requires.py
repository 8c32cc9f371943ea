"""A process step declares what staff must give to make it (`requires`)."""
from __future__ import annotations

from builder.compiler import compile_text
from builder.problems import Problems

from .defs import service

PROCESS = """
  initial: submitted
  states:
    submitted: {label: Iesniegts}
    granted: {label: Piešķirts, final: true}
    refused: {label: Atteikts, final: true}
  transitions:
    - {from: submitted, to: granted, by: [clerk], requires: [decision, date]}
    - {from: submitted, to: refused, by: [clerk], requires: %s}"""


def test_requires_compiles_into_the_transition():
    problems = Problems()
    compiled = compile_text(service(process=PROCESS % "[reason]"), "x.yaml", problems)
    assert not problems.has_errors, [p.format() for p in problems]
    granted, refused = compiled.process.transitions
    assert granted.requires == ("decision", "date") and refused.requires == ("reason",)


def test_an_unknown_requirement_is_a_schema_error_naming_the_allowed_ones():
    problems = Problems()
    assert compile_text(service(process=PROCESS % "[signature]"), "x.yaml", problems) is None
    messages = [p.format() for p in problems]
    assert any("E204" in m and "reason" in m for m in messages), messages
