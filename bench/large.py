"""Figure 4: a large generated definition (300 fields, 65 rules, computed values, fee
lines): compile time and the time to evaluate one full submission.

The in-run baseline is the engine evaluating the real services' own test answers (each
definition's `tests:`), so the ratio says how much dearer the large service is than a
typical one. Open Forms reports about 300 ms per logic evaluation at this size; that is
context, not a measured baseline.
"""
from __future__ import annotations

import datetime
import json
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .report import ROOT, Figure, emit, ratio

OPEN_FORMS_MS = 300
TODAY = datetime.date(2026, 2, 1)
PERSON = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}

GROUP_FIELDS = 20       # leaf fields per group
ITEM_ANSWERS = 5        # entries in the repeat in the evaluated submission


def _t(lv: str, en: str | None = None) -> dict:
    return {"lv": lv, "en": en or lv}


def _leaf(kind: int, prefix: str, on_page_flag: str, on_page_choice: str) -> tuple[dict, Any]:
    """Field definition number `kind` (1..20) and a valid answer for it."""
    label = _t(f"Lauks {prefix}{kind}", f"Field {prefix}{kind}")
    specs: dict[int, tuple[dict, Any]] = {
        1: ({"type": "text", "max_length": 100}, "Teksts"),
        2: ({"type": "text", "min_length": 2, "max_length": 50}, "Vārds"),
        3: ({"type": "number", "min": "0", "max": "1000000"}, "1200.5"),
        4: ({"type": "number", "decimals": 0, "min": "0", "max": "1000"}, "12"),
        5: ({"type": "money", "min": "0"}, "99.90"),
        6: ({"type": "date", "max": "today()"}, "2019-05-10"),
        7: ({"type": "yes_no"}, True),
        8: ({"type": "choice", "choices": "kinds", "display": "radios"}, "a"),
        9: ({"type": "choice", "choices": "kinds", "display": "select"}, "b"),
        10: ({"type": "multi_choice", "choices": "kinds", "required": False, "max_items": 2}, ["a", "c"]),
        11: ({"type": "email", "required": False}, "vards@example.lv"),
        12: ({"type": "phone", "required": False}, "+371 20000000"),
        13: ({"type": "long_text", "required": False, "max_length": 2000}, "Garāks teksts " * 5),
        14: ({"type": "text", "max_length": 100, "when": f"{on_page_flag} == true"}, "Nosacīts"),
        15: ({"type": "number", "min": "0", "when": f"{on_page_flag} == true"}, "7"),
        16: ({"type": "personal_code"}, "010190-15267"),
        17: ({"type": "iban", "required": False}, "LV89RIKO0023300000000"),
        18: ({"type": "address"}, "Brīvības iela 1, Rīga, LV-1010"),
        19: ({"type": "date", "when": f"{on_page_choice} == 'a'", "min": "date('2000-01-01')"}, "2024-01-15"),
        20: ({"type": "yes_no", "required": False}, False),
    }
    spec, answer = specs[kind]
    return {**spec, "label": label}, answer


