""""Start now" decides the first page and a stop rule of the empty answers by the first
page's evaluation (`start.start_outcome`): for every shipped service in every
municipality offering it, with no person and each definition test's person, on each
test's day and today, in Latvian and English, its visible pages and stop are the full
evaluation's."""
from __future__ import annotations

from datetime import date

from builder.engine import Context, evaluate
from builder.deftests import _date
from runtime.web.resident.start import start_outcome

from .resident_support import TODAY, real_catalogue


def test_the_start_outcome_is_the_full_evaluations():
    catalogue = real_catalogue()
    compared, stopped = 0, 0
    for municipality_id in sorted(catalogue.municipalities):
        for service_id in sorted(catalogue.services):
            effective = catalogue.effective(municipality_id, service_id)
            if effective is None:
                continue
            tests = effective.service.tests
            persons = [None, *(t.context.get("person") for t in tests if t.context.get("person"))]
            days = {TODAY, date(2027, 1, 1), *(_date(t.context.get("today")) for t in tests if t.context.get("today"))}
            for person in persons:
                for today in sorted(days):
                    for language in ("lv", "en"):
                        context = Context(today=today, person=person, language=language)
                        full, started = evaluate(effective, {}, context), start_outcome(effective, context)
                        assert (started.visible_pages, started.stop) == (full.visible_pages, full.stop), \
                            (municipality_id, service_id, person, today)
                        compared += 1
                        stopped += full.stop is not None
    assert compared > 100 and stopped > 0, (compared, stopped)    # some stop rules fire at the start
