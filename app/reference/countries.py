"""ISO 3166 countries via pycountry, named in the interface language via CLDR (Babel), and a
default IANA time zone per country."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycountry

from app.reference.i18n import cldr_names, interface_locale, sort_key

# The most populous / most likely zone for countries where the diaspora lives; zone.tab's first
# entry is often a remote or alphabetical pick (e.g. Canada → St Johns), which would mislead users.
_PRIMARY_ZONES: dict[str, str] = {
    "AE": "Asia/Dubai",
    "AR": "America/Argentina/Buenos_Aires",
    "AT": "Europe/Vienna",
    "AU": "Australia/Sydney",
    "BE": "Europe/Brussels",
    "BI": "Africa/Bujumbura",
    "BJ": "Africa/Porto-Novo",
    "BR": "America/Sao_Paulo",
    "BW": "Africa/Gaborone",
    "CA": "America/Toronto",
    "CD": "Africa/Lubumbashi",
    "CG": "Africa/Brazzaville",
    "CH": "Europe/Zurich",
    "CI": "Africa/Abidjan",
    "CL": "America/Santiago",
    "CM": "Africa/Douala",
    "CN": "Asia/Shanghai",
    "CZ": "Europe/Prague",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "EG": "Africa/Cairo",
    "ES": "Europe/Madrid",
    "ET": "Africa/Addis_Ababa",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "GA": "Africa/Libreville",
    "GB": "Europe/London",
    "GH": "Africa/Accra",
    "IE": "Europe/Dublin",
    "IL": "Asia/Jerusalem",
    "IN": "Asia/Kolkata",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "KE": "Africa/Nairobi",
    "KR": "Asia/Seoul",
    "LU": "Europe/Luxembourg",
    "MA": "Africa/Casablanca",
    "MG": "Indian/Antananarivo",
    "MW": "Africa/Blantyre",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "MZ": "Africa/Maputo",
    "NG": "Africa/Lagos",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "NZ": "Pacific/Auckland",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "QA": "Asia/Qatar",
    "RU": "Europe/Moscow",
    "RW": "Africa/Kigali",
    "SA": "Asia/Riyadh",
    "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore",
    "SN": "Africa/Dakar",
    "SS": "Africa/Juba",
    "TR": "Europe/Istanbul",
    "TZ": "Africa/Dar_es_Salaam",
    "UG": "Africa/Kampala",
    "US": "America/New_York",
    "ZA": "Africa/Johannesburg",
    "ZM": "Africa/Lusaka",
    "ZW": "Africa/Harare",
}


def country_name(alpha_2: str, locale: str | None = None) -> str:
    """Return a country's name in locale (the interface language when None), or the code if
    unknown. English names are pycountry's common names; other languages take CLDR's names and
    fall back to English where CLDR has none (Kinyarwanda names only a few countries)."""
    code = alpha_2.upper()
    english = countries().get(code)
    if english is None:
        return alpha_2
    return _localized(locale or interface_locale()).get(code, english)


def is_country(alpha_2: str) -> bool:
    """Return True if alpha_2 is an ISO 3166-1 alpha-2 code."""
    return alpha_2.upper() in countries()


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Return alpha_2 → common English name for all ISO 3166-1 countries."""
    # common_name gives "Tanzania" rather than "Tanzania, United Republic of".
    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


@lru_cache(maxsize=8)
def _localized(locale: str) -> dict[str, str]:
    """Return alpha_2 → name in locale for the countries CLDR names there ({} for English)."""
    if locale == "en":
        return {}
    names = cldr_names(locale, "territories")
    return {code: names[code] for code in countries() if code in names}


def country_choices(locale: str | None = None) -> list[tuple[str, str]]:
    """Return (alpha_2, name) pairs in locale (the interface language when None), sorted by
    the name as a reader of that language expects (accents ignored)."""
    return list(_country_choices(locale or interface_locale()))


@lru_cache(maxsize=8)
def _country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    named = ((code, country_name(code, locale)) for code in countries())
    return tuple(sorted(named, key=lambda kv: sort_key(kv[1])))


def _read_zone_tab() -> str:
    """Return zone.tab text, preferring the tzdata package over the system database."""
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    for path in (Path("/usr/share/zoneinfo/zone.tab"), Path("/usr/share/zoneinfo/zone1970.tab")):
        if path.exists():
            return path.read_text("utf-8")
    return ""


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """Return alpha_2 → IANA zones in zone.tab order."""
    out: dict[str, list[str]] = {}
    for line in _read_zone_tab().splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        # zone1970.tab lists several comma-separated countries per zone.
        for code in parts[0].split(","):
            out.setdefault(code, []).append(parts[2])
    return {k: tuple(v) for k, v in out.items()}


def country_timezones(alpha_2: str) -> list[str]:
    """Return the IANA zones of a country, the default one first."""
    code = alpha_2.upper()
    zones = list(_zones_by_country().get(code, ()))
    primary = _PRIMARY_ZONES.get(code)
    if primary:
        zones = [primary, *(z for z in zones if z != primary)]
    return zones


def default_timezone(alpha_2: str) -> str | None:
    """Return the IANA zone to pre-fill for a country, or None if unknown."""
    zones = country_timezones(alpha_2)
    return zones[0] if zones else None


@lru_cache(maxsize=1)
def timezone_by_country() -> dict[str, str]:
    """Return alpha_2 → the zone default_timezone() pre-fills, for every country that has one."""
    return {code: zone for code in countries() if (zone := default_timezone(code))}