def generate(groups: int = 10, top_level: int = 77) -> tuple[str, dict, dict[str, int]]:
    """(YAML text, answers, counts): by default 300 fields and 65 rules."""
    fields: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    pages: list[dict] = []
    rules: list[dict] = []
    computed: dict[str, Any] = {}
    lines: list[dict] = []
    parameters: dict[str, Any] = {"rate": {"type": "percent", "default": 50, "min": 0, "max": 100},
                                  "min_qty": {"type": "integer", "default": 1, "min": 0}}
    # groups of 20 fields, one page each
    for g in range(1, groups + 1):
        name = f"g{g:02d}"
        children, values = {}, {}
        for kind in range(1, GROUP_FIELDS + 1):
            spec, answer = _leaf(kind, f"{name}.", f"{name}.f07", f"{name}.f08")
            children[f"f{kind:02d}"] = spec
            values[f"f{kind:02d}"] = answer
        fields[name] = {"type": "group", "label": _t(f"Grupa {g}", f"Group {g}"), "fields": children}
        answers[name] = values
        pages.append({"id": f"p_{name}", "title": _t(f"Lapa {g}", f"Page {g}"), "fields": [name]})
        rules += [
            {"id": f"{name}_range", "check": f"{name}.f03 >= {name}.f04", "fields": [f"{name}.f03"],
             "message": _t("Pirmajam skaitlim jābūt lielākam", "The first number must be larger")},
            {"id": f"{name}_recent", "when": f"{name}.f07 == true", "check": f"age({name}.f06) < 100",
             "message": _t("Datums ir pārāk sens", "The date is too old")},
            {"id": f"{name}_contact", "severity": "warning",
             "check": f"{name}.f11 != null || {name}.f12 != null", "fields": [f"{name}.f11"],
             "message": _t("Norādiet kontaktu", "Give a contact")},
        ]
        parameters[f"fee_{name}"] = {"type": "money", "default": f"{g}.50", "min": "0"}
        lines.append({"id": f"line_{name}", "label": _t(f"Maksa {g}", f"Fee {g}"),
                      "when": f"{name}.f07 == true", "amount": f"param.fee_{name}",
                      "quantity": f"{name}.f04 > 5 ? 2 : 1",
                      "exemptions": [{"id": "free", "when": f"{name}.f09 == 'c'", "label": _t("Bez maksas", "Free")}],
                      "reductions": [{"id": "half", "when": f"{name}.f20 == true", "percent": "param.rate",
                                      "label": _t("Atlaide", "Reduction")}]})
        computed[f"{name}_sum"] = {"type": "number", "expr": f"{name}.f03 + {name}.f04 + {name}.f05"}
        computed[f"{name}_age"] = {"type": "integer", "expr": f"age({name}.f06)"}
    # a repeat of 12 fields
    item_fields = {
        "name": ({"type": "text", "max_length": 80}, "Prece"),
        "qty": ({"type": "number", "decimals": 0, "min": "1", "max": "1000"}, "3"),
        "price": ({"type": "money", "min": "0"}, "4.20"),
        "kind": ({"type": "choice", "choices": "kinds"}, "b"),
        "flag": ({"type": "yes_no"}, True),
        "date": ({"type": "date", "max": "today()"}, "2025-06-01"),
        "note": ({"type": "text", "required": False, "max_length": 200}, None),
        "code": ({"type": "text", "pattern": "^[A-Z]{3}[0-9]{4}$"}, "ABC1234"),
        "weight": ({"type": "number", "min": "0", "max": "1000", "decimals": 1}, "2.5"),
        "extra": ({"type": "yes_no", "required": False}, False),
        "email": ({"type": "email", "required": False}, "prece@example.lv"),
        "due": ({"type": "date", "required": False, "when": "item.flag == true", "min": "item.date"}, "2025-07-01"),
    }
    fields["items"] = {"type": "repeat", "min": 1, "max": 50, "item_label": _t("Prece", "Item"),
                       "label": _t("Preces", "Items"),
                       "fields": {k: {**spec, "label": _t(k)} for k, (spec, _) in item_fields.items()}}
    answers["items"] = [{k: (f"{v[:-1]}{i}" if k == "code" else v) for k, (_, v) in item_fields.items()}
                        for i in range(ITEM_ANSWERS)]
    pages.append({"id": "p_items", "title": _t("Preces", "Items"), "fields": ["items"]})
    item_rules = [
        ("item_qty", "item.qty >= param.min_qty", None),
        ("item_value", "item.qty * item.price <= 100000", None),
        ("item_recent", "days_between(item.date, today()) < 3650", None),
        ("item_due", "item.due == null || item.due >= item.date", "item.flag == true"),
        ("item_unique", "size(items.filter(o, o.code == item.code)) == 1", "item.code != null"),
        ("item_weight", "item.weight <= 500", None),
        ("item_kind", "item.kind != 'c' || item.extra == true", None),
        ("item_name", "size(item.name) >= 2", None),
        ("item_email", "item.email == null || item.email.contains('@')", None),
        ("item_price", "item.price > 0 || item.extra == true", None),
        ("item_month", "month(item.date) >= 1", None),
        ("item_ratio", "item.weight * item.qty < 10000", None),
    ]
    for rule_id, check, when in item_rules:
        rule = {"id": rule_id, "for_each": "items", "check": check, "message": _t(f"Pārbaude {rule_id}", f"Check {rule_id}")}
        if when:
            rule["when"] = when
        rules.append(rule)
    lines.append({"id": "items", "label": _t("Preces", "Items"), "for_each": "items",
                  "quantity": "item.qty", "amount": "item.price", "vat_percent": "21",
                  "reductions": [{"id": "flag", "when": "item.flag == true", "percent": "10", "label": _t("Atlaide")},
                                 {"id": "bulk", "when": "item.qty >= 3", "amount": "1.00", "label": _t("Vairumā")}],
                  "combine": "best", "reference": "{items_reference} {item.code}"})
    computed.update({
        "item_count": {"type": "integer", "expr": "size(items)"},
        "qty_total": {"type": "number", "expr": "sum(items.map(i, i.qty))"},
        "flagged": {"type": "integer", "expr": "size(items.filter(i, i.flag == true))"},
        "items_value": {"type": "money", "expr": "sum(items.map(i, i.qty * i.price))"},
        "many_items": {"type": "boolean", "expr": "qty_total > 10"},
        "items_reference": {"type": "text", "expr": "t01 + ' ' + string(item_count)"},
    })
    # top-level fields, 10 to a page
    top = []
    for number in range(1, top_level + 1):
        name = f"t{number:02d}"
        kind = (number - 1) % 20 + 1
        spec, answer = _leaf(kind, "", f"t{number - kind + 7:02d}", f"t{number - kind + 8:02d}")
        # conditions must point at fields that exist
        if "when" in spec and number - kind + 8 > top_level:
            spec.pop("when")
        fields[name] = spec
        answers[name] = answer
        top.append(name)
    for start in range(0, len(top), 10):
        page = {"id": f"p_t{start // 10 + 1}", "title": _t(f"Lapa T{start // 10 + 1}"), "fields": top[start:start + 10]}
        if start // 10 == 7:
            page["when"] = "t07 == true || many_items"
        pages.append(page)
    numbers = [t for t in top if (int(t[1:]) - 1) % 20 + 1 in (3, 4)]
    dates = [t for t in top if (int(t[1:]) - 1) % 20 + 1 == 6]
    flags = [t for t in top if (int(t[1:]) - 1) % 20 + 1 == 7]
    checks = []
    for a, b in zip(numbers, numbers[1:]):
        checks.append((f"{a} + {b} < 2000000", None))
    for d in dates:
        checks.append((f"{d} < today() && age({d}) < 120", None))
        checks.append((f"months_between({d}, today()) >= 1", f"{flags[0]} == true"))
    for f in flags:
        checks.append((f"{f} == true || item_count > 0", None))
    checks += [
        ("g01_sum + g02_sum > 0", None), ("items_value < 1000000", None), ("flagged <= item_count", None),
        ("t16 == t36", "t16 != null"), ("size(t10) <= 2", "t10 != null"), ("t02.size() >= 2", None),
        ("!many_items || flagged >= 1", None), ("g05.f08 in ['a', 'b', 'c']", None),
        ("t05 < 100000.00", None), ("t11 != null || t12 != null", None), ("g10_age >= 0", None),
        ("t13 == null || size(t13) < 2000", None), ("t18.size() > 5", None), ("t09 != 'c' || t07 == true", None),
        ("qty_total >= item_count", None), ("t08 == 'a' || t08 == 'b' || t08 == 'c'", None),
    ]
    for number, (check, when) in enumerate(checks[:65 - len(rules)], 1):
        rule = {"id": f"top_{number:02d}", "check": check, "message": _t(f"Pārbaude {number}", f"Check {number}")}
        if number % 4 == 0:
            rule["severity"] = "warning"
        if when:
            rule["when"] = when
        rules.append(rule)
    lines.append({"id": "base", "label": _t("Pamatmaksa", "Base fee"), "amount": "param.fee_g01",
                  "exemptions": [{"id": "pensioner", "when": "t20 == true", "label": _t("Pensionārs")}]})
    service = {
        "format": 1,
        "service": {"id": "bench-large", "code": "BIG", "version": "1.0.0",
                    "title": _t("Liels ģenerēts pakalpojums", "Large generated service"),
                    "summary": _t("Veiktspējas mērījumiem.", "For benchmarks."),
                    "audience": ["person"], "processing_days": 10},
        "parameters": parameters,
        "choices": {"kinds": [{"value": v, "label": _t(v.upper())} for v in ("a", "b", "c")]},
        "fields": fields,
        "computed": computed,
        "pages": pages,
        "rules": rules,
        "fees": {"currency": "EUR", "reference": "{t01} {t16}", "lines": lines},
        "routing": {"to": "council", "rules": [{"when": "fee_total > 1000", "to": "finance"}]},
    }
    counts = {"fields": _count_fields(fields), "rules": len(rules), "computed": len(computed),
              "fee_lines": len(lines), "pages": len(pages), "repeat_entries": ITEM_ANSWERS}
    # JSON is YAML: every string quoted, so nothing is resolved by accident
    return json.dumps(service, ensure_ascii=False, indent=1), answers, counts


