"""`pkip validate` renders each document template with every test case's answers, in each
language, and reports a template error at the template's own line (E413)."""
from __future__ import annotations

from builder.cli import main

from .defs import service, write_layout

DOCUMENTS = "\n  permit: {title: {lv: Atļauja, en: Permit}, template: permit.html}"
TEMPLATE = """<h1>{{ case.reference }}</h1>
<p>{{ answers.name }}</p>
{% if language == 'en' %}
<p>{{ answers.name.nope.deeper }}</p>
{% endif %}
"""


def _layout(tmp_path, template: str):
    root = write_layout(tmp_path, services={"x": service(documents=DOCUMENTS)})
    (root / "templates").mkdir()
    (root / "templates" / "permit.html").write_text(template, encoding="utf-8")
    return root


def test_a_template_that_fails_in_one_language_is_reported_at_its_line(tmp_path, capsys):
    root = _layout(tmp_path, TEMPLATE)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    (line,) = [line for line in out if "E413" in line]
    assert line.startswith(f"{root / 'templates' / 'permit.html'}:4:1: E413 error: template permit.html")
    assert 'test "ok" in en' in line and "UndefinedError" in line


def test_a_syntax_error_is_reported_at_its_line(tmp_path, capsys):
    root = _layout(tmp_path, "<p>ok</p>\n<p>{{ answers.name | upper( }}</p>\n")
    assert main(["validate", str(root)]) == 1
    (line,) = [line for line in capsys.readouterr().out.splitlines() if "E413" in line]
    assert ":2:1: E413" in line and "TemplateSyntaxError" in line


def test_a_template_that_renders_is_quiet(tmp_path, capsys):
    root = _layout(tmp_path, TEMPLATE.replace(".nope.deeper", ""))
    assert main(["validate", str(root)]) == 0
