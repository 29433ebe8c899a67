"""Rwanda's 30 districts grouped by the City of Kigali and the four provinces."""

from __future__ import annotations

from dataclasses import dataclass

from app.reference.i18n import lazy_gettext as _l


@dataclass(frozen=True, slots=True)
class District:
    """One district: slug, display label, province slug and its main town (district seat)."""

    slug: str
    label: str
    province: str
    seat: str


PROVINCES: dict[str, str] = {
    "kigali": _l("City of Kigali"),
    "northern": _l("Northern Province"),
    "southern": _l("Southern Province"),
    "eastern": _l("Eastern Province"),
    "western": _l("Western Province"),
}

# (label, seat) per province; seats use the names people actually put on addresses.
_BY_PROVINCE: dict[str, list[tuple[str, str]]] = {
    "kigali": [("Gasabo", "Kacyiru"), ("Kicukiro", "Kicukiro"), ("Nyarugenge", "Nyarugenge")],
    "northern": [
        ("Burera", "Burera"),
        ("Gakenke", "Gakenke"),
        ("Gicumbi", "Byumba"),
        ("Musanze", "Musanze"),
        ("Rulindo", "Base"),
    ],
    "southern": [
        ("Gisagara", "Ndora"),
        ("Huye", "Huye"),
        ("Kamonyi", "Gacurabwenge"),
        ("Muhanga", "Muhanga"),
        ("Nyamagabe", "Nyamagabe"),
        ("Nyanza", "Nyanza"),
        ("Nyaruguru", "Kibeho"),
        ("Ruhango", "Ruhango"),
    ],
    "eastern": [
        ("Bugesera", "Nyamata"),
        ("Gatsibo", "Kabarore"),
        ("Kayonza", "Mukarange"),
        ("Kirehe", "Kirehe"),
        ("Ngoma", "Kibungo"),
        ("Nyagatare", "Nyagatare"),
        ("Rwamagana", "Rwamagana"),
    ],
    "western": [
        ("Karongi", "Kibuye"),
        ("Ngororero", "Ngororero"),
        ("Nyabihu", "Mukamira"),
        ("Nyamasheke", "Nyamasheke"),
        ("Rubavu", "Gisenyi"),
        ("Rusizi", "Kamembe"),
        ("Rutsiro", "Gihango"),
    ],
}

DISTRICTS: dict[str, District] = {
    label.lower(): District(slug=label.lower(), label=label, province=province, seat=seat)
    for province, entries in _BY_PROVINCE.items()
    for label, seat in entries
}


def is_district(slug: str) -> bool:
    """Return True if slug is one of the 30 district slugs."""
    return slug in DISTRICTS


def district_label(slug: str) -> str:
    """Return the district's display name, or the slug if unknown."""
    d = DISTRICTS.get(slug)
    return d.label if d else slug


def province_of(slug: str) -> str | None:
    """Return the province slug of a district slug."""
    d = DISTRICTS.get(slug)
    return d.province if d else None


def districts_in(province: str) -> list[District]:
    """Return the districts of a province slug in alphabetical order."""
    return [d for d in DISTRICTS.values() if d.province == province]


def district_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Return [(province label, [(slug, label), ...]), ...] for a <select> with optgroups."""
    return [(PROVINCES[p], [(d.slug, d.label) for d in districts_in(p)]) for p in PROVINCES]
