"""Locale selection: the user's choice, then the session's, then the browser's."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "rw": "Kinyarwanda"}


def select_locale() -> str:
    """Return the locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
