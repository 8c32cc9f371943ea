"""The answer forms carry no CSRF field of their own (runtime/forms/classes.py): the
global `CSRFProtect` checks every post. What a drawn form shows is still Flask-WTF's
token field, and a page shown again with its errors carries a token the next post is
accepted with, while a post without one is refused."""
from __future__ import annotations

import pytest
from flask import Flask
from flask_wtf import FlaskForm

from runtime.csrf_tokens import csrf_input
from runtime.forms import entry_form_class, page_form_class

from .resident_support import CSRF, DOG, PET, app, browser, real_catalogue  # noqa: F401 (fixtures)
from .test_resident_pages import at_pets_page


def _app(**config) -> Flask:
    app = Flask(__name__)
    app.secret_key = "k" * 40
    app.config.update(config)
    return app


@pytest.mark.parametrize("config", [{}, {"WTF_CSRF_FIELD_NAME": "other_name", "WTF_CSRF_SECRET_KEY": "another"},
                                    {"WTF_CSRF_ENABLED": False}])
def test_the_drawn_token_input_is_flask_wtfs_field(config):
    service = real_catalogue().services["example-pet-registration"]
    page = next(p for p in service.pages if page_form_class(service, p).model_repeats)
    repeat = page_form_class(service, page).model_repeats[0]
    with _app(**config).test_request_context("/"):
        wtforms_field = FlaskForm()._fields.get(config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        expected = str(wtforms_field) if wtforms_field is not None else ""
        assert str(csrf_input()) == expected and (expected == "") == (config.get("WTF_CSRF_ENABLED") is False)
        for form in (page_form_class(service, page)(), entry_form_class(service, repeat)()):
            assert str(form.csrf_token) == expected
            assert not any(field.type == "CSRFTokenField" for field in form), "no token signed per post"


def test_a_page_shown_again_with_errors_has_a_token_the_next_post_is_accepted_with(browser):
    entry = browser.answer(at_pets_page(browser), {"add_entry": "pets"})
    refused = browser.client.post(entry, data={"csrf_token": browser.token(entry)}, content_type="multipart/form-data")
    assert refused.status_code == 200 and "csrf_token" in refused.get_data(as_text=True)
    found = CSRF.search(refused.get_data(as_text=True))
    accepted = browser.client.post(entry, data={**DOG, "csrf_token": found.group(1) or found.group(2)},
                                   content_type="multipart/form-data")
    assert accepted.status_code == 302


def test_an_answer_post_without_a_token_is_still_refused(browser):
    owner = browser.start()
    response = browser.post(owner, {"applicant_kind": "person"}, csrf=False)
    assert response.status_code == 400
    response = browser.post(owner, {"applicant_kind": "person", "csrf_token": "forged"}, csrf=False)
    assert response.status_code == 400
    assert browser.client.post(f"{PET}/apply/pets/pets/0", data=DOG).status_code == 400