def _count_fields(fields: dict) -> int:
    return sum(1 + _count_fields(spec.get("fields", {})) for spec in fields.values())


def compile_large(text: str):
    from builder.compiler import compile_text
    from builder.problems import Problems
    problems = Problems()
    started = time.perf_counter()
    service = compile_text(text, "<bench-large>", problems, {})
    seconds = time.perf_counter() - started
    if service is None:
        shown = "\n".join(p.format() for p in problems.sorted()[:20])
        raise RuntimeError(f"the generated large service does not compile:\n{shown}")
    return service, seconds


def _effective(service):
    from builder.catalogue import load_catalogue
    from builder.overlay import bind
    catalogue = load_catalogue(ROOT / "definitions")
    return bind(service, catalogue.municipalities["riga"])


def _timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def real_cases():
    """(effective service, answers, context) for every test case of the real services."""
    from builder import deftests
    from builder.catalogue import load_catalogue
    from builder.engine import Context
    from builder.overlay import bind
    catalogue = load_catalogue(ROOT / "definitions")
    cases = []
    for service in catalogue.services.values():
        for case in service.tests:
            municipality = catalogue.municipalities.get(str(case.context.get("municipality")))
            if municipality is None:
                continue
            answers = deftests._with_fixtures(service.fields, case.answers, Path(catalogue.root) / "fixtures")
            today = deftests._date(case.context.get("today")) or TODAY
            cases.append((bind(service, municipality), answers, Context(today=today, person=case.context.get("person"))))
    return cases


