"""A profile page speaks the reader's language: country and language names, and the level."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from tests.conftest import login
from tests.factories.profiles import ProfileFactory, ProfileLanguageFactory


def _page(app: Flask, locale: str) -> str:
    with app.app_context():
        profile = ProfileFactory(country="BE", user__locale=locale)
        ProfileLanguageFactory(profile=profile, code="fr", level="native")
        ProfileLanguageFactory(profile=profile, code="de", level="B2")
        db.session.commit()
        email, profile_id = profile.user.email, profile.id
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client.get(f"/profile/{profile_id}").get_data(as_text=True)


def test_the_card_in_french(app: Flask) -> None:
    page = _page(app, "fr")
    assert "Belgique" in page and "Belgium" not in page
    assert "Français (Langue maternelle)" in page and "Allemand (B2)" in page
    assert "(native)" not in page


def test_the_card_in_kinyarwanda(app: Flask) -> None:
    page = _page(app, "rw")
    assert "Igifaransa (Ururimi kavukire)" in page and "Ikidage (B2)" in page
    assert "(native)" not in page
    # CLDR has no Kinyarwanda name for Belgium: the English one stands in.
    assert "Belgium" in page
