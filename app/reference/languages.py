"""Language helpers over pycountry's ISO 639 data, with Rwanda's languages first."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from app.reference.i18n import cldr_names, interface_locale, sort_key
from app.reference.i18n import lazy_gettext as _l

# Rwanda's official languages plus Swahili lead every list because nearly every member has them.
PRIORITY_LANGUAGES: tuple[str, ...] = ("rw", "en", "fr", "sw")

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

LEVEL_LABELS: dict[str, str] = {
    "A1": _l("A1 - Beginner"),
    "A2": _l("A2 - Elementary"),
    "B1": _l("B1 - Intermediate"),
    "B2": _l("B2 - Upper intermediate"),
    "C1": _l("C1 - Advanced"),
    "C2": _l("C2 - Proficient"),
    "native": _l("Native / mother tongue"),
}

# pycountry's ISO names are precise but awkward in a form ("Swahili (macrolanguage)").
_NAME_OVERRIDES: dict[str, str] = {
    "sw": "Swahili",
    "el": "Greek",
    "ny": "Chichewa",
    "lg": "Luganda",
    "ms": "Malay",
    "ar": "Arabic",
    "fa": "Persian",
    "zh": "Chinese",
}


def _clean_name(code: str, name: str) -> str:
    """Return a form-friendly language name."""
    if code in _NAME_OVERRIDES:
        return _NAME_OVERRIDES[code]
    return name.split(" (")[0].split(";")[0].strip()


@lru_cache(maxsize=1)
def _iso639_1() -> dict[str, str]:
    """Return alpha_2 → name for every ISO 639-1 language."""
    return {
        lang.alpha_2: _clean_name(lang.alpha_2, lang.name)
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    }


@lru_cache(maxsize=1)
def _iso639_3() -> dict[str, str]:
    """Return alpha_3 → name for every ISO 639-3 language that has no ISO 639-1 code."""
    return {
        lang.alpha_3: _clean_name(lang.alpha_3, lang.name)
        for lang in pycountry.languages
        if not hasattr(lang, "alpha_2")
    }


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    """Return lower-case name → code (the two-letter one when the language has it)."""
    by_name = {name.lower(): code for code, name in _iso639_3().items()}
    # Two-letter codes win when a name is shared, as they are the ones the lists offer.
    by_name.update({name.lower(): code for code, name in _iso639_1().items()})
    return by_name


def canonical_language(text: str) -> str | None:
    """Return the code to store for an ISO 639-1 or ISO 639-3 code or an English language
    name ("cgg", "Chiga", "kin" → "rw"), or None when it is not a language.

    A language with a two-letter code is always stored under it, so "kin" and "rw" are one."""
    typed = " ".join((text or "").split()).lower()
    if not typed:
        return None
    if typed in _iso639_1() or typed in _iso639_3():
        return typed
    if len(typed) == 3:
        try:
            found = pycountry.languages.lookup(typed)  # also knows bibliographic codes ("fre")
        except LookupError:
            found = None
        if found is not None:
            return str(getattr(found, "alpha_2", None) or found.alpha_3)
    return _codes_by_name().get(typed)


@lru_cache(maxsize=1)
def _all_alpha_3() -> frozenset[str]:
    return frozenset(lang.alpha_3 for lang in pycountry.languages)


def is_language(code: str) -> bool:
    """Return True if code is an ISO 639-1 or ISO 639-3 language code."""
    return code in _iso639_1() or code in _all_alpha_3()


def is_level(level: str) -> bool:
    """Return True if level is a CEFR level or 'native'."""
    return level in CEFR_LEVELS


def language_name(code: str, locale: str | None = None) -> str:
    """Return a language's name in locale (the interface language when None), or the code if
    unknown. English names are pycountry's; other languages take CLDR's and fall back to
    English where CLDR has none."""
    code = code.strip().lower()
    english = _english_name(code)
    return _localized(locale or interface_locale()).get(code, english)


def _english_name(code: str) -> str:
    names = _iso639_1()
    if code in names:
        return names[code]
    lang = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
    return _clean_name(code, lang.name) if lang else code


@lru_cache(maxsize=8)
def _localized(locale: str) -> dict[str, str]:
    """Return code → name in locale for the languages CLDR names there ({} for English)."""
    if locale == "en":
        return {}
    # CLDR writes French language names in lower case ("français") and asks for a capital at
    # the start of a list or menu entry, which is where these names appear.
    return {
        code: name[:1].upper() + name[1:]
        for code, name in cldr_names(locale, "languages").items()
        if "_" not in code and name
    }


def language_choices(locale: str | None = None) -> list[tuple[str, str]]:
    """Return (code, name) in locale: rw, en, fr, sw first, then all other ISO 639-1 languages
    sorted by their name in that language (accents ignored)."""
    return list(_language_choices(locale or interface_locale()))


@lru_cache(maxsize=8)
def _language_choices(locale: str) -> tuple[tuple[str, str], ...]:
    names = {code: language_name(code, locale) for code in _iso639_1()}
    rest = sorted(
        (c for c in names if c not in PRIORITY_LANGUAGES), key=lambda c: sort_key(names[c])
    )
    return tuple((c, names[c]) for c in (*PRIORITY_LANGUAGES, *rest))


def level_choices() -> list[tuple[str, str]]:
    """Return (level, label) pairs for a proficiency select."""
    return [(lvl, LEVEL_LABELS[lvl]) for lvl in CEFR_LEVELS]
