"""One small broken definition per problem code, with the exact code, file, line and
column asserted; and docs/problem-codes.md lists exactly the codes of the table."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from builder.catalogue import load_catalogue
from builder.templatecheck import check_document_templates
from builder.problems import CODES, Problem, Problems, did_you_mean

from .defs import RIGA, SPECIES, service, write_layout

DOC = Path(__file__).resolve().parents[2] / "docs" / "problem-codes.md"
PAGE = "\n  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, pets]}"
PETS = """
  name: {type: text, label: {lv: Vārds, en: Name}}
  pets:
    type: repeat
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}"""
PROCESS = """
  initial: submitted
  states:
    submitted: {label: {lv: Iesniegts, en: Submitted}}
    done: {label: {lv: Gatavs, en: Done}, final: true}
  transitions:
    - {from: submitted, to: done, by: [clerk]}"""


@dataclass
class Case:
    """A broken `file` and where its problem must be reported: the line holding `needle`
    (its `occurrence`-th such line), and the column where `at` starts on that line."""

    code: str
    text: str | bytes
    needle: str | None           # None: line 1, column 1 (the file as a whole)
    at: str | None = None
    file: str = "services/x.yaml"
    occurrence: int = 1
    others: dict = field(default_factory=dict)     # more files: {"municipalities/riga.yaml": text}
    says: str = ""                                 # a part of the message (which site reported it)
    rendered: bool = False       # found by rendering the templates, as `pkip validate` does


def riga(**services: str) -> str:
    body = "".join(f"\n  {sid}: {spec}" for sid, spec in services.items())
    return RIGA.replace("services:\n  x: {enabled: true}\n", f"services:{body}\n")


def commission(institution: str = "council", service_id: str = "x", state: str = "submitted") -> str:
    """Riga with one commission (overlay `commissions:`), its parts as given."""
    return RIGA.replace("services:\n", f"commissions:\n  c:\n    name: {{lv: Komisija, en: Commission}}\n"
                                       f"    institution: {institution}\n    decides:\n"
                                       f"      - {{service: {service_id}, state: {state}}}\nservices:\n")


COMMISSION_PROCESS = PROCESS + "\n    - {from: submitted, to: done, by: [commission]}"

CASES = [
    Case("E101", b"format: 1\nservice: \xff\xfe\n", "format", "format"),
    Case("E102", service(fields=PETS + "\n  broken: [unclosed"), "pages:", ":"),
    Case("E103", service(service="\n  id: x\n  id: y\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}"),
         "id: y", "id: y"),
    Case("E104", "", None),
    Case("E105", service(fields=PETS + "\n  other: &anchor {type: text}\n  again: *anchor"), "*anchor", "*anchor"),
    Case("E201", service(service="\n  id: x\n  version: 1.0.0\n  title: {lv: A, en: A}"), "service:", "service"),
    Case("E202", service(routing="\n  to: council\n  colour: red"), "colour", "colour"),
    Case("E203", service(service="\n  id: x\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}\n  processing_days: [ten]"),
         "processing_days", "processing_days"),
    Case("E204", service(fields=PETS.replace("{type: text, label: {lv: Vārds", "{type: txt, label: {lv: Vārds")),
         "type: txt", "type: txt"),
    Case("E205", service(service="\n  id: X_Service\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}"),
         "X_Service", "id:"),
    Case("E206", service(service="\n  id: x\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}\n  processing_days: -1"),
         "processing_days", "processing_days"),
    Case("E207", service(fields=PETS.replace("name: {type: text,", "name: {type: number, min_length: 2,")),
         "min_length", "min_length"),
    Case("E208", service(format=" 2"), "format", "format"),
    Case("E301", service(rules="\n  - {id: r, check: \"name ==\", message: {lv: A, en: A}}"), "check:", "=="),
    Case("E302", service(rules="\n  - {id: r, check: \"nmae == 'A'\", message: {lv: A, en: A}}"), "check:", "nmae"),
    Case("E303", service(rules="\n  - {id: r, check: \"param.fees > 1\", message: {lv: A, en: A}}"), "check:", "fees"),
    Case("E304", service(rules="\n  - {id: r, check: \"agee(today()) > 1\", message: {lv: A, en: A}}"), "check:", "agee"),
    Case("E305", service(rules="\n  - {id: r, check: \"name + 1 > 2\", message: {lv: A, en: A}}"), "check:", "+"),
    Case("E306", service(rules="\n  - {id: r, check: \"size(name)\", message: {lv: A, en: A}}"), "check:", "size"),
    Case("E401", service(rules="\n  - {id: r, check: \"true\", message: {lv: A, en: A}}"
                                "\n  - {id: r, check: \"false\", message: {lv: B, en: B}}"), "id: r", "id: r", occurrence=2),
    Case("E402", service(pages=PAGE.replace("[name, pets]", "[name, pets, nmae]")), "nmae", "nmae"),
    Case("E403", service(fields=PETS + "\n  kind: {type: choice, choices: kinds, label: {lv: A, en: A}}",
                         pages=PAGE.replace("pets]", "pets, kind]")), "choices: kinds", "choices"),
    Case("E404", service(fields=PETS + "\n  kind: {type: choice, choices: param.places, label: {lv: A, en: A}}",
                         pages=PAGE.replace("pets]", "pets, kind]")), "param.places", "choices"),
    Case("E405", service(process=PROCESS.replace("to: done", "to: dnoe")), "dnoe", "to: dnoe"),
    Case("E406", service(process=PROCESS.replace("final: true}", "final: true, result: permit}")),
         "result: permit", "result"),
    Case("E408", service(rules="\n  - {id: r, for_each: name, check: \"true\", message: {lv: A, en: A}}"),
         "for_each", "for_each"),
    Case("E409", service(parameters="\n  fee: {type: money, default: \"10.00\"}\n  cut: {type: percent, default: 150}"),
         "cut:", "default"),
    Case("E410", service(fields=PETS.replace("chip: {type: text,", "chip: {type: text, pattern: \"[0-9\",")),
         "pattern", "pattern"),
    Case("E411", service(fees="\n  lines:\n    - {id: a, label: {lv: A, en: A}, amount: param.fee, reductions: "
                              "[{id: odd, when: \"true\", percent: \"-10\"}]}"), "percent", "percent"),
    Case("E412", service(process=PROCESS.replace("final: true}", "final: true, result: permit}"),
                         documents="\n  permit: {title: {lv: A, en: A}, template: permt.html}"),
         "permt.html", "template", others={"templates/permit.html": "<p>{{ case.reference }}</p>"}),
    Case("E414", service(service="\n  id: x\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}"
                         "\n  price: {amount: \"size(pets) * param.fee\"}"), "size(pets)", "amount",
         says="reads pets"),
    Case("E415", service(service="\n  id: x\n  code: XX\n  version: 1.0.0\n  title: {lv: A, en: A}"
                         "\n  audience: [child]\n  subject: name"), "subject: name", "subject", says="is a text field"),
    Case("E413", "<p>{{ case.reference }}</p>\n<p>{{ answers.name.x.y }}</p>\n", "answers.name.x", None,
         file="templates/permit.html", rendered=True,
         others={"services/x.yaml": service(documents="\n  permit: {title: {lv: A, en: A}, template: permit.html}")}),
    Case("W401", service(service="\n  id: x\n  code: XX\n  version: 1.0.0\n  title: Pakalpojums"), "title", "title"),
    Case("W402", service(rules="\n  - id: see\n    check: \"true\"\n    message: {lv: \"Skat. { zemāk }\", en: See below}"),
         "Skat.", "Skat."),
    Case("E501", service(fields=PETS + "\n  lost: {type: text, label: {lv: A, en: A}}"), "lost", "lost"),
    Case("E502", service(pages=PAGE + "\n  - {id: again, title: {lv: A, en: A}, fields: [name]}"), "again", "name]"),
    Case("E503", service(computed="\n  a: {type: integer, expr: \"b + 1\"}\n  b: {type: integer, expr: \"a + 1\"}"),
         "a: {type", "a: {type"),
    Case("E504", service(process=PROCESS + "\n    - {from: lost, to: done, by: [clerk]}".replace("lost", "limbo")
                         ).replace("    done: {", "    limbo: {label: {lv: L, en: L}}\n    done: {"), "limbo: {", "limbo"),
    Case("E505", service(fields=PETS.replace("type: repeat", "type: repeat\n    min: 3\n    max: 1")), "min: 3", "min"),
    Case("E506", service(process=PROCESS + "\n  information_requests:\n    waiting: done"), "waiting: done",
         "waiting: done"),
    Case("W501", service(pages=PAGE.replace("name, pets", "name") +
                         "\n  - {id: never, title: {lv: A, en: A}, fields: [pets], when: \"1 > 2\"}"), "never", "when"),
    Case("W502", service(process=PROCESS.replace("    done:", "    waiting: {label: {lv: G, en: W}}\n    done:")
                         + "\n    - {from: submitted, to: waiting, by: [clerk]}"), "waiting: {", "waiting"),
    Case("E601", riga(x="{enabled: true}", y="{enabled: true}"), "  y:", "y:", file="municipalities/riga.yaml"),
    Case("E602", riga(x="{enabled: true, parameters: {fees: \"1.00\"}}"), "fees", "fees", file="municipalities/riga.yaml"),
    Case("E603", riga(x="{enabled: true, parameters: {fee: lots}}"), "lots", "fee:", file="municipalities/riga.yaml"),
    Case("E604", riga(x="{enabled: true, routing: {council: dome}}"), "dome", "council: dome", file="municipalities/riga.yaml"),
    Case("E605", RIGA.replace("id: riga", "id: riga2"), "atvk", "atvk", file="municipalities/riga2.yaml"),
    Case("E606", RIGA.replace("id: riga", "id: riga2").replace('atvk: "0001000"', 'atvk: "0001001"')
         .replace("iso: LV-RIX", "iso: LV-RIY\n  merged_into: {municipality: rgia, date: 2025-07-01}"),
         "merged_into", "merged_into", file="municipalities/riga2.yaml"),
    Case("E607", commission(institution="greens"), "institution: greens", "institution",
         file="municipalities/riga.yaml", others={"services/x.yaml": service(process=COMMISSION_PROCESS)},
         says="no institution"),
    Case("E701", service(tests="\n  - name: t\n    context: {municipality: rgia, today: 2026-01-15}"
                               "\n    expect: {valid: true}"), "- name: t", "name"),
    Case("E702", service(tests="\n  - name: t\n    context: {municipality: riga, today: 2026-01-15}"
                               "\n    answers: {nmae: A}\n    expect: {valid: true}"), "nmae", "nmae"),
    Case("E703", service(tests="\n  - name: t\n    context: {municipality: riga, today: 2026-01-15}"
                               "\n    expect: {errors: [no_such_rule]}"), "no_such_rule", "errors"),
    Case("W701", service(tests="\n  - name: t\n    context: {municipality: riga, today: 2026-01-15}"
                               "\n    expect: {valid: true}"), "- name: t", "name",
         others={"municipalities/riga.yaml": riga(x="{enabled: false}")}),
]


def _write(root: Path, relative: str, content: str | bytes) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


def _expected_place(case: Case) -> tuple[int, int | None]:
    text = case.text.decode("utf-8", "replace") if isinstance(case.text, bytes) else case.text
    if case.needle is None:
        return 1, 1
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if case.needle in line]
    number, line = lines[case.occurrence - 1]
    return number, (line.index(case.at) + 1 if case.at is not None else None)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_each_code_is_reported_at_its_place(case: Case, tmp_path: Path):
    assert_reported_at_its_place(case, tmp_path)


def load_case(case: Case, root: Path) -> Problems:
    write_layout(root, codelists={"species": SPECIES})
    for relative, content in {case.file: case.text, **case.others}.items():
        _write(root, relative, content)
    catalogue = load_catalogue(root)
    if case.rendered:
        check_document_templates(catalogue, catalogue.services.values(), catalogue.problems)
    return catalogue.problems


def assert_reported_at_its_place(case: Case, tmp_path: Path) -> None:
    problems = load_case(case, tmp_path)
    found = [p for p in problems if p.code == case.code and case.says in p.message]
    assert found, f"{case.code} ({case.says!r}) not reported; got {[p.format() for p in problems]}"
    problem = found[0]
    line, column = _expected_place(case)
    assert Path(problem.path) == tmp_path / case.file
    assert problem.line == line, problem.format()
    if column is not None:
        assert problem.column == column, problem.format()
    assert problem.severity == CODES[case.code][0]
    assert problem.message.strip()


def test_every_code_has_a_case():
    assert sorted(case.code for case in CASES) == sorted(CODES)


def _documented_codes() -> list[str]:
    return re.findall(r"^## ([EW]\d{3})\b", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_doc_lists_exactly_the_codes_of_the_table():
    documented = _documented_codes()
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert sorted(documented) == sorted(CODES)


def test_the_doc_gives_meaning_example_and_fix_for_each_code():
    sections = re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    for section in sections:
        code = section[:4]
        assert "```yaml" in section, f"{code}: no example"
        assert "**Fix:**" in section, f"{code}: no fix"
        assert CODES[code][1] in section, f"{code}: the table's meaning is not stated"


def test_a_problem_line_reads_path_line_column_code_severity_message():
    problem = Problem("E402", "page names a missing field", "services/x.yaml", 12, 5)
    assert problem.format() == "services/x.yaml:12:5: E402 error: page names a missing field"


def test_an_unregistered_code_cannot_be_reported():
    with pytest.raises(KeyError):
        Problems().add("E999", "no such code")


def test_did_you_mean_suggests_only_close_names():
    assert did_you_mean("nmae", ["name", "pets"]) == ' Did you mean "name"?'
    assert did_you_mean("zzz", ["name", "pets"]) == ""
