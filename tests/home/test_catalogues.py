"""Every user-visible string in the code has a French and a Kinyarwanda translation.

The strings are extracted from the source as `make extract-messages` does (config/babel.cfg), so
a string added without a translation fails here, not in front of a member.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
LOCALES = ("fr", "rw")
# The same mapping as config/babel.cfg (extract_from_dir needs it as a list).
METHOD_MAP = [
    ("app/**.py", "python"),
    ("app/templates/**.html", "jinja2"),
    ("app/templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


@lru_cache(maxsize=1)
def _source_messages() -> frozenset[str]:
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return frozenset(m for m in found if m)


def _catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_extraction_finds_the_app_strings() -> None:
    messages = _source_messages()
    assert "Skip to content" in messages
    assert len(messages) > 1000


@pytest.mark.parametrize("locale", LOCALES)
def test_every_source_string_is_translated(locale: str) -> None:
    catalogue = _catalogue(locale)
    missing = []
    for msgid in sorted(_source_messages()):
        entry = catalogue.get(msgid)
        strings = entry.string if entry is not None else ""
        translations = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(translations):
            missing.append(msgid)
    assert not missing, f"{len(missing)} strings lack a {locale} translation: {missing[:20]}"
