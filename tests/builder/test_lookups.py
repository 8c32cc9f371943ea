"""Register look-ups (issue 10, item 8): `lookups:` name a register and a key from the
answers; `lookup.<name>` is typed by the register; the definition tests give what the
registers hold (or that one is down) in their context, through the same two-round driver
the runtime uses (`evaluate_asking`)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.deftests import run_service_tests
from builder.engine import Context, evaluate, evaluate_asking
from builder.registers import FOUND, REGISTERS, UNAVAILABLE, RegisterAnswer

from .defs import RIGA, TODAY, codes, compile_problems, line_of, load, service

FIELDS = """
  kind: {type: choice, choices: kinds, label: {lv: Kas, en: Who}}
  company_number: {type: registration_number, when: "kind == 'company'", label: {lv: Reģ. nr., en: Reg. no.}}
  company_name: {type: text, when: "kind == 'company' && (lookup.company == null || !lookup.company.found)", label: {lv: Nosaukums, en: Name}}"""
CHOICES = """
  kinds:
    - {value: person, label: {lv: Persona, en: Person}}
    - {value: company, label: {lv: Uzņēmums, en: Company}}"""
LOOKUPS = """
  company:
    register: enterprise_register
    key: "company_number"
    when: "kind == 'company'\""""
PAGES = "\n  - {id: main, title: {lv: Galvenā, en: Main}, fields: [kind, company_number, company_name]}"
RULES = """
  - id: company_active
    when: "lookup.company.found"
    check: "lookup.company.active"
    message: {lv: "{lookup.company.name} ir izslēgts no reģistra", en: "{lookup.company.name} has been struck off"}"""
COMPUTED = '\n  company_shown: {type: text, expr: "lookup.company.found ? lookup.company.name : company_name"}'
ACTIVE, STRUCK_OFF = "40003032949", "40003002003"
HELD = {ACTIVE: {"name": "SIA A", "active": True, "registered_on": "2001-03-15"},
        STRUCK_OFF: {"name": "SIA B", "active": False}}


def definition(**sections) -> str:
    merged = dict(fields=FIELDS, choices=CHOICES, lookups=LOOKUPS, pages=PAGES, rules=RULES, computed=COMPUTED,
                  tests=None)
    return service(**{**merged, **sections})


def effective(tmp_path, **sections):
    catalogue = load(tmp_path, services={"x": definition(**sections)}, municipalities={"riga": RIGA})
    assert not catalogue.problems.errors, [p.format() for p in catalogue.problems.errors]
    return catalogue.effective("riga", "x")


def holding(records, down=False):
    def ask(requests):
        return {(r.register, r.key): RegisterAnswer(UNAVAILABLE) if down else
                (RegisterAnswer(FOUND, records[r.key]) if r.key in records else RegisterAnswer("not_found"))
                for r in requests}
    return ask


def test_the_outcome_lists_the_keys_the_answers_ask(tmp_path):
    outcome = evaluate(effective(tmp_path), {"kind": "company", "company_number": ACTIVE}, Context(today=TODAY))
    assert [(r.name, r.register, r.key) for r in outcome.lookups] == [("company", "enterprise_register", ACTIVE)]
    assert outcome.scope["lookup"] == {"company": None}          # not asked yet: rules over it do not fire
    person = evaluate(effective(tmp_path), {"kind": "person"}, Context(today=TODAY))
    assert person.lookups == ()                                  # its `when` does not hold


def test_a_key_that_failed_its_own_check_is_not_asked(tmp_path):
    outcome = evaluate(effective(tmp_path), {"kind": "company", "company_number": "40003032948"}, Context(today=TODAY))
    assert outcome.lookups == () and "company_number" in [e.key for e in outcome.errors]


