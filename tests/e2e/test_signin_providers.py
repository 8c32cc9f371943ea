"""Each sign-in provider in Chromium: sign in, see the name, reach "my applications",
sign out, and after the sign-out a new sign-in asks for the login again (a shared
computer must never hand the next person the previous one's identity)."""
from __future__ import annotations

import pytest

from tests.certified_oidc import CertifiedProvider, free_port

from . import flow
from .axe import assert_accessible
from .conftest import DEFAULT_TIMEOUT_MS, serving

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def signin_site(tmp_path_factory):
    """The site at 127.0.0.1 offering OpenID Connect against the certified provider and
    the stand-ins, the latvija.lv one at `localhost` so that its POST back is cross-site
    as the real one's is (no dev sign-in)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = CertifiedProvider(tmp_path_factory.mktemp("certified-oidc"), [f"{base}/signin/oidc/callback"],
                                 [f"{base}/"]).start()
    settings = {**provider.settings(), "dev_signin": False, "signin_standins": True,
                "latvija_endpoint": f"http://localhost:{port}/_standin/latvija/"}
    try:
        with serving(tmp_path_factory.mktemp("e2e-signin"), settings, port=port) as server:
            yield server
    finally:
        provider.stop()


@pytest.fixture
def signin_page(browser, signin_site):
    context = browser.new_context(base_url=signin_site.url, locale="lv-LV", ignore_https_errors=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def log_in_at_the_certified_provider(page, login: str) -> None:
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    flow.go(page.locator("button[type=submit]"))
    flow.go(page.locator("button[autofocus]"))          # the consent: "Continue"


def sign_out_and_back_in_asks_for_login(page, start_sign_in, confirm_at_provider=None) -> None:
    """Sign out through the header; then a new sign-in must show the provider's login."""
    flow.go(page.get_by_role("button", name="Iziet"))
    if page.url.startswith("http://localhost:"):           # the latvija.lv stand-in's page
        assert_accessible(page, "the stand-in's signed-out page")
    if confirm_at_provider:
        confirm_at_provider(page)
    page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)     # the site's home page
    assert page.locator(".account-nav__name").count() == 0
    start_sign_in(page)


def see_name_and_my_applications(page, name: str) -> None:
    assert page.locator(".account-nav__name").inner_text().strip() == name
    flow.go(page.get_by_role("link", name="Mani pieteikumi"))
    assert page.url.endswith("/my/"), page.url
    assert page.locator("h1").inner_text().strip() == "Mani pieteikumi"


def start_sign_in_with(link_name: str):
    def start_sign_in(page):
        page.goto("/signin/?next=/my/")
        flow.go(page.get_by_role("link", name=link_name))
    return start_sign_in


def test_certified_openid_connect_provider(signin_page):
    page = signin_page
    start_sign_in = start_sign_in_with("Pierakstīties ar identitātes nodrošinātāju")

    start_sign_in(page)
    log_in_at_the_certified_provider(page, "janis")
    see_name_and_my_applications(page, "Jānis Ozols")
    sign_out_and_back_in_asks_for_login(
        page, start_sign_in, lambda page: flow.go(page.get_by_role("button", name="Yes, sign me out")))
    assert page.locator("input[name=login]").is_visible(), "no login asked for after the sign-out"
    log_in_at_the_certified_provider(page, "anna")
    see_name_and_my_applications(page, "Anna Bērziņa")


def log_in_at_the_latvija_standin(page, given_name: str, surname: str, code: str, check_pages=False) -> None:
    assert page.url.startswith("http://localhost:"), page.url        # another site than ours
    assert page.locator(".dev-banner").is_visible()
    if check_pages:
        flow.go(page.get_by_role("button", name="Pierakstīties"))   # empty: the error summary
        assert_accessible(page, "the latvija.lv stand-in's form with errors")
    page.fill("#given_name", given_name)
    page.fill("#surname", surname)
    page.fill("#personal_code", code)
    flow.go(page.get_by_role("button", name="Pierakstīties"))
    if check_pages:
        assert_accessible(page, "the latvija.lv stand-in's page back to the e-service")
    flow.go(page.get_by_role("button", name="Turpināt"))             # its POST back, cross-site


def test_latvija_standin_across_sites(signin_page):
    page = signin_page
    start_sign_in = start_sign_in_with("Pierakstīties ar latvija.lv")
    start_sign_in(page)
    log_in_at_the_latvija_standin(page, "Jānis", "Ozols", "161175-19997", check_pages=True)
    see_name_and_my_applications(page, "Jānis Ozols")
    sign_out_and_back_in_asks_for_login(
        page, start_sign_in, lambda page: flow.go(page.get_by_role("link", name="Atpakaļ uz e-pakalpojumu")))
    assert page.locator("#personal_code").is_visible(), "no login asked for after the sign-out"
    log_in_at_the_latvija_standin(page, "Anna", "Bērziņa", "010190-12349")
    see_name_and_my_applications(page, "Anna Bērziņa")


def log_in_at_the_eparaksts_standin(page, given_name: str, surname: str, code: str) -> None:
    assert "/_standin/eparaksts/" in page.url and page.locator(".dev-banner").is_visible()
    page.fill("#given_name", given_name)
    page.fill("#surname", surname)
    page.fill("#personal_code", code)
    flow.go(page.get_by_role("button", name="Pierakstīties"))


def test_eparaksts_standin(signin_page):
    page = signin_page
    start_sign_in = start_sign_in_with("Pierakstīties ar eParaksts")
    start_sign_in(page)
    assert_accessible(page, "the eParaksts stand-in's form")
    log_in_at_the_eparaksts_standin(page, "Jānis", "Ozols", "161175-19997")
    see_name_and_my_applications(page, "Jānis Ozols")
    sign_out_and_back_in_asks_for_login(page, start_sign_in)
    assert page.locator("#personal_code").is_visible(), "no login asked for after the sign-out"
    log_in_at_the_eparaksts_standin(page, "Anna", "Bērziņa", "010190-12349")
    see_name_and_my_applications(page, "Anna Bērziņa")
