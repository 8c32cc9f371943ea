"""Pages, languages, security headers, CSRF and error pages, on both databases."""
from __future__ import annotations

import re

import pytest

from app import create_app
from runtime.config import ConfigError, load_settings
from runtime.security import CONTENT_SECURITY_POLICY
from runtime.theme import contrast_ratio

from .fakes import sample_catalogue

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_index_lists_municipalities_in_latvian_alphabetical_order(client):
    html = page(client, "/")
    names = re.findall(r'<li><a class="link" href="/[a-z-]+/" lang="lv">([^<]+)</a>', html)
    assert names == ["Ādažu novads", "Alūksnes novads", "Cēsu novads", "Rīgas valstspilsēta"]
    assert '<html lang="lv">' in html


def test_index_keeps_latvian_names_in_english(client):
    html = page(client, "/?lang=en")
    assert "Choose your municipality" in html and "Rīgas valstspilsēta" in html


def test_municipality_catalogue_lists_enabled_services_with_facts(client):
    html = page(client, "/riga/")
    assert "Suņu nodeva" in html and "Nodeva par suņa turēšanu." in html
    assert "5 darba dienas" in html and "Fiziskas personas" in html
    assert "Rīgas valstspilsēta" in html and "/static/coats/riga.svg" in html
    english = page(client, "/riga/?lang=en")
    assert "Dog-keeping fee" in english and "5 working days" in english and "City of Riga" in english


def test_municipality_without_services_says_so(client):
    assert "vēl nepiedāvā e-pakalpojumus" in page(client, "/cesu-novads/")


def test_language_choice_is_kept_in_the_session_and_the_switch_keeps_the_page(client):
    page(client, "/riga/?lang=en")
    html = page(client, "/riga/dog-fee/?x=1")
    assert '<html lang="en">' in html
    assert 'href="/riga/dog-fee/?x=1&amp;lang=lv"' in html
    assert 'href="/riga/dog-fee/?x=1&amp;lang=lv&amp;lang' not in html


def test_theme_stylesheet_sets_the_colour_with_readable_text(client):
    response = client.get("/_theme/riga.css")
    css = response.get_data(as_text=True)
    assert response.mimetype == "text/css"
    assert "--brand: #9e1b32;" in css
    text = re.search(r"--brand-text: (#[0-9a-f]{6})", css).group(1)
    assert contrast_ratio("#9e1b32", text) >= 4.5


@pytest.mark.parametrize("url", ["/nav-tadas/", "/riga/nav-tada/", "/cesu-novads/dog-fee/", "/_theme/nav.css"])
def test_unknown_municipality_or_service_is_a_friendly_404_in_both_languages(client, url):
    assert "Lapa nav atrasta" in page(client, url, 404)
    assert "Page not found" in page(client, url + "?lang=en", 404)


def test_security_headers_on_pages_and_errors(client):
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    for url, status in (("/", 200), ("/riga/", 200), ("/nav/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/riga/", "/riga/dog-fee/", "/nav/"])
def test_pages_need_no_inline_style_or_script(client, url):
    html = client.get(url).get_data(as_text=True)
    assert " style=" not in html and "<style" not in html
    assert "<script>" not in html and " on" + "click=" not in html


def test_page_structure_has_skip_link_main_landmark_and_language_switch(client):
    html = page(client, "/riga/")
    assert '<a href="#main" class="skip-link">' in html
    assert '<main class="main" id="main"' in html
    assert 'aria-current="true" lang="lv">Latviešu' in html and 'hreflang="en"' in html


@pytest.fixture
def app_with_post_route(app_config):
    """The app plus one POST endpoint, to show CSRF protection covers every POST."""
    application = create_app(app_config, catalogue=sample_catalogue())

    @application.post("/_probe")
    def probe():
        return "accepted"

    @application.get("/_probe/form")
    def probe_form():
        from flask_wtf.csrf import generate_csrf
        return generate_csrf()

    @application.get("/_probe/abort/<int:code>")
    def abort_with(code: int):
        from flask import abort
        abort(code)

    @application.get("/_probe/crash")
    def crash():
        raise RuntimeError("boom for 010190-15267")

    yield application
    application.extensions["pkip"].database.dispose()


def test_post_without_csrf_token_is_a_friendly_400_in_both_languages(app_with_post_route):
    client = app_with_post_route.test_client()
    response = client.post("/_probe", data={"a": "b"})
    assert response.status_code == 400
    assert "Jūsu sesija ir beigusies" in response.get_data(as_text=True)
    client.get("/?lang=en")
    english = client.post("/_probe", data={"a": "b"})
    assert english.status_code == 400 and "Your session has expired" in english.get_data(as_text=True)


def test_post_with_csrf_token_is_accepted(app_with_post_route):
    client = app_with_post_route.test_client()
    token = client.get("/_probe/form").get_data(as_text=True)
    response = client.post("/_probe", data={"csrf_token": token})
    assert response.status_code == 200 and response.get_data(as_text=True) == "accepted"


