"""Country and language names follow the interface language (CLDR via Babel)."""

from __future__ import annotations

from flask import Flask

from app.reference.countries import country_choices, country_name
from app.reference.i18n import sort_key
from app.reference.languages import PRIORITY_LANGUAGES, language_choices, language_name


def test_country_names_follow_the_locale() -> None:
    assert country_name("BE", "en") == "Belgium"
    assert country_name("BE", "fr") == "Belgique"
    assert country_name("DE", "fr") == "Allemagne"
    # CLDR names only a few countries in Kinyarwanda: Rwanda is one, the others fall back.
    assert country_name("RW", "rw") == "U Rwanda"
    assert country_name("BE", "rw") == "Belgium"
    assert country_name("XX", "fr") == "XX"


def test_language_names_follow_the_locale() -> None:
    assert language_name("fr", "en") == "French"
    assert language_name("fr", "fr") == "Français"  # a capital at the start of a menu entry
    assert language_name("fr", "rw") == "Igifaransa"
    assert language_name("rw", "rw") == "Ikinyarwanda"
    assert language_name("de", "fr") == "Allemand"


def test_choices_are_sorted_by_the_localized_name_ignoring_accents() -> None:
    french = country_choices("fr")
    names = [name for _code, name in french]
    assert names == sorted(names, key=sort_key)
    # "Égypte" sits among the E's, not after "Zimbabwe" as a plain sort would put it.
    assert names.index("Égypte") < names.index("Espagne") < names.index("Zimbabwe")
    assert ("BE", "Belgique") in french
    languages = language_choices("fr")
    assert [code for code, _n in languages[:4]] == list(PRIORITY_LANGUAGES)
    rest = [name for _c, name in languages[4:]]
    assert rest == sorted(rest, key=sort_key)


def test_the_request_language_picks_the_names(app: Flask) -> None:
    from flask_babel import force_locale

    with app.test_request_context("/"):
        with force_locale("fr"):
            assert country_name("BE") == "Belgique"
            assert dict(country_choices())["BE"] == "Belgique"
        with force_locale("rw"):
            assert language_name("en") == "Icyongereza"
        assert country_name("BE") == "Belgium"
    assert country_name("BE") == "Belgium"  # scripts, outside a request: English
