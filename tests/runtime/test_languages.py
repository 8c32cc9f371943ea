"""Interface languages by configuration: a third language from a catalogue alone (no
Python), with Latvian for whatever its catalogue or a definition lacks."""
from __future__ import annotations

import pytest

from app import create_app
from runtime.config import ConfigError, load_settings

from .resident_support import PET, Browser, make_app

# A Ukrainian catalogue as a translator would write it: three strings and one engine
# message translated, one of each left empty (not yet translated), the rest missing.
UKRAINIAN = '''msgid ""
msgstr ""
"Language: uk\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "Skip to main content"
msgstr "Перейти до основного вмісту"

msgid "Start now"
msgstr "Почати"

msgid "Continue"
msgstr "Продовжити"

msgid "Language"
msgstr ""

msgctxt "engine:required_question"
msgid "Answer “{label}”"
msgstr "Дайте відповідь на питання «{label}»"

msgctxt "engine:required"
msgid "Enter {name}"
msgstr ""
'''


@pytest.fixture
def database_url(tmp_path):
    """The languages do not touch storage: SQLite alone."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def catalogues(tmp_path):
    folder = tmp_path / "translations"
    (folder / "uk" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "uk" / "LC_MESSAGES" / "messages.po").write_text(UKRAINIAN, encoding="utf-8")
    return folder


@pytest.fixture
def three_languages(app_config, catalogues):
    application = make_app({**app_config, "languages": "lv,en,uk", "translations_path": str(catalogues)})
    yield application
    application.extensions["pkip"].database.dispose()


def test_a_third_language_from_a_catalogue_is_offered_and_shown(three_languages):
    browser = Browser(three_languages)
    html = browser.get(f"{PET}/?lang=uk")
    assert '<html lang="uk">' in html
    assert 'aria-current="true" lang="uk">Українська' in html      # the switch lists it, in itself
    assert 'hreflang="lv">Latviešu' in html and 'hreflang="en">English' in html
    assert "Перейти до основного вмісту" in html and "Почати" in html     # from the catalogue
    assert "Valoda" in html and "Language" not in html.replace('lang="', "")   # left empty: Latvian
    assert "Mājdzīvnieku reģistrācija" in html     # the definition has no Ukrainian title: Latvian


def test_pages_in_the_third_language_fall_back_to_latvian_per_text(three_languages):
    browser = Browser(three_languages)
    browser.get(f"{PET}/?lang=uk")
    first_page = browser.start()
    html = browser.get(first_page)
    assert "Продовжити" in html                      # translated
    assert "Saglabāt un turpināt vēlāk" in html or "Atpakaļ" in html    # missing: Latvian, not English
    assert "Save and come back later" not in html
    browser.post(first_page, {}, status=200)         # nothing answered: the engine's messages
    assert "Ir radusies problēma" in browser.last_html and "There is a problem" not in browser.last_html
    assert "Дайте відповідь на питання «Kas iesniedz pieteikumu?»" in browser.last_html   # the engine's, translated
    assert "Atbildiet uz jautājumu" not in browser.last_html and "Answer “" not in browser.last_html


def test_engine_messages_the_catalogue_lacks_are_latvian(three_languages):
    browser = Browser(three_languages)
    browser.get(f"{PET}/?lang=uk")
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    browser.post(owner, {**OWNER, "owner-given_name": "", "owner-email": "not an address"}, status=200)
    html = browser.last_html
    assert ">Jānorāda vārds</a>" in html                  # left empty in the catalogue: Latvian
    assert "Laukā „E-pasts” ievadiet e-pasta adresi" in html   # not in the catalogue at all: Latvian
    assert "Enter " not in html


def test_the_default_languages_do_not_offer_the_third(app_config, catalogues):
    application = make_app({**app_config, "translations_path": str(catalogues)})
    html = Browser(application).get(f"{PET}/?lang=uk")
    application.extensions["pkip"].database.dispose()
    assert '<html lang="lv">' in html and "Українська" not in html


@pytest.mark.parametrize(("languages", "problem"), [
    ("en,lv", "must start with lv"),
    ("lv,en,uk", "has 'uk' but no uk/LC_MESSAGES/messages.po"),
    ("lv,en,en", "names a language twice"),
    ("lv,e1", "not a language code"),
])
def test_languages_a_catalogue_cannot_serve_stop_start_up(tmp_path, languages, problem):
    with pytest.raises(ConfigError, match="PKIP_LANGUAGES") as raised:
        load_settings({"instance_path": str(tmp_path), "languages": languages})
    assert problem in str(raised.value)


def test_the_instance_file_takes_a_list_of_languages(tmp_path, catalogues):
    (tmp_path / "config.toml").write_text(
        f'languages = ["lv", "en", "uk"]\ntranslations_path = "{catalogues}"\n', encoding="utf-8")
    settings = load_settings({"instance_path": str(tmp_path)})
    assert settings.languages == ("lv", "en", "uk") and settings.translations_path == catalogues


def test_a_missing_translations_folder_is_named(tmp_path):
    with pytest.raises(ConfigError, match="PKIP_TRANSLATIONS_PATH: no such folder"):
        create_app({"instance_path": str(tmp_path), "translations_path": str(tmp_path / "nowhere")})


# --- Switching language on a page of answers keeps what was typed -------------------------

from runtime.storage.models import Draft     # noqa: E402

from .resident_support import DOG, OWNER, rows     # noqa: E402


def at_pets(browser: Browser) -> str:
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    return browser.answer(owner, OWNER)


@pytest.fixture
def two_languages(app_config):
    application = make_app(app_config)
    yield application
    application.extensions["pkip"].database.dispose()


def test_the_switch_on_a_page_of_answers_is_its_forms_buttons(two_languages):
    browser = Browser(two_languages)
    html = browser.get(browser.start())
    assert 'action="/riga/example-pet-registration/apply/applicant" id="answers"' in html
    assert ('<button class="language-switch__button" type="submit" form="answers" formnovalidate '
            'name="switch_language" value="en" lang="en">English</button>') in html
    # Enter in a field presses the form's first button in the document: a hidden "Continue"
    hidden = html.index('<button type="submit" form="answers" hidden tabindex="-1">Turpināt</button>')
    assert hidden < html.index('name="switch_language"')
    assert 'href="/riga/' not in html.split('class="language-switch"')[1].split("</nav>")[0]


def test_switching_language_on_a_question_page_keeps_what_was_typed(two_languages):
    browser = Browser(two_languages)
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    typed = {**OWNER, "owner-email": "not an address", "owner-district": "", "switch_language": "en"}
    assert switched(browser, owner, typed) == owner         # post-redirect-get: a refresh resends nothing
    html = browser.get(owner)
    assert '<html lang="en">' in html and "Save and come back later" in html
    assert 'value="Jānis"' in html and 'value="not an address"' in html    # typed, even what is not valid yet
    assert "There is a problem" not in html                                   # no errors for a switch
    html = browser.get(owner)                                                 # refreshed: the draft, in English
    assert 'value="Bērziņš"' in html and '<html lang="en">' in html


def switched(browser: Browser, url: str, typed: dict) -> str:
    """Press a language button on the page at `url`; where the browser is sent."""
    response = browser.post(url, typed, status=303)
    return response.headers["Location"]


def test_what_was_typed_before_a_switch_is_not_shown_on_another_page(two_languages):
    browser = Browser(two_languages)
    owner = browser.answer(browser.start(), {"applicant_kind": "person"})
    switched(browser, owner, {**OWNER, "owner-given_name": "Pēteris", "switch_language": "en"})
    entry = f"{PET}/apply/pets/pets/0"
    browser.get(f"{PET}/apply/pets")
    assert 'value="Pēteris"' not in browser.get(entry)       # another page of the same draft
    assert 'value="Pēteris"' in browser.get(owner)           # still kept for its own page


def test_switching_language_on_an_entry_page_keeps_what_was_typed(two_languages):
    browser = Browser(two_languages)
    pets = at_pets(browser)
    entry = browser.answer(pets, {"add_entry": "pets"})
    assert switched(browser, entry, {**DOG, "pets-name": "Reksis", "pets-weight": "30,5 kg",
                                     "switch_language": "en"}) == entry
    html = browser.get(entry)
    assert '<html lang="en">' in html and 'value="Reksis"' in html and 'value="123456789012345"' in html
    assert 'value="30,5 kg"' in html and 'value="1"' in html     # not a number yet; the date's day too
    [draft] = rows(two_languages, Draft)
    assert not draft.answers.get("pets")        # a new entry is stored only once it is saved
    assert 'value="Reksis"' not in browser.get(entry)     # refreshed: a new entry, nothing typed
    assert browser.answer(entry, DOG) == f"{pets}?done=added.0.pets"   # then saving it in English stores it
    first = f"{PET}/apply/pets/pets/0"
    assert switched(browser, first, {**DOG, "pets-name": "Muris", "switch_language": "lv"}) == first
    browser.get(first)
    assert 'value="Muris"' in browser.last_html and '<html lang="lv">' in browser.last_html
    [draft] = rows(two_languages, Draft)
    assert draft.answers["pets"][0]["name"] == "Muris"      # an existing entry keeps it as a draft


def test_a_switch_to_a_language_not_offered_is_an_ordinary_post(two_languages):
    browser = Browser(two_languages)
    first = browser.start()
    assert browser.answer(first, {"applicant_kind": "person", "switch_language": "xx"}).endswith("/apply/owner")