def test_unexpected_error_is_a_friendly_500_and_the_log_is_masked(app_with_post_route, caplog):
    client = app_with_post_route.test_client()
    response = client.get("/_probe/crash")
    assert response.status_code == 500
    assert "pakalpojumā radusies kļūda" in response.get_data(as_text=True)
    assert "boom for" in caplog.text and "010190-15267" not in caplog.text


@pytest.mark.parametrize(("code", "latvian", "english"), [
    (400, "Pieprasījumu nevarēja apstrādāt", "The request could not be processed"),
    (403, "Šo lapu jūs nevarat atvērt", "You cannot open this page"),
    (418, "Pieprasījumu nevarēja apstrādāt", "The request could not be processed"),
])
def test_other_client_errors_have_friendly_pages_in_both_languages(app_with_post_route, code, latvian, english):
    client = app_with_post_route.test_client()
    response = client.get(f"/_probe/abort/{code}")
    assert response.status_code == code
    assert latvian in response.get_data(as_text=True)
    assert english in client.get(f"/_probe/abort/{code}?lang=en").get_data(as_text=True)


def test_wrong_method_is_a_friendly_405(client):
    response = client.post("/riga/")
    assert response.status_code == 405 and "Šo darbību šeit nevar veikt" in response.get_data(as_text=True)


def test_oversized_request_is_a_friendly_413(app_config):
    app_config["max_upload_mb"] = 1
    application = create_app(app_config, catalogue=sample_catalogue())
    client = application.test_client()
    response = client.post("/riga/", data=b"x" * (1024 * 1024 + 1), content_type="application/octet-stream")
    assert response.status_code == 413
    assert "pārāk liela" in response.get_data(as_text=True)
    application.extensions["pkip"].database.dispose()


def test_session_cookie_is_secure_httponly_and_lax(client):
    response = client.get("/?lang=en")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_can_turn_secure_cookies_off_for_plain_http(app_config):
    app_config.update(env="development", secure_cookies=False)
    application = create_app(app_config, catalogue=sample_catalogue())
    cookie = application.test_client().get("/?lang=en").headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie
    application.extensions["pkip"].database.dispose()


def proxied_app(app_config, proxies: int):
    from flask import request

    application = create_app({**app_config, "proxy_fix": proxies}, catalogue=sample_catalogue())
    application.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.url_root}")
    return application


FORWARDED = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "e.riga.lv"}


def test_behind_one_proxy_the_forwarded_client_scheme_and_host_are_used(app_config):
    application = proxied_app(app_config, 1)
    seen = application.test_client().get("/_seen", headers=FORWARDED).get_data(as_text=True)
    assert seen == "198.51.100.7 https://e.riga.lv/"     # only the last (the trusted proxy's) address
    application.extensions["pkip"].database.dispose()


def test_without_proxy_fix_forwarded_headers_are_ignored(app_config):
    application = proxied_app(app_config, 0)
    seen = application.test_client().get("/_seen", headers=FORWARDED).get_data(as_text=True)
    assert seen == "127.0.0.1 http://localhost/"
    application.extensions["pkip"].database.dispose()


def test_proxy_fix_must_be_a_small_count(tmp_path):
    with pytest.raises(ConfigError, match="PKIP_PROXY_FIX must be between 0 and 5"):
        load_settings({"instance_path": str(tmp_path), "proxy_fix": 9}, environ={})
    assert load_settings({"instance_path": str(tmp_path)}, environ={"PKIP_PROXY_FIX": "2"}).proxy_fix == 2


def test_every_page_template_compiles_at_start_up_outside_tests(app_config):
    from runtime.startup import compile_templates

    application = create_app({**app_config, "env": "development"}, catalogue=sample_catalogue())
    cached = {name for (_loader, name) in application.jinja_env.cache.keys()}
    assert {"base.html", "resident/question.html", "account/my_applications.html"} <= cached
    assert compile_templates(application) == len(cached) > 20
    application.extensions["pkip"].database.dispose()


def test_production_tells_browsers_to_use_https_only(app_config):
    """Issue 16 finding 10: HSTS in production, not in development or tests (where the
    site is served over plain http and a year-long pin would lock the developer out)."""
    production = create_app({**app_config, "env": "production", "secret_key": "k" * 40},
                            catalogue=sample_catalogue())
    development = create_app({**app_config, "env": "development"}, catalogue=sample_catalogue())
    try:
        for url in ("/", "/nav/"):
            header = production.test_client().get(url, base_url="https://e.riga.lv").headers
            assert header["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
            assert "Strict-Transport-Security" not in development.test_client().get(url).headers
    finally:
        production.extensions["pkip"].database.dispose()
        development.extensions["pkip"].database.dispose()
