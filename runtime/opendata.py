"""The open data sets, aggregated from the cases (`pkip publish opendata`, monthly from cron
or a systemd timer). Only counts, sums and shares per municipality, service, channel,
month, status or institution leave: never an answer, a name, a personal code or an
e-mail; the publisher blanks counts under 5 and what is derived from them
(`publishers.opendata`).

The eleven data sets of issue 15 are built: the service catalogue, applications
per service, municipality, channel and month, processing times and the share within the
deadline, outcomes, registered street trading places, trading permits issued, tree
felling permits (municipality, location zone, species: permits and trees), dog fees
(counts and sums per municipality and year), e-invoices received per institution and
month, commission decisions, preschool queue lengths per institution and age group (the
child's age in whole years on the day of the run).
"""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator

from builder.engine.facts import catalogue_facts
from builder.expressions.dates import birth_date, working_days_between
from sqlalchemy import select

from .cases.access import is_commission_role
from .state import RuntimeState
from .storage.models import CaseHistoryEntry, QueueEntry, ServiceVersion, Submission

PUBLISHER_NAME = "PKIP (pašvaldību e-pakalpojumi)"


def _text(lv: str, en: str) -> dict[str, str]:
    return {"lv": lv, "en": en}


def _cases(state: RuntimeState) -> Iterator[tuple[Submission, str]]:
    with state.database.transaction() as session:
        query = select(Submission, ServiceVersion.service_id).join(
            ServiceVersion, ServiceVersion.id == Submission.service_version_id).order_by(Submission.id)
        for case, service_id in session.execute(query).yield_per(1000):
            yield case, service_id


def _decisions(state: RuntimeState) -> dict[int, tuple[str, datetime.datetime]]:
    """Each case's first entry into a final state of its service: (state, when)."""
    finals = {sid: {name for name, s in service.process.states.items() if s.final}
              for sid, service in state.catalogue.services.items() if service.process}
    decided: dict[int, tuple[str, datetime.datetime]] = {}
    with state.database.transaction() as session:
        query = (select(CaseHistoryEntry.submission_id, CaseHistoryEntry.to_status, CaseHistoryEntry.at,
                        ServiceVersion.service_id)
                 .join(Submission, Submission.id == CaseHistoryEntry.submission_id)
                 .join(ServiceVersion, ServiceVersion.id == Submission.service_version_id).order_by(CaseHistoryEntry.id))
        for case_id, status, at, service_id in session.execute(query).yield_per(1000):
            if status in finals.get(service_id, ()) and case_id not in decided:
                decided[case_id] = (status, at)
    return decided


TRADING_SERVICES = ("street-trading-permit", "event-trading-permit")


def _commission_steps(state: RuntimeState) -> set[tuple[str, str, str]]:
    """(service, from, to) of every process step a commission makes."""
    return {(sid, t.source, t.target) for sid, service in state.catalogue.services.items() if service.process
            for t in service.process.transitions if any(is_commission_role(role) for role in t.by)}


def _history_counts(state: RuntimeState) -> tuple[Counter, Counter]:
    """Commission decisions per (municipality, service, outcome, month), and permits issued
    (entries into a state with a result) per (municipality, service, month)."""
    steps, decisions, issued = _commission_steps(state), Counter(), Counter()
    results = {(sid, name) for sid, service in state.catalogue.services.items() if service.process
               for name, st in service.process.states.items() if st.result}
    with state.database.transaction() as session:
        query = (select(Submission.municipality_id, ServiceVersion.service_id, CaseHistoryEntry.from_status,
                        CaseHistoryEntry.to_status, CaseHistoryEntry.at)
                 .join(Submission, Submission.id == CaseHistoryEntry.submission_id)
                 .join(ServiceVersion, ServiceVersion.id == Submission.service_version_id))
        for municipality, service_id, source, target, at in session.execute(query).yield_per(1000):
            month = at.strftime("%Y-%m")
            if (service_id, source, target) in steps:
                decisions[(municipality, service_id, target, month)] += 1
            if (service_id, target) in results:
                issued[(municipality, service_id, month)] += 1
    return decisions, issued


def _trees(case: Submission, trees: dict) -> None:
    zone = str(((case.answers or {}).get("land") or {}).get("location_zone") or "")
    counted = Counter(str(tree.get("species") or "") for tree in (case.answers or {}).get("trees") or ())
    for species, number in counted.items():
        entry = trees[(case.municipality_id, zone, species)]
        entry[0] += 1
        entry[1] += number


