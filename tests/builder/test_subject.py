"""`service.subject` and `audience: [child]` (issue 12): a service a parent may apply for
on a child's behalf names the child's personal_code field; the builder refuses one that
does not (E415), a name that is no field (E402), and a field inside a repeat."""
from __future__ import annotations

import pytest

from .defs import codes, compile_problems, service

META = "\n  id: x\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}"
CHILD = """
  name: {type: text, label: {lv: Vārds, en: Name}}
  child:
    type: group
    label: {lv: Bērns, en: Child}
    fields:
      personal_code: {type: personal_code, label: {lv: Kods, en: Code}}
  pets:
    type: repeat
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      code: {type: personal_code, label: {lv: Kods, en: Code}}"""
PAGE = "\n  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, child, pets]}"


def compiled(meta: str):
    return compile_problems(service(service=META + meta, fields=CHILD, pages=PAGE))


def test_a_service_for_a_child_names_the_childs_code():
    found, problems = compiled("\n  audience: [person, child]\n  subject: child.personal_code")
    assert codes(problems) == [] and found.subject == "child.personal_code"
    assert found.audience == ("person", "child")


@pytest.mark.parametrize("meta, code", [
    ("\n  audience: [person, child]", "E415"),                              # no subject
    ("\n  audience: [child]\n  subject: name", "E415"),                    # not a personal code
    ("\n  audience: [child]\n  subject: pets.code", "E415"),               # inside a repeat
    ("\n  audience: [child]\n  subject: child.code", "E402"),              # no such field
])
def test_a_service_for_a_child_without_its_code_is_refused(meta, code):
    found, problems = compiled(meta)
    assert found is None and code in codes(problems)


def test_a_service_not_for_a_child_needs_no_subject():
    found, problems = compiled("\n  audience: [person]")
    assert codes(problems) == [] and found.subject is None