def figures(runs: int, *, groups: int = 10, top_level: int = 77, baseline_rounds: int = 3) -> list[Figure]:
    from builder.engine import Context, evaluate
    text, answers, counts = generate(groups, top_level)
    service, compile_s = compile_large(text)
    effective = _effective(service)
    context = Context(today=TODAY, person=PERSON)
    outcome = evaluate(effective, answers, context)
    if outcome.errors:
        raise RuntimeError(f"the generated answers are not valid: {[e.key for e in outcome.errors[:10]]}")
    evaluate(effective, answers, context)   # warm
    times = _timed(lambda: evaluate(effective, answers, context), runs)
    cases = real_cases()
    per_case = []
    for _ in range(baseline_rounds):
        for eff, ans, ctx in cases:
            started = time.perf_counter()
            evaluate(eff, ans, ctx)
            per_case.append(time.perf_counter() - started)
    median_ms, p95_ms = statistics.median(times) * 1000, _p95(times) * 1000
    base_ms = statistics.median(per_case) * 1000
    out = [emit(Figure(
        "large.evaluate_vs_real_services", f"evaluate one full submission of a {counts['fields']}-field, "
        f"{counts['rules']}-rule service vs the real services' test answers",
        ratio(median_ms, base_ms), "large / real services (median)", "lower",
        {"median_ms": round(median_ms, 3), "p95_ms": round(p95_ms, 3), "runs": runs,
         "baseline_median_ms": round(base_ms, 3), "baseline_p95_ms": round(_p95(per_case) * 1000, 3),
         "baseline_cases": len(cases), "fee_total": str(outcome.fees.total),
         "open_forms_reported_ms": OPEN_FORMS_MS, **counts},
        note=f"context, not a measured baseline: Open Forms reports ~{OPEN_FORMS_MS} ms per logic evaluation "
             f"at this size ({OPEN_FORMS_MS / median_ms:.0f}x our median)")),
        emit(Figure(
            "large.compile", f"compile the {counts['fields']}-field service", ratio(compile_s * 1000, median_ms),
            "compile / one evaluation", "lower",
            {"compile_ms": round(compile_s * 1000, 1), "yaml_kb": round(len(text.encode()) / 1024, 1)}))]
    return out