def _places(state: RuntimeState) -> list[list[Any]]:
    rows = []
    for mid in sorted(state.catalogue.municipalities):
        effective = state.catalogue.effective(mid, "street-trading-permit")
        if effective is None:
            continue
        on_municipal_land = effective.params.get("municipal_land_places") or {}
        for option in effective.params.get("trading_places") or ():
            rows.append([mid, option.value, option.label.get_for("lv"), option.label.get_for("en"),
                         "yes" if option.value in on_municipal_land else "no"])
    return rows


def _age_years(answers: dict, today: datetime.date) -> str:
    child = (answers or {}).get("child") or {}
    born = birth_date(str(child.get("personal_code") or "")) if child.get("personal_code") else None
    if born is None and child.get("birth_date"):
        born = datetime.date.fromisoformat(str(child["birth_date"]))
    if born is None:
        return ""
    return str(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))


def _queue_lengths(state: RuntimeState, today: datetime.date) -> Counter:
    """Cases waiting per (municipality, service, institution, age group): entries of cases
    whose status is one of their queue's active states."""
    active = {sid: set(service.queue.active_states) for sid, service in state.catalogue.services.items() if service.queue}
    lengths: Counter = Counter()
    with state.database.transaction() as session:
        query = (select(QueueEntry.municipality_id, QueueEntry.service_id, QueueEntry.partition, Submission.status,
                        Submission.answers).join(Submission, Submission.id == QueueEntry.submission_id))
        for municipality, service_id, partition, status, answers in session.execute(query).yield_per(1000):
            if status in active.get(service_id, ()):
                lengths[(municipality, service_id, partition, _age_years(answers, today))] += 1
    return lengths


# name -> what a data set says of itself: title and description (lv, en), its columns, the
# counts among them (the publisher blanks those under 5) and what is derived from which count
SETS: dict[str, dict[str, Any]] = {
    "pkip-service-catalogue": {
        "title": ("E-pakalpojumu katalogs", "E-service catalogue"),
        "description": ("Pašvaldību piedāvātie e-pakalpojumi", "The e-services each municipality offers"),
        "columns": ["municipality", "service", "title_lv", "title_en", "processing_working_days"]},
    "pkip-applications": {
        "title": ("Iesniegumi", "Applications"),
        "description": ("Iesniegumu skaits pa pakalpojumiem, pašvaldībām, kanāliem un mēnešiem",
                        "Applications per service, municipality, channel and month"),
        "columns": ["municipality", "service", "channel", "month", "applications"], "count_columns": ["applications"]},
    "pkip-processing-times": {
        "title": ("Izskatīšanas laiks", "Processing times"),
        "description": ("Izskatīšanas ilgums darbdienās un termiņā izskatīto daļa",
                        "Processing time in working days and the share decided within the deadline"),
        "columns": ["municipality", "service", "decided", "median_working_days", "share_within_deadline"],
        "count_columns": ["decided"], "derived_from": {"median_working_days": "decided", "share_within_deadline": "decided"}},
    "pkip-outcomes": {
        "title": ("Iznākumi", "Outcomes"),
        "description": ("Izskatīto lietu skaits pa iznākumiem", "Decided cases per outcome"),
        "columns": ["municipality", "service", "outcome", "cases"], "count_columns": ["cases"]},
    "pkip-street-trading-places": {
        "title": ("Ielu tirdzniecības vietas", "Street trading places"),
        "description": ("Pašvaldību reģistrētās ielu tirdzniecības vietas", "Registered street trading places"),
        "columns": ["municipality", "place", "name_lv", "name_en", "on_municipal_land"]},
    "pkip-trading-permits": {
        "title": ("Izsniegtās tirdzniecības atļaujas", "Trading permits issued"),
        "description": ("Izsniegto ielu un pasākumu tirdzniecības atļauju skaits", "Street and event trading permits issued"),
        "columns": ["municipality", "service", "month", "permits"], "count_columns": ["permits"]},
    "pkip-tree-felling-permits": {
        "title": ("Koku ciršanas atļaujas", "Tree felling permits"),
        "description": ("Izsniegtās atļaujas pa vietas zonām un sugām", "Permits issued per location zone and species"),
        "columns": ["municipality", "location_zone", "species", "permits", "trees"], "count_columns": ["permits"],
        "derived_from": {"trees": "permits"}},
    "pkip-commission-decisions": {
        "title": ("Komisiju lēmumi", "Commission decisions"),
        "description": ("Komisiju lēmumu skaits pa iznākumiem un mēnešiem", "Commission decisions per outcome and month"),
        "columns": ["municipality", "service", "outcome", "month", "decisions"], "count_columns": ["decisions"]},
    "pkip-preschool-queues": {
        "title": ("Pirmsskolas rindas", "Preschool queues"),
        "description": ("Rindā gaidošo bērnu skaits pa iestādēm un vecuma grupām (pilni gadi)",
                        "Children waiting per institution and age group (whole years)"),
        "columns": ["municipality", "service", "institution", "age_years", "waiting"], "count_columns": ["waiting"]},
    "pkip-dog-fees": {
        "title": ("Suņu nodeva", "Dog-keeping fees"),
        "description": ("Iesniegumu skaits un aprēķinātās nodevas summa", "Applications and fees charged"),
        "columns": ["municipality", "year", "applications", "fees_eur"], "count_columns": ["applications"],
        "derived_from": {"fees_eur": "applications"}},
    "pkip-e-invoices": {
        "title": ("Saņemtie e-rēķini", "E-invoices received"),
        "description": ("Saņemto e-rēķinu skaits pa iestādēm un mēnešiem", "E-invoices received per institution and month"),
        "columns": ["municipality", "institution", "month", "e_invoices"], "count_columns": ["e_invoices"]},
}


