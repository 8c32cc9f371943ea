"""`process.information_requests`: compiled with its defaults, its way to the waiting state
and back counted for reachability (E504, W502), its states checked (E405, E506)."""
from __future__ import annotations

from builder.compiler import compile_text
from builder.model import CONTINUES, PAUSED
from builder.problems import Problems

from .defs import service

PROCESS = """
  initial: submitted
  states:
    submitted: {label: Iesniegts}
    in_review: {label: Izskatīšanā}
    waiting: {label: Gaida informāciju}
    done: {label: Gatavs, final: true}
  transitions:
    - {from: submitted, to: in_review, by: [clerk]}
    - {from: in_review, to: done, by: [clerk]}
  information_requests:%s"""


def compiled(requests: str):
    problems = Problems()
    result = compile_text(service(process=PROCESS % requests), "x.yaml", problems)
    return result, [p.format() for p in problems]


def test_defaults_ask_from_every_open_state_by_a_clerk_and_let_the_term_run():
    result, problems = compiled("\n    waiting: waiting")
    assert not any("error" in p for p in problems), problems
    asking = result.process.information_requests
    assert asking.sources == ("submitted", "in_review") and asking.by == ("clerk",)
    assert asking.deadline == CONTINUES and asking.answer_days is None


def test_the_waiting_state_is_reached_and_left_through_the_requests():
    result, problems = compiled("\n    from: [in_review]\n    waiting: waiting\n    deadline: paused\n    answer_days: 10")
    assert not any(code in p for p in problems for code in ("E504", "W502")), problems
    assert result.process.information_requests.deadline == PAUSED
    assert result.process.next_states("waiting") == {"in_review"}
    assert result.process.next_states("in_review") == {"done", "waiting"}
    # without the requests the waiting state is unreachable and a dead end
    plain = service(process=PROCESS.split("  information_requests:")[0])
    problems = Problems()
    compile_text(plain, "x.yaml", problems)
    assert any("E504" in p.format() and "waiting" in p.format() for p in problems)


def test_a_final_or_asked_from_waiting_state_is_refused():
    _result, final = compiled("\n    waiting: done")
    assert any("E506" in p and "is final" in p for p in final), final
    _result, looped = compiled("\n    from: [in_review, waiting]\n    waiting: waiting")
    assert any("E506" in p and "asked from" in p for p in looped), looped
    _result, unknown = compiled("\n    from: [in_reveiw]\n    waiting: waiting")
    assert any("E405" in p and 'Did you mean "in_review"' in p for p in unknown), unknown
