"""Issue 16 finding 6: uploads are limited per draft and per client before anything is
stored, on both databases."""
from __future__ import annotations

import io

from runtime.storage.models import Upload

from .resident_support import Browser, count, make_app
from .test_uploads import PNG, stored_files

TREE = "/riga/tree-felling-permit"
PHOTOS = f"{TREE}/apply/attachments"


def post_photos(browser: Browser, number: int, start: int = 0):
    token = browser.token(PHOTOS)
    photos = [(io.BytesIO(PNG + bytes([n % 256])), f"koks{n}.png") for n in range(start, start + number)]
    return browser.client.post(PHOTOS, data={"csrf_token": token, "photos": photos}, content_type="multipart/form-data")


def with_app(app_config, **settings):
    return make_app({**app_config, **settings})


def test_a_draft_stores_at_most_its_quota_of_files(app_config):
    app = with_app(app_config, max_draft_uploads=3)
    try:
        browser = Browser(app)
        browser.start(TREE)
        response = post_photos(browser, 5)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "šim pieteikumam vairāk failu pievienot nevar" in page
        assert count(app, Upload) == 3 and len(stored_files(app)) == 3
        other = Browser(app)            # another draft has its own quota
        other.start(TREE)
        post_photos(other, 1)
        assert count(app, Upload) == 4
    finally:
        app.extensions["pkip"].database.dispose()


def test_a_draft_stores_at_most_its_quota_of_bytes(app_config):
    app = with_app(app_config, max_draft_upload_mb=1)
    try:
        browser = Browser(app)
        browser.start(TREE)
        big = PNG + b"\0" * (600 * 1024)
        token = browser.token(PHOTOS)
        response = browser.client.post(PHOTOS, data={"csrf_token": token, "photos": [
            (io.BytesIO(big), "a.png"), (io.BytesIO(big), "b.png")]}, content_type="multipart/form-data")
        assert "šim pieteikumam vairāk failu pievienot nevar" in response.get_data(as_text=True)
        assert count(app, Upload) == 1 and len(stored_files(app)) == 1
    finally:
        app.extensions["pkip"].database.dispose()


def test_a_client_stores_at_most_its_hourly_quota_across_drafts(app_config):
    app = with_app(app_config, rate_limits="upload_files=4/3600")
    try:
        first = Browser(app)
        first.start(TREE)
        post_photos(first, 3)
        second = Browser(app)            # a new draft from the same address: the same quota
        second.start(TREE)
        response = post_photos(second, 3, start=3)
        page = response.get_data(as_text=True)
        assert "īsā laikā esat augšupielādējis daudz failu" in page
        assert count(app, Upload) == 4 and len(stored_files(app)) == 4
        elsewhere = Browser(app)
        elsewhere.client.environ_base["REMOTE_ADDR"] = "192.0.2.99"
        elsewhere.start(TREE)
        post_photos(elsewhere, 1, start=6)
        assert count(app, Upload) == 5, "another address has its own quota"
    finally:
        app.extensions["pkip"].database.dispose()


def test_a_client_stores_at_most_its_hourly_quota_of_bytes(app_config):
    app = with_app(app_config, rate_limits=f"upload_bytes={3 * (len(PNG) + 1)}/3600")
    try:
        browser = Browser(app)
        browser.start(TREE)
        post_photos(browser, 4)
        assert count(app, Upload) == 3 and len(stored_files(app)) == 3
    finally:
        app.extensions["pkip"].database.dispose()