@dataclass
class _Tally:
    """What one pass over the cases counts, by the data set's key columns."""
    applications: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    invoices: Counter = field(default_factory=Counter)
    timing: defaultdict = field(default_factory=lambda: defaultdict(list))        # [(working days, in time)]
    trees: defaultdict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))          # [permits, trees]
    dog_fees: defaultdict = field(default_factory=lambda: defaultdict(lambda: [0, Decimal("0")]))  # [cases, sum]


def _tally(state: RuntimeState) -> _Tally:
    tally, decided = _Tally(), _decisions(state)
    for case, service_id in _cases(state):
        month = case.submitted_at.strftime("%Y-%m")
        tally.applications[(case.municipality_id, service_id, case.channel, month)] += 1
        if case.id in decided:
            status, at = decided[case.id]
            tally.outcomes[(case.municipality_id, service_id, status)] += 1
            days = working_days_between(case.submitted_at.date(), at.date())
            in_time = case.due_on is None or at.date() <= case.due_on
            tally.timing[(case.municipality_id, service_id)].append((days, in_time))
            if service_id == "tree-felling-permit" and state.catalogue.services[service_id].process.states[status].result:
                _trees(case, tally.trees)
        if service_id == "dog-fee":
            entry = tally.dog_fees[(case.municipality_id, case.submitted_at.year)]
            entry[0] += 1
            entry[1] += case.fee_total or Decimal("0")
        if service_id == "e-invoice":
            tally.invoices[(case.municipality_id, case.institution_id or "", month)] += 1
    return tally


def _counted(counter: Counter) -> list[list[Any]]:
    return [[*key, count] for key, count in sorted(counter.items())]


def _rows(state: RuntimeState) -> dict[str, list[list[Any]]]:
    """Each data set's rows, sorted by its key columns."""
    tally, (decisions, issued), today = _tally(state), _history_counts(state), datetime.date.today()
    return {
        "pkip-service-catalogue": [[m, e.service.id, e.service.title.get_for("lv"), e.service.title.get_for("en"),
                                    catalogue_facts(e, today).processing_days]
                                   for m in sorted(state.catalogue.municipalities)
                                   for e in state.catalogue.enabled_services(m)],
        "pkip-applications": _counted(tally.applications),
        "pkip-processing-times": [[m, s, len(v), sorted(d for d, _ in v)[len(v) // 2],
                                   f"{sum(ok for _, ok in v) / len(v):.2f}"] for (m, s), v in sorted(tally.timing.items())],
        "pkip-outcomes": _counted(tally.outcomes),
        "pkip-street-trading-places": _places(state),
        "pkip-trading-permits": [[*key, n] for key, n in sorted(issued.items()) if key[1] in TRADING_SERVICES],
        "pkip-tree-felling-permits": [[*key, p, t] for key, (p, t) in sorted(tally.trees.items())],
        "pkip-commission-decisions": _counted(decisions),
        "pkip-preschool-queues": _counted(_queue_lengths(state, today)),
        "pkip-dog-fees": [[m, y, n, f"{total:.2f}"] for (m, y), (n, total) in sorted(tally.dog_fees.items())],
        "pkip-e-invoices": _counted(tally.invoices),
    }


def data_sets(state: RuntimeState, period: str) -> list[dict[str, Any]]:
    base = {"publisher": PUBLISHER_NAME, "period": period, "tags": ["pkip", "e-pakalpojumi"]}
    rows = _rows(state)
    return [{**base, "name": name, **{key: _text(*value) if key in ("title", "description") else value
                                      for key, value in described.items()}, "rows": rows[name]}
            for name, described in SETS.items()]