def test_what_the_register_answers_is_typed_and_used(tmp_path):
    outcome = evaluate_asking(effective(tmp_path), {"kind": "company", "company_number": ACTIVE},
                              Context(today=TODAY), holding(HELD))
    company = outcome.scope["lookup"]["company"]
    assert company["answered"] and company["found"] and company["name"] == "SIA A"
    assert company["registered_on"].isoformat() == "2001-03-15" and company["terminated_on"] is None
    assert outcome.valid and outcome.computed["company_shown"] == "SIA A"
    assert "company_name" in outcome.hidden                     # found: nothing to type by hand


def test_a_struck_off_company_is_refused_with_its_name(tmp_path):
    outcome = evaluate_asking(effective(tmp_path), {"kind": "company", "company_number": STRUCK_OFF},
                              Context(today=TODAY), holding(HELD))
    [error] = outcome.errors
    assert error.rule == "company_active" and error.message["en"] == "SIA B has been struck off"


def test_a_register_that_does_not_answer_lets_the_resident_go_on_by_hand(tmp_path):
    outcome = evaluate_asking(effective(tmp_path), {"kind": "company", "company_number": ACTIVE, "company_name": "SIA A"},
                              Context(today=TODAY), holding(HELD, down=True))
    assert outcome.valid and "company_name" not in outcome.hidden   # asked by hand instead
    [warning] = outcome.warnings
    assert warning.rule == "company" and warning.fields == ("company_number",) and warning.page == "main"
    assert "Uzņēmumu reģistrs šobrīd neatbild" in warning.message["lv"]
    assert warning.message["en"].startswith("The Enterprise Register is not answering just now")


def test_without_manual_entry_the_application_waits_for_the_register(tmp_path):
    lookups = LOOKUPS + "\n    manual: false"
    answers = {"kind": "company", "company_number": ACTIVE, "company_name": "SIA A"}
    outcome = evaluate_asking(effective(tmp_path, lookups=lookups), answers, Context(today=TODAY),
                              holding(HELD, down=True))
    [error] = outcome.errors
    assert error.rule == "company" and not outcome.valid
    assert "Your answers are saved: try again in a few minutes" in error.message["en"]


def test_definition_tests_say_what_the_registers_hold(tmp_path):
    tests = f"""
  - name: an active company
    context: {{municipality: riga, today: 2026-01-15, registers: {{enterprise_register: {{"{ACTIVE}": {{name: SIA A, active: true}}}}}}}}
    answers: {{kind: company, company_number: "{ACTIVE}"}}
    expect: {{valid: true, computed: {{company_shown: SIA A}}}}
  - name: not in the register - the name is asked
    context: {{municipality: riga, today: 2026-01-15, registers: {{enterprise_register: {{}}}}}}
    answers: {{kind: company, company_number: "{ACTIVE}"}}
    expect: {{valid: false, errors: [company_name]}}
  - name: the register is down
    context: {{municipality: riga, today: 2026-01-15, registers: {{enterprise_register: unavailable}}}}
    answers: {{kind: company, company_number: "{ACTIVE}", company_name: SIA A}}
    expect: {{valid: true, warnings: [company]}}
  - name: a test that names no register does not ask it
    context: {{municipality: riga, today: 2026-01-15}}
    answers: {{kind: company, company_number: "{STRUCK_OFF}", company_name: SIA B}}
    expect: {{valid: true, warnings: []}}"""
    catalogue = load(tmp_path, services={"x": definition(tests=tests)}, municipalities={"riga": RIGA})
    assert not catalogue.problems.errors, [p.format() for p in catalogue.problems.errors]
    results = run_service_tests(catalogue, catalogue.services.values())
    assert [r.failures for r in results] == [(), (), (), ()]


def test_a_member_the_register_does_not_answer_is_a_positioned_error():
    text = definition(rules=RULES.replace("lookup.company.active\"", "lookup.company.activ\""))
    result, problems = compile_problems(text)
    assert result is None and codes(problems) == ["E303"]
    assert 'Did you mean "active"' in problems.errors[0].message
    assert problems.errors[0].line == line_of(text, "lookup.company.activ")


