"""Languages: any ISO 639 language (639-1 or 639-3), stored under one code, shown by name."""

from __future__ import annotations

import pytest

from app.reference.countries import default_timezone, timezone_by_country
from app.reference.languages import canonical_language, is_language, language_name


def test_iso_639_3_codes_are_languages() -> None:
    assert is_language("rw") and is_language("en")
    assert is_language("cgg")  # Chiga: ISO 639-3 only
    assert is_language("kin")  # Kinyarwanda's ISO 639-3 code
    assert not is_language("zzz") and not is_language("xx") and not is_language("")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("rw", "rw"),
        ("kin", "rw"),  # one language, one code: the two-letter one when it exists
        ("ENG", "en"),
        ("fre", "fr"),  # bibliographic code
        ("cgg", "cgg"),
        ("Chiga", "cgg"),
        ("  kinyarwanda ", "rw"),
        ("Swahili", "sw"),
        ("Lingala", "ln"),
    ],
)
def test_canonical_language(typed: str, stored: str) -> None:
    assert canonical_language(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "Klingonese", "zzz", "x"])
def test_canonical_language_refuses_unknown(typed: str) -> None:
    assert canonical_language(typed) is None


def test_iso_639_3_names_are_shown() -> None:
    assert language_name("cgg") == "Chiga"
    assert language_name("kin") == "Kinyarwanda"
    assert language_name("CGG") == "Chiga"
    assert language_name("zzz") == "zzz"


def test_timezone_by_country_matches_default_timezone() -> None:
    zones = timezone_by_country()
    assert zones["CA"] == "America/Toronto" == default_timezone("CA")
    assert zones["RW"] == "Africa/Kigali"
    assert len(zones) > 200
    assert all(zone == default_timezone(code) for code, zone in zones.items())
