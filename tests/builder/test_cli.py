"""`pkip validate | test | new | schema`, called as `builder.cli.main([...])` and once as
`python -m builder.cli` in a subprocess."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from builder.cli import main

from .defs import RIGA, line_of, service, write_layout

ROOT = Path(__file__).resolve().parents[2]
PROBLEM_LINE = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<column>\d+): (?P<code>[EW]\d{3}) (?P<severity>error|warning): .+$")


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def test_validate_a_clean_folder_exits_0_with_a_summary(tmp_path, capsys):
    root = write_layout(tmp_path)
    code, out = run(capsys, "validate", str(root))
    assert code == 0 and out[-1] == "0 errors, 0 warnings in 3 definitions"


def test_validate_lists_the_municipalities_on_service_defaults(tmp_path, capsys):
    root = write_layout(tmp_path)                       # riga enables x and sets none of its parameters
    code, out = run(capsys, "validate", str(root))
    assert code == 0 and out[0].startswith("On the service defaults") and out[1] == "  riga: x"
    own = RIGA.replace("x: {enabled: true}", "x: {enabled: true, parameters: {fee: \"8.00\"}}")
    code, out = run(capsys, "validate", str(write_layout(tmp_path / "own", municipalities={"riga": own})))
    assert code == 0 and out == ["0 errors, 0 warnings in 3 definitions"]


def test_validate_prints_each_problem_as_path_line_column_code_severity_message(tmp_path, capsys):
    text = service(rules='\n  - {id: r, check: "nmae == 1", message: {lv: A, en: A}}')
    root = write_layout(tmp_path, services={"x": text})
    code, out = run(capsys, "validate", str(root))
    problems = [PROBLEM_LINE.match(line) for line in out[:-1]]
    assert code == 1 and all(problems), out
    first = problems[0]
    assert Path(first["path"]) == root / "services" / "x.yaml"
    assert (int(first["line"]), first["code"], first["severity"]) == (line_of(text, "nmae"), "E302", "error")
    assert re.fullmatch(r"\d+ errors, 0 warnings in \d+ definitions", out[-1])


def test_warnings_pass_unless_strict(tmp_path, capsys):
    root = write_layout(tmp_path, services={"x": service(service="\n  id: x\n  code: XX\n  version: 1.0.0\n  title: Tikai latviski")})
    code, out = run(capsys, "validate", str(root))
    assert code == 0 and " W401 warning: " in out[0] and out[-1].startswith("0 errors, 1 warnings")
    assert run(capsys, "validate", "--strict", str(root))[0] == 1


def test_validate_one_file_reports_only_that_file(tmp_path, capsys):
    root = write_layout(tmp_path, services={"x": service(), "y": "format: 1\n"})
    code, out = run(capsys, "validate", str(root / "services" / "x.yaml"))
    assert code == 0 and out[-1].startswith("0 errors")
    code, out = run(capsys, "validate", str(root / "services" / "y.yaml"))
    assert code == 1 and all("y.yaml" in line for line in out[:-1])


def test_test_prints_each_case_and_the_tally(tmp_path, capsys):
    cases = """
  - name: a valid answer
    context: {municipality: riga, today: 2026-01-15}
    answers: {name: A}
    expect: {valid: true, route: council}
  - name: a wrong expectation
    context: {municipality: riga, today: 2026-01-15}
    answers: {name: A}
    expect: {valid: false}"""
    root = write_layout(tmp_path, services={"x": service(tests=cases)})
    code, out = run(capsys, "test", str(root))
    assert code == 1
    assert out[0] == "PASS x: a valid answer" and out[1] == "FAIL x: a wrong expectation"
    assert "valid: expected False, got True" in out[2]
    assert out[-1] == "1 passed, 1 failed"


def test_test_passes_with_exit_0(tmp_path, capsys):
    code, out = run(capsys, "test", str(write_layout(tmp_path)))
    assert code == 0 and out == ["PASS x: ok", "1 passed, 0 failed"]


def test_test_refuses_definitions_with_errors(tmp_path, capsys):
    root = write_layout(tmp_path, services={"x": service(pages=None)})
    code, out = run(capsys, "test", str(root))
    assert code == 1 and " E201 error: " in out[0] and out[-1] == "0 passed, 1 failed"


def test_new_writes_a_definition_that_validates_and_passes_its_test(tmp_path, capsys):
    riga = RIGA.replace("services:\n  x: {enabled: true}\n", "services: {}\n")
    root = write_layout(tmp_path, services={}, municipalities={"riga": riga})
    code, out = run(capsys, "new", "dog-licence", "--root", str(root))
    target = root / "services" / "dog-licence.yaml"
    assert code == 0 and target.is_file() and str(target) in out[0]
    code, out = run(capsys, "validate", str(root))       # W701 until a municipality enables it
    assert code == 0 and out[-1].startswith("0 errors, 1 warnings") and " W701 warning: " in out[0]
    code, out = run(capsys, "test", str(target))
    assert code == 0 and out[-1] == "1 passed, 0 failed"


def test_new_refuses_a_bad_id_and_an_existing_file(tmp_path, capsys):
    root = write_layout(tmp_path)
    assert main(["new", "Dog_Licence", "--root", str(root)]) == 1
    assert main(["new", "x", "--root", str(root)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_schema_prints_valid_json_schemas(capsys):
    for kind in ("service", "municipality", "codelist"):
        code, out = run(capsys, "schema", "--kind", kind)
        schema = json.loads("\n".join(out))
        assert code == 0 and schema["type"] == "object" and "$schema" in schema
    code, out = run(capsys, "schema")
    assert "fields" in json.loads("\n".join(out))["properties"]


def test_the_module_runs_as_a_program_on_the_real_definitions():
    result = subprocess.run([sys.executable, "-m", "builder.cli", "validate", "definitions"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"0 errors, \d+ warnings in \d+ definitions", result.stdout.splitlines()[-1])


def test_a_path_that_does_not_exist_is_an_error_with_exit_2(tmp_path, capsys):
    root = write_layout(tmp_path)
    for command in ("validate", "test"):
        assert main([command, str(root / "services" / "nope.yaml")]) == 2
        captured = capsys.readouterr()
        assert "nope.yaml: no such file or folder" in captured.err and captured.out == ""


def test_one_file_is_one_definition_and_only_its_problems(tmp_path, capsys):
    broken = service(rules='\n  - {id: r, check: "nmae == 1", message: {lv: A, en: A}}').replace("id: x", "id: y")
    root = write_layout(tmp_path, services={"x": service(), "y": broken},
                        municipalities={"riga": RIGA.replace("x: {enabled: true}", "x: {enabled: true}\n  y: {enabled: true}")})
    code, out = run(capsys, "validate", str(root / "services" / "x.yaml"))
    assert code == 0 and out == ["0 errors, 0 warnings in 1 definitions"]
    code, out = run(capsys, "validate", str(root / "services"))
    assert code == 1 and out[-1].endswith("in 2 definitions")
