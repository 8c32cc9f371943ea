"""The staff inbox with a year's cases in PostgreSQL (issue 14: 252,148 cases a year
across the municipalities), in one process, against the resident owner page of the same
app on the same database, taking turns request by request.

The cases are written with COPY (a few seconds for the year), spread as a year of the
programme would be: Riga a third, the other municipalities alike; each municipality's
enabled services; each service routed to one of its municipality's institutions; the
submission times over the last 365 days; most older cases in a final state of their
service's process, recent ones mostly open; due dates 20 working days (28 calendar days)
after submission, so that some open cases are overdue; one case in ten filed in person.

Measured as a clerk of the Riga institution with the most cases: the inbox's default view
(open cases by due date, page 1, with the counts per status), a status filter, overdue,
page 50, search by a case reference and by an applicant's surname, and the counts per
status alone (the use case's query, without the page). Each figure: the median ms, as a
ratio to the owner page's median in the same run (lower is better).

    python -m bench.inbox --explain [--cases N]   the query plans (EXPLAIN ANALYZE) of each view
"""
from __future__ import annotations

import argparse
import datetime
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import event, select

from .report import Figure, emit, ratio

YEAR = 252_148
GIVEN = ("Jānis", "Anna", "Pēteris", "Līga", "Andris", "Ilze", "Māris", "Inese", "Edgars", "Kristīne")
# surnames as varied as a year's applicants: a stem and one of a thousand endings
STEMS = ("Bērziņ", "Kalniņ", "Ozol", "Liep", "Krūmiņ", "Zariņ", "Janson", "Vītol", "Balod", "Eglīt", "Sproģ",
         "Grīnberg")
COLUMNS = ("reference", "municipality_id", "service_version_id", "answers", "fee_total", "status", "submitted_at",
           "person_code_hash", "locale", "channel", "route", "institution_id", "deadline_days", "due_on",
           "facts_from")
VIEWS = {"default": "", "status_filter": "?status={status}", "overdue": "?due=overdue", "page_50": "?page=50",
         "search_reference": "?q={reference}", "search_applicant": "?q={surname}"}


def service_plan(catalogue: Any, version_ids: dict[str, int]) -> list[tuple]:
    """(municipality, service, version id, institution, open states, final states, share)."""
    plans = []
    municipalities = sorted(catalogue.municipalities)
    for index, municipality_id in enumerate(municipalities):
        municipality = catalogue.municipalities[municipality_id]
        institutions = sorted(municipality.institutions) or [None]
        share = 1 / 3 if municipality_id == "riga" else (2 / 3) / (len(municipalities) - 1)
        services = [e.service for e in catalogue.enabled_services(municipality_id) if e.service.id in version_ids]
        for number, service in enumerate(services):
            states = service.process.states if service.process else {}
            finals = [s for s, state in states.items() if state.final] or ["decided"]
            opens = [s for s, state in states.items() if not state.final] or ["submitted"]
            institution = institutions[(number + index) % len(institutions)]
            plans.append((municipality_id, service.id, version_ids[service.id], institution, opens, finals,
                          share / max(len(services), 1), municipality.reference_code, service.code))
    return plans


def rows(plans: list[tuple], count: int, today: datetime.date, seed: int = 14) -> Iterator[tuple]:
    chance = random.Random(seed)
    weights = [plan[6] for plan in plans]
    numbers: dict[tuple, int] = {}
    now = datetime.datetime.combine(today, datetime.time(12), datetime.timezone.utc)
    for _ in range(count):
        municipality, service, version, institution, opens, finals, _share, code, short = \
            chance.choices(plans, weights)[0]
        age = chance.random() * 365
        submitted = now - datetime.timedelta(days=age, seconds=chance.randrange(86400))
        closed = chance.random() < (0.9 if age > 60 else 0.3)
        status = chance.choice(finals if closed else opens)
        key = (code, short, submitted.year)
        numbers[key] = numbers.get(key, 0) + 1
        surname = f"{chance.choice(STEMS)}a-{chance.randrange(1000):03d}"
        answers = {"applicant": {"given_name": chance.choice(GIVEN), "surname": surname,
                                 "email": f"person{chance.randrange(100000)}@example.lv"}}
        yield (f"{code}-{short}-{submitted.year}-{numbers[key]:06d}", municipality, version,
               json.dumps(answers, ensure_ascii=False), "0.00", status, submitted, f"{chance.getrandbits(256):064x}",
               "lv", "in-person" if chance.random() < 0.1 else "e-service", "clerk", institution, 20,
               (submitted + datetime.timedelta(days=28)).date(), "submission")


def load(app: Any, count: int, today: datetime.date) -> tuple[float, list[tuple]]:
    """Write `count` cases with COPY; seconds taken and the plan used."""
    from runtime.storage.models import ServiceVersion
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        version_ids = {service_id: version_id for version_id, service_id in
                       session.execute(select(ServiceVersion.id, ServiceVersion.service_id))}
    plans = service_plan(state.catalogue, version_ids)
    started = time.perf_counter()
    raw = state.database.engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY submissions ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows(plans, count, today):
                    copy.write_row(row)
        raw.commit()
        raw.driver_connection.autocommit = True      # as autovacuum would after a day's writes
        with raw.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE submissions")
    finally:
        raw.close()
    return time.perf_counter() - started, plans


