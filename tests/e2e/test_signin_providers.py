"""Each sign-in provider in Chromium: sign in, see the name, reach "my applications",
sign out, and after the sign-out a new sign-in asks for the login again (a shared
computer must never hand the next person the previous one's identity)."""
from __future__ import annotations

import pytest

from tests.certified_oidc import CertifiedProvider, free_port

from . import flow
from .conftest import DEFAULT_TIMEOUT_MS, serving

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def certified_site(tmp_path_factory):
    """The site with OpenID Connect against the certified provider (no dev sign-in)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = CertifiedProvider(tmp_path_factory.mktemp("certified-oidc"), [f"{base}/signin/oidc/callback"],
                                 [f"{base}/"]).start()
    try:
        with serving(tmp_path_factory.mktemp("e2e-oidc"), {**provider.settings(), "dev_signin": False},
                     port=port) as server:
            yield server
    finally:
        provider.stop()


@pytest.fixture
def certified_page(browser, certified_site):
    context = browser.new_context(base_url=certified_site.url, locale="lv-LV", ignore_https_errors=True)
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


def test_certified_openid_connect_provider(certified_page):
    page = certified_page

    def start_sign_in(page):
        page.goto("/signin/?next=/my/")
        flow.go(page.get_by_role("link", name="Pierakstīties ar identitātes nodrošinātāju"))

    start_sign_in(page)
    log_in_at_the_certified_provider(page, "janis")
    see_name_and_my_applications(page, "Jānis Ozols")
    sign_out_and_back_in_asks_for_login(
        page, start_sign_in, lambda page: flow.go(page.get_by_role("button", name="Yes, sign me out")))
    assert page.locator("input[name=login]").is_visible(), "no login asked for after the sign-out"
    log_in_at_the_certified_provider(page, "anna")
    see_name_and_my_applications(page, "Anna Bērziņa")
