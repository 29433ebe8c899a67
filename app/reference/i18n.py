"""Optional lazy translation marker that works with or without Flask-Babel."""

from __future__ import annotations

try:  # Flask-Babel is optional so the reference data stays usable in scripts and benchmarks.
    from flask_babel import lazy_gettext as _flask_lazy_gettext
except ImportError:  # pragma: no cover - depends on the environment
    _flask_lazy_gettext = None


def lazy_gettext(s: str) -> str:
    """Mark s for translation, lazily translated when Flask-Babel is available."""
    if _flask_lazy_gettext is None:
        return s
    return _flask_lazy_gettext(s)  # type: ignore[no-any-return]


def interface_locale() -> str:
    """Return the interface language in force (the request's, or one set by force_locale), or
    "en" outside any (scripts)."""
    try:
        from flask_babel import get_locale
    except ImportError:  # pragma: no cover - depends on the environment
        return "en"
    locale = get_locale()  # None outside an application context
    return str(locale.language) if locale else "en"


def sort_key(name: str) -> str:
    """Return a collation key that orders accented names with their base letters
    ("Égypte" beside "Equateur", not after "Zambie"), case-insensitively."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def cldr_names(locale: str, kind: str) -> dict[str, str]:
    """Return CLDR's territory or language names in locale ({} when Babel or the locale is
    missing): CLDR covers French fully and Kinyarwanda only partly, so callers fall back."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - depends on the environment
        return {}
    try:
        parsed = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return {}
    return dict(parsed.territories if kind == "territories" else parsed.languages)
