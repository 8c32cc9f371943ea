"""The short cuts a post takes, each against the long way: a page `always_visible` says
no answer can hide is shown by the engine for every shipped service's answers (so a post
or a new entry need not evaluate the stored answers first to know it may be answered),
and `answers.copied` copies stored answers as `copy.deepcopy` does."""
from __future__ import annotations

import copy
from datetime import date

from builder.engine import Context, evaluate, to_json
from runtime.web.resident.answers import copied, with_values
from runtime.web.resident.visibility import always_visible

from .resident_support import TODAY, real_catalogue
from .test_render_plans import offered_services


def answer_sets(effective) -> list[dict]:
    """No answers, each definition test's as given, and as a draft keeps them after a save."""
    found = [{}]
    for case in effective.service.tests:
        found.append(dict(case.answers))
        found.append(to_json(evaluate(effective, dict(case.answers), Context(today=TODAY)).values))
    return found


def test_a_page_said_to_be_always_visible_is_visible_with_every_services_answers():
    said = {True: 0, False: 0}
    for effective in offered_services():
        service = effective.service
        for page in service.pages:
            always = always_visible(service, page)
            said[always] += 1
            if not always:
                continue
            for answers in answer_sets(effective):
                outcome = evaluate(effective, answers, Context(today=TODAY))
                assert page.id in outcome.visible_pages, (service.id, page.id, answers)
    assert said[True] and said[False]       # both kinds are there, so both ways are tested


def test_a_page_with_a_condition_is_never_said_to_be_always_visible():
    for service in real_catalogue().services.values():
        for page in service.pages:
            if page.when is not None:
                assert not always_visible(service, page), (service.id, page.id)


def test_copied_answers_equal_a_deep_copy_and_share_nothing_mutable():
    answers = {"owner": {"surname": "Bērziņš", "born": date(1990, 1, 1), "kinds": ["a", "b"]},
               "dogs": [{"name": "Reksis", "files": [{"id": "x"}]}, {}], "count": 2, "none": None}
    found = copied(answers)
    assert found == copy.deepcopy(answers)

    def containers(value):
        if isinstance(value, (dict, list)):
            yield value
            for item in value.values() if isinstance(value, dict) else value:
                yield from containers(item)
    originals = {id(c) for c in containers(answers)}
    assert not any(id(c) in originals for c in containers(found))


def test_with_values_leaves_the_stored_answers_as_they_were():
    stored = {"dogs": [{"name": "Reksis"}], "owner": {"surname": "Bērziņš"}}
    before = copy.deepcopy(stored)
    changed = with_values(stored, {"owner.surname": "Kalniņš", "dogs": [{"name": "Pūka"}]})
    assert changed == {"dogs": [{"name": "Pūka"}], "owner": {"surname": "Kalniņš"}}
    changed["owner"]["surname"] = "x"
    assert stored == before
