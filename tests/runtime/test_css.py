"""Every class the page templates use is styled in static/css/site.css (a class without
a rule is usually a typo, or a component whose styles were forgotten). The document
templates (templates/documents/) carry their own print styles and are not checked."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "runtime" / "templates"
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def classes_in_templates() -> dict[str, str]:
    """class -> a template using it; a class built by Jinja ("input--width-{{ n }}") is
    given as its fixed part followed by "*"."""
    found: dict[str, str] = {}
    for path in TEMPLATES.rglob("*.html"):
        if "documents" in path.relative_to(TEMPLATES).parts:
            continue
        for attribute in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            for name in re.sub(r"\{\{.*?\}\}", "*", re.sub(r"\{%.*?%\}", " ", attribute)).split():
                if name != "*":
                    found.setdefault(name.split("*")[0] + ("*" if "*" in name else ""), path.name)
    return found


def classes_in_stylesheet() -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8"), flags=re.S)
    return set(re.findall(r"\.([A-Za-z_][\w-]*)", css))


def test_every_class_in_the_templates_has_a_style():
    defined = classes_in_stylesheet()
    missing = {
        name: template for name, template in classes_in_templates().items()
        if not (any(d.startswith(name[:-1]) for d in defined) if name.endswith("*") else name in defined)
    }
    assert not missing, f"classes without a rule in site.css: {missing}"


def test_the_check_itself_sees_the_templates():
    found = classes_in_templates()
    assert {"account-nav__button", "dev-banner", "error-summary", "table", "input--width-*"} <= set(found)
