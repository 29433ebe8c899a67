"""Tests for districts, countries, languages and sectors reference data."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from app.reference.countries import (
    countries,
    country_choices,
    country_name,
    country_timezones,
    default_timezone,
)
from app.reference.districts import DISTRICTS, PROVINCES, district_choices, province_of
from app.reference.i18n import sort_key
from app.reference.languages import (
    CEFR_LEVELS,
    language_choices,
    language_name,
    level_choices,
)
from app.reference.sectors import SECTORS, Sector, sector_choices, sector_label


def test_thirty_districts_in_five_groups() -> None:
    assert len(DISTRICTS) == 30
    groups = district_choices()
    assert len(groups) == 5 == len(PROVINCES)
    sizes = {str(label): len(options) for label, options in groups}
    assert sizes == {
        "City of Kigali": 3,
        "Northern Province": 5,
        "Southern Province": 8,
        "Eastern Province": 7,
        "Western Province": 7,
    }
    assert sum(sizes.values()) == 30


def test_district_membership() -> None:
    kigali = {slug for slug, _ in district_choices()[0][1]}
    assert kigali == {"gasabo", "kicukiro", "nyarugenge"}
    assert province_of("musanze") == "northern"
    assert province_of("huye") == "southern"
    assert province_of("nyagatare") == "eastern"
    assert province_of("rubavu") == "western"
    assert province_of("atlantis") is None


def test_default_timezone() -> None:
    assert default_timezone("CA") is not None
    assert default_timezone("CA").startswith("America/")  # type: ignore[union-attr]
    assert default_timezone("RW") == "Africa/Kigali"
    assert default_timezone("be") == "Europe/Brussels"
    assert default_timezone("US") == "America/New_York"
    # Not in the hand-made table: falls back to the tz database.
    assert default_timezone("BT") == "Asia/Thimphu"
    assert default_timezone("XX") is None


def test_default_timezones_exist() -> None:
    for code in countries():
        zone = default_timezone(code)
        if zone is not None:
            ZoneInfo(zone)


def test_country_timezones_default_first() -> None:
    zones = country_timezones("CA")
    assert zones[0] == "America/Toronto"
    assert "America/Vancouver" in zones


def test_countries() -> None:
    assert len(countries()) >= 240
    assert country_name("RW") == "Rwanda"
    assert country_name("TZ") == "Tanzania"
    names = [name for _, name in country_choices()]
    # Accents do not send a name to the end of the list: "Åland Islands" sits with the A's.
    assert names == sorted(names, key=sort_key)
    assert names.index("Åland Islands") < names.index("Albania")


def test_languages_priority_order() -> None:
    codes = [code for code, _ in language_choices()]
    assert codes[:4] == ["rw", "en", "fr", "sw"]
    assert len(codes) == len(set(codes)) >= 180
    assert language_name("rw") == "Kinyarwanda"
    assert language_name("sw") == "Swahili"
    assert language_name("kin") == "Kinyarwanda"
    assert language_name("zz") == "zz"


def test_levels() -> None:
    assert CEFR_LEVELS == ("A1", "A2", "B1", "B2", "C1", "C2", "native")
    assert [lvl for lvl, _ in level_choices()] == list(CEFR_LEVELS)


def test_sectors() -> None:
    assert len(SECTORS) == 13
    assert [s for s, _ in sector_choices()] == list(SECTORS)
    assert str(sector_label("tourism")) == "Tourism and hospitality"
    assert sector_label("unknown") == "unknown"
    assert Sector("ict") is Sector.ICT
