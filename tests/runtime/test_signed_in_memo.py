"""Who is signed in is checked once per request (`identity._signed_in` keeps the entry
that passed in `g`); a sign-in or sign-out later in the same request must be seen."""
from __future__ import annotations

from flask import session

from runtime import identity
from runtime.identity import Person, sign_in, sign_out, signed_in_names

from .signin_support import app, database_url  # noqa: F401 (fixtures)
from .support_documents import CODE_A, CODE_B

ANNA = Person(CODE_A, "Anna", "Bērziņa")
JANIS = Person(CODE_B, "Jānis", "Ozols")


def test_a_second_sign_in_in_the_same_request_is_seen(app):
    with app.test_request_context():
        sign_in(ANNA)
        assert signed_in_names() == {"given_name": "Anna", "surname": "Bērziņa"}
        anna_hash = identity.current_person_hash()
        sign_in(JANIS)      # as the OIDC callback does over an earlier sign-in
        assert signed_in_names() == {"given_name": "Jānis", "surname": "Ozols"}
        assert identity.current_person_hash() not in (None, anna_hash)
        assert identity.current_person()["given_name"] == "Jānis"


def test_sign_out_then_in_again_in_the_same_request_is_seen(app):
    with app.test_request_context():
        sign_in(ANNA)
        assert signed_in_names()["given_name"] == "Anna"
        sign_out()
        assert signed_in_names() is None and identity.current_person_hash() is None
        sign_in(JANIS)
        assert signed_in_names()["given_name"] == "Jānis"


def test_the_check_runs_once_per_request_and_gives_the_same_answer(app, monkeypatch):
    with app.test_request_context():
        sign_in(ANNA)
        first = signed_in_names()
    checks = []
    real = identity._current_generation
    monkeypatch.setattr(identity, "_current_generation", lambda stored: checks.append(1) or real(stored))
    with app.test_request_context():
        sign_in(ANNA)
        answers = [signed_in_names(), signed_in_names(), identity.current_acting_for(), identity.current_person_hash()]
        assert answers[:2] == [first, first] and answers[2] is None and answers[3] is not None
        assert len(checks) == 1


def test_an_entry_put_in_after_the_check_is_checked_afresh(app):
    """The memo holds for the entry it checked only: one that replaces it in the same
    request (here one from before a sign-out elsewhere) is checked, and dropped."""
    with app.test_request_context():
        sign_in(ANNA)
        assert signed_in_names() is not None
        session[identity.SESSION_KEY] = {**session[identity.SESSION_KEY], "generation": -1}
        assert signed_in_names() is None and identity.SESSION_KEY not in session
        assert signed_in_names() is None
