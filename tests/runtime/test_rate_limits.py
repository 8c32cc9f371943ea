"""Rate limits per client (ASVS 11.1.4): counted in the database, so several processes
count together; a clear 429 page in Latvian and English with Retry-After; on both
databases."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from runtime.cases.ratelimit import Limit, forget_expired, take, window_of
from runtime.config import ConfigError, load_settings
from runtime.identity import person_code_hash
from runtime.throttle import client_key
from runtime.storage.models import RateCounter, Submission

from .resident_support import Browser, make_app
from .support_documents import CODE_A, dev_sign_in, real_app
from .resident_support import PET
from .test_resident_flow import fill_example

NOON = datetime(2026, 2, 1, 12, 0, 10, tzinfo=timezone.utc)
SECRET = "s" * 40


def test_a_client_gets_the_limit_and_no_more_in_one_window(database):
    limit = Limit(3, 60)
    verdicts = [take(database, kind="signin", client="address:192.0.2.1", limit=limit, now=NOON, secret=SECRET)
                for _ in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert verdicts[-1].retry_after == 50        # the window of 12:00:00-12:01:00 ends in 50 s
    other = take(database, kind="signin", client="address:192.0.2.2", limit=limit, now=NOON, secret=SECRET)
    assert other.allowed, "another client has a counter of its own"
    other_kind = take(database, kind="resume", client="address:192.0.2.1", limit=limit, now=NOON, secret=SECRET)
    assert other_kind.allowed, "another kind of request has a counter of its own"


def test_the_next_window_starts_again_and_old_counters_are_forgotten(database):
    limit = Limit(1, 60)
    assert take(database, kind="submit", client="c", limit=limit, now=NOON, secret=SECRET).allowed
    assert not take(database, kind="submit", client="c", limit=limit, now=NOON, secret=SECRET).allowed
    _, ends = window_of(NOON, 60)
    assert take(database, kind="submit", client="c", limit=limit, now=ends, secret=SECRET).allowed
    assert forget_expired(database, ends) == 1
    with database.sessions() as session:
        assert session.execute(select(func.count()).select_from(RateCounter)).scalar_one() == 1


def test_counters_name_no_client(database):
    take(database, kind="signin", client="address:203.0.113.9", limit=Limit(5, 60), now=NOON, secret=SECRET)
    with database.sessions() as session:
        [key] = session.scalars(select(RateCounter.key_hash)).all()
    assert "203.0.113.9" not in key and re.fullmatch(r"[0-9a-f]{64}", key)


def test_refused_bytes_are_given_back(database):
    limit = Limit(100, 60)
    assert take(database, kind="upload_bytes", client="c", limit=limit, now=NOON, secret=SECRET, amount=80).allowed
    refused = take(database, kind="upload_bytes", client="c", limit=limit, now=NOON, secret=SECRET, amount=30,
                   refund_when_refused=True)
    assert not refused.allowed
    assert take(database, kind="upload_bytes", client="c", limit=limit, now=NOON, secret=SECRET, amount=20).allowed


def test_concurrent_requests_never_get_more_than_the_limit(database):
    """Eight threads (on PostgreSQL eight connections at once) ask 40 times for 10 places."""
    allowed = []
    lock = threading.Lock()

    def ask():
        for _ in range(5):
            verdict = take(database, kind="signin", client="c", limit=Limit(10, 3600), now=NOON, secret=SECRET)
            with lock:
                allowed.append(verdict.allowed)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 40 and allowed.count(True) == 10


def test_limits_are_settings_checked_at_start_up(tmp_path):
    settings = load_settings({"instance_path": str(tmp_path), "rate_limits": "signin=5/60, submit=off"})
    assert settings.limits.rate("signin") == Limit(5, 60)
    assert settings.limits.rate("submit") is None
    assert settings.limits.rate("resume") == Limit(30, 900)
    assert all(load_settings({"instance_path": str(tmp_path), "rate_limits": "off"}).limits.rate(kind) is None
               for kind in ("signin", "submit", "resume", "upload_files", "upload_bytes"))
    with pytest.raises(ConfigError, match="unknown limit 'login'"):
        load_settings({"instance_path": str(tmp_path), "rate_limits": "login=5/60"})
    with pytest.raises(ConfigError, match="count/seconds"):
        load_settings({"instance_path": str(tmp_path), "rate_limits": "signin=0/60"})


def dev_app(app_config, **settings):
    return real_app(app_config, env="development", dev_signin=True, **settings)


def test_sign_in_past_the_limit_is_a_429_page_in_latvian_and_english(app_config):
    app = dev_app(app_config, rate_limits="signin=2/900")
    try:
        client = app.test_client()
        assert dev_sign_in(client).status_code == 302
        assert dev_sign_in(client).status_code == 302
        refused = dev_sign_in(client)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 900
        page = refused.get_data(as_text=True)
        assert "Pārāk daudz mēģinājumu" in page and "Vēlreiz varēsiet mēģināt pēc" in page
        client.get("/?lang=en")
        english = dev_sign_in(client).get_data(as_text=True)
        assert "Too many attempts" in english and "You can try again in" in english
    finally:
        app.extensions["pkip"].database.dispose()


def test_the_limit_is_shared_by_every_process(app_config):
    """Two apps on one database and instance: two gunicorn workers behind one address."""
    first, second = dev_app(app_config, rate_limits="signin=3/900"), dev_app(app_config, rate_limits="signin=3/900")
    try:
        codes = [dev_sign_in(app.test_client()).status_code for app in (first, second, first, second)]
        assert codes == [302, 302, 302, 429]
    finally:
        first.extensions["pkip"].database.dispose()
        second.extensions["pkip"].database.dispose()


def browser_at(app, address: str) -> Browser:
    browser = Browser(app)
    browser.client.environ_base["REMOTE_ADDR"] = address
    return browser


def test_submissions_past_the_limit_are_refused_and_the_draft_is_kept(app_config):
    app = make_app({**app_config, "rate_limits": "submit=1/3600"})
    try:
        for address in ("192.0.2.1", "192.0.2.2"):       # one each: each address has its own count
            browser = browser_at(app, address)
            browser.post(fill_example(browser), {"declaration": "confirmed"}, status=302)
        again = browser_at(app, "192.0.2.1")
        check = fill_example(again)
        refused = again.post(check, {"declaration": "confirmed"}, status=429)
        assert "Pārāk daudz mēģinājumu" in refused.get_data(as_text=True)
        with app.extensions["pkip"].database.sessions() as session:
            assert session.execute(select(func.count()).select_from(Submission)).scalar_one() == 2
        assert "Pārbaudiet atbildes" in again.get(check)     # the draft is still there: nothing lost
    finally:
        app.extensions["pkip"].database.dispose()


def test_a_signed_in_person_is_counted_as_themselves_not_by_address(app_config):
    app = dev_app(app_config)
    try:
        client = app.test_client()
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}):
            assert client_key("submit") == "address:192.0.2.7"
        dev_sign_in(client, CODE_A)
        with client.session_transaction() as stored:
            signed_in = dict(stored)
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}):
            from flask import session
            session.update(signed_in)
            assert client_key("submit") == f"person:{person_code_hash(CODE_A)}"
            assert client_key("signin") == "address:192.0.2.7", "a sign-in is counted by address"
    finally:
        app.extensions["pkip"].database.dispose()


def test_resume_links_past_the_limit_are_refused(app_config):
    app = make_app({**app_config, "rate_limits": "resume=2/900"})
    try:
        browser = Browser(app)
        for _ in range(2):
            browser.client.get(f"{PET}/resume/not-a-token")
        assert browser.client.get(f"{PET}/resume/not-a-token").status_code == 429
    finally:
        app.extensions["pkip"].database.dispose()


def test_counters_expire_with_their_window():
    number, ends = window_of(NOON, 900)
    assert ends - timedelta(seconds=900) <= NOON < ends and number == int(NOON.timestamp()) // 900
