"""A sealed token opened once per process (`sealing.unsealed`): the same content as
Fernet's `decrypt(ttl=...)`, its age checked on every call, and a token that does not
open tried in full every time; the signed-in person's code decrypted once for many
requests, while an altered code and an old sign-in still end the sign-in."""
from __future__ import annotations

import time

import pytest
from cryptography.fernet import Fernet, InvalidToken

import runtime.identity as identity
from runtime.sealing import _opened, fernet_for, unsealed

from .resident_support import PET
from .support_documents import CODE_A, dev_sign_in, real_app

SECRET, PURPOSE, TTL = "s" * 40, "a purpose", 3600


@pytest.fixture
def decrypts(monkeypatch):
    """Count Fernet's decrypts (the HMAC and AES work), with an empty cache."""
    _opened.cache_clear()
    counted = []
    original = Fernet.decrypt
    monkeypatch.setattr(Fernet, "decrypt", lambda self, *a, **k: counted.append(1) or original(self, *a, **k))
    yield counted
    _opened.cache_clear()


def test_a_token_opens_as_fernets_decrypt_and_once(decrypts):
    token = fernet_for(SECRET, PURPOSE).encrypt(b"16117519997").decode()
    assert unsealed(SECRET, PURPOSE, token, TTL) == b"16117519997"
    assert unsealed(SECRET, PURPOSE, token, TTL) == b"16117519997"
    assert decrypts == [1]


def test_another_key_or_purpose_does_not_open_a_kept_token(decrypts):
    token = fernet_for(SECRET, PURPOSE).encrypt(b"x").decode()
    unsealed(SECRET, PURPOSE, token, TTL)
    for secret, purpose in (("t" * 40, PURPOSE), (SECRET, "another purpose")):
        with pytest.raises(InvalidToken):
            unsealed(secret, purpose, token, TTL)


def test_an_altered_token_is_tried_in_full_every_time(decrypts):
    token = fernet_for(SECRET, PURPOSE).encrypt(b"x").decode()
    altered = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
    for _ in range(3):
        with pytest.raises(InvalidToken):
            unsealed(SECRET, PURPOSE, altered, TTL)
    assert decrypts == [1, 1, 1]


def test_a_kept_token_past_its_age_no_longer_opens(decrypts, monkeypatch):
    sealed_at = int(time.time())
    token = fernet_for(SECRET, PURPOSE).encrypt_at_time(b"x", sealed_at).decode()
    assert unsealed(SECRET, PURPOSE, token, TTL) == b"x"
    monkeypatch.setattr(time, "time", lambda: sealed_at + TTL + 1)
    with pytest.raises(InvalidToken):
        unsealed(SECRET, PURPOSE, token, TTL)
    monkeypatch.setattr(time, "time", lambda: sealed_at - 61)     # sealed "in the future": Fernet's skew
    with pytest.raises(InvalidToken):
        unsealed(SECRET, PURPOSE, token, TTL)


@pytest.mark.parametrize("token", [None, 7, "", "not base64!"])
def test_what_is_no_token_does_not_open(decrypts, token):
    with pytest.raises(InvalidToken):
        unsealed(SECRET, PURPOSE, token, TTL)


def test_the_signed_in_code_is_decrypted_once_for_many_requests(app_config, decrypts, monkeypatch):
    app = real_app(app_config, env="development", dev_signin=True)
    client = app.test_client()
    dev_sign_in(client, CODE_A)
    page_token = _page_token(client, f"{PET}/")
    started = client.post(f"{PET}/start", data={"csrf_token": page_token})
    question = started.headers["Location"]
    _opened.cache_clear()
    decrypts.clear()
    read = []
    original = identity._decrypted_person
    monkeypatch.setattr(identity, "_decrypted_person", lambda stored: read.append(1) or original(stored))
    for _ in range(3):
        assert client.get(question).status_code == 200
    assert read == [1, 1, 1] and decrypts == [1], "read on every request, decrypted once"
    sealed_at = int(time.time())
    monkeypatch.setattr(time, "time", lambda: sealed_at + identity.SIGN_IN_HOURS * 3600 + 120)
    client.get(question)
    assert "/signout" not in client.get("/my/").get_data(as_text=True), "an old sign-in ends though its code was kept"
    app.extensions["pkip"].database.dispose()


def _page_token(client, path: str) -> str:
    import re
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)