def test_a_key_may_not_read_a_computed_value_or_another_look_up():
    text = definition(lookups=LOOKUPS.replace('key: "company_number"', 'key: "company_shown"'))
    result, problems = compile_problems(text)
    assert result is None and codes(problems) == ["E302"]
    assert problems.errors[0].line == line_of(text, 'key: "company_shown"')


def test_an_unknown_register_is_refused_by_the_schema():
    text = definition(lookups=LOOKUPS.replace("enterprise_register", "company_register"))
    result, problems = compile_problems(text)
    assert result is None and codes(problems) == ["E204"]
    assert problems.errors[0].line == line_of(text, "company_register")


def test_the_schema_lists_exactly_the_registers_the_builder_knows():
    from builder.schemacheck import load_schema
    schema = load_schema("service")
    assert schema["$defs"]["lookup"]["properties"]["register"]["enum"] == list(REGISTERS)
    context = schema["$defs"]["test_case"]["properties"]["context"]["properties"]["registers"]
    assert context["propertyNames"]["enum"] == list(REGISTERS)


FILLED = LOOKUPS + "\n    fill: {company_name: name}"
ALWAYS_ASKED = FIELDS.replace('''when: "kind == 'company' && (lookup.company == null || !lookup.company.found)", ''', "required: false, ")


def test_a_found_company_prefills_the_name_the_resident_has_not_given(tmp_path):
    service = effective(tmp_path, lookups=FILLED, fields=ALWAYS_ASKED)
    outcome = evaluate_asking(service, {"kind": "company", "company_number": ACTIVE}, Context(today=TODAY), holding(HELD))
    assert outcome.values["company_name"] == "SIA A"            # stored with the draft: prefilled
    mine = evaluate_asking(service, {"kind": "company", "company_number": ACTIVE, "company_name": "A, SIA"},
                           Context(today=TODAY), holding(HELD))
    assert mine.values["company_name"] == "A, SIA"              # the resident's own answer stays
    down = evaluate_asking(service, {"kind": "company", "company_number": ACTIVE}, Context(today=TODAY),
                           holding(HELD, down=True))
    assert down.values.get("company_name") is None             # nothing found: nothing filled


def test_fill_names_fields_and_members_that_fit():
    for fill, code, needle in (("{compny_name: name}", "E402", "compny_name"),
                               ("{company_name: nmae}", "E303", "nmae"),
                               ("{company_name: registered_on}", "E306", "registered_on")):
        text = definition(lookups=LOOKUPS + f"\n    fill: {fill}", fields=ALWAYS_ASKED)
        result, problems = compile_problems(text)
        assert result is None and codes(problems) == [code], (fill, [p.format() for p in problems])
        assert problems.errors[0].line == line_of(text, needle)


values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=6),
                   st.sampled_from(["2026-02-30", "2001-03-15", "1.5", "x"]), st.lists(st.integers(), max_size=2))
register_data = st.one_of(st.none(), st.text(max_size=4), st.dictionaries(
    st.sampled_from(["name", "active", "registered_on", "terminated_on", "legal_form", "other"]), values, max_size=6))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["found", "not_found", "unavailable", "odd"]), register_data)
def test_whatever_a_register_answers_gives_an_outcome_never_a_raise(tmp_path_factory, status, data):
    """A provider's data is plain JSON-like data of any shape: members are typed or null,
    a status the engine does not know is no answer."""
    service = effective(tmp_path_factory.mktemp("x"))
    outcome = evaluate_asking(service, {"kind": "company", "company_number": ACTIVE, "company_name": "SIA A"},
                              Context(today=TODAY), lambda asked: {(r.register, r.key): {"status": status, "data": data}
                                                                   for r in asked})
    company = outcome.scope["lookup"]["company"]
    if status == "odd":
        assert company is None
    else:
        assert company["found"] == (status == "found") and company["answered"] == (status != "unavailable")
        assert company["active"] in (None, True, False)
        assert company["name"] is None or isinstance(company["name"], str)
        assert company["registered_on"] is None or company["registered_on"].isoformat() == "2001-03-15"