def busiest_institution(app: Any) -> tuple[str, dict[str, str]]:
    """Riga's institution with the most cases, and values for the views' URLs."""
    from sqlalchemy import func
    from runtime.storage.models import Submission
    with app.extensions["pkip"].database.transaction() as session:
        institution, _count = session.execute(
            select(Submission.institution_id, func.count()).where(Submission.municipality_id == "riga")
            .group_by(Submission.institution_id).order_by(func.count().desc())).first()
        reference, answers = session.execute(
            select(Submission.reference, Submission.answers).where(
                Submission.municipality_id == "riga", Submission.institution_id == institution)
            .order_by(Submission.id.desc())).first()
        status = session.scalar(select(Submission.status).where(
            Submission.municipality_id == "riga", Submission.institution_id == institution)
            .group_by(Submission.status).order_by(func.count().desc()))
    return institution, {"reference": reference, "surname": answers["applicant"]["surname"], "status": status}


def clerk_client(app: Any, institution: str) -> Any:
    from runtime.cases.staff_accounts import Grant, create_user
    state = app.extensions["pkip"]
    create_user(state.database, state.catalogue, email="bench.clerk@riga.lv", name="Bench Clerk",
                grant=Grant("clerk", "riga", institution), password="bench password 14")
    app.config["WTF_CSRF_ENABLED"] = False
    browser = app.test_client()
    signed = browser.post("/staff/signin", data={"email": "bench.clerk@riga.lv", "password": "bench password 14"})
    if signed.status_code != 302:
        raise RuntimeError(f"the bench clerk could not sign in ({signed.status_code})")
    return browser


def counts_call(app: Any, institution: str):
    """The counts per status alone, as the inbox's use case queries them."""
    from runtime.cases.access import Actor, StaffRole
    from runtime.cases.inbox import _counts, final_states, scope_condition
    state = app.extensions["pkip"]
    actor = Actor(roles=(StaffRole.of_kind("clerk", "riga", institution),), staff_user_id=1)
    finals = final_states(state.catalogue)

    def run() -> int:
        with state.database.transaction() as session:
            return len(_counts(session, scope_condition(actor, "riga"), finals))
    return run


def timed(requests: dict[str, Any], count: int) -> dict[str, list[float]]:
    """Milliseconds per call for each target, taking turns; after 3 warm-up rounds."""
    times: dict[str, list[float]] = {name: [] for name in requests}
    for round_number in range(count + 3):
        for name, call in requests.items():
            started = time.perf_counter()
            call()
            if round_number >= 3:
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def targets(app: Any, institution: str, values: dict[str, str]) -> dict[str, Any]:
    from .inprocess import OWNER, _signed_in
    resident, clerk = _signed_in(app), clerk_client(app, institution)

    def get(browser: Any, path: str):
        def call():
            response = browser.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code}")
        return call
    found = {"owner_page": get(resident, OWNER)}
    for view, query in VIEWS.items():
        found[view] = get(clerk, "/staff/riga/inbox" + query.format(**values))
    found["counts"] = counts_call(app, institution)
    return found


def bench_app(folder: Path, database_url: str) -> Any:
    from app import create_app
    return create_app({"instance_path": str(folder), "database_url": database_url, "env": "development",
                       "dev_signin": True, "secret_key": "b" * 40, "auto_upgrade": True, "rate_limits": "off"})


def figures(cases: int, count: int) -> list[Figure]:
    from .servers import postgres_available, postgres_database
    if not postgres_available():
        return [emit(Figure("inbox.default", "the staff inbox with a year's cases", None, "inbox / owner page",
                            "lower", status="not available", note="no PostgreSQL server"))]
    out = []
    with tempfile.TemporaryDirectory(prefix="pkip-bench-inbox-") as tmp, postgres_database("inbox") as url:
        app = bench_app(Path(tmp), url)
        seconds, _plans = load(app, cases, datetime.date.today())
        institution, values = busiest_institution(app)
        times = timed(targets(app, institution, values), count)
        owner = statistics.median(times.pop("owner_page"))
        for view, values_ms in times.items():
            median = statistics.median(values_ms)
            out.append(emit(Figure(f"inbox.{view}", f"inbox {view.replace('_', ' ')} (median ms)",
                                   ratio(median, owner), "inbox / owner page", "lower",
                                   {"inbox_ms": round(median, 2), "owner_page_ms": round(owner, 2),
                                    "cases": cases, "load_seconds": round(seconds, 1), "requests": count,
                                    "institution": institution})))
        app.extensions["pkip"].database.dispose()
    return out


def explain(cases: int) -> None:
    """Load `cases`, then print EXPLAIN ANALYZE of every SELECT each inbox view runs."""
    from .servers import postgres_database
    with tempfile.TemporaryDirectory(prefix="pkip-bench-inbox-") as tmp, postgres_database("inbox") as url:
        app = bench_app(Path(tmp), url)
        load(app, cases, datetime.date.today())
        institution, values = busiest_institution(app)
        clerk = clerk_client(app, institution)
        engine = app.extensions["pkip"].database.engine
        for view, query in VIEWS.items():
            captured: list[tuple[str, Any]] = []

            def keep(conn, cursor, statement, parameters, context, executemany):
                if statement.lstrip().upper().startswith("SELECT") and "submissions" in statement:
                    captured.append((statement, parameters))
            event.listen(engine, "before_cursor_execute", keep)
            clerk.get("/staff/riga/inbox" + query.format(**values))
            event.remove(engine, "before_cursor_execute", keep)
            for statement, parameters in captured:
                with engine.connect() as connection:
                    plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    print(f"## {view}\n{statement}\n" + "\n".join(line for (line,) in plan) + "\n", flush=True)
        app.extensions["pkip"].database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--cases", type=int, default=YEAR)
    parser.add_argument("--requests", type=int, default=20)
    arguments = parser.parse_args()
    if arguments.explain:
        explain(arguments.cases)
    else:
        figures(arguments.cases, arguments.requests)


if __name__ == "__main__":
    main()
