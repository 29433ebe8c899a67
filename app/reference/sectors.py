"""Rwanda's priority sectors as stable slugs with translatable English labels."""

from __future__ import annotations

from enum import StrEnum

from app.reference.i18n import lazy_gettext as _l


class Sector(StrEnum):
    """Priority sector slug; values are stored in the database, so never rename them."""

    HEALTH = "health"
    EDUCATION = "education"
    ICT = "ict"
    AGRICULTURE = "agriculture"
    ENERGY = "energy"
    FINANCE = "finance"
    INFRASTRUCTURE = "infrastructure"
    MANUFACTURING = "manufacturing"
    TOURISM = "tourism"
    PUBLIC_ADMINISTRATION = "public_administration"
    ENVIRONMENT = "environment"
    MINING = "mining"
    CREATIVE_INDUSTRIES = "creative_industries"


# Skills such as project management belong to no single sector; they carry this pseudo-sector.
CROSS_CUTTING = "cross_cutting"

SECTOR_LABELS: dict[Sector, str] = {
    Sector.HEALTH: _l("Health"),
    Sector.EDUCATION: _l("Education"),
    Sector.ICT: _l("ICT and innovation"),
    Sector.AGRICULTURE: _l("Agriculture"),
    Sector.ENERGY: _l("Energy"),
    Sector.FINANCE: _l("Finance"),
    Sector.INFRASTRUCTURE: _l("Infrastructure and construction"),
    Sector.MANUFACTURING: _l("Manufacturing"),
    Sector.TOURISM: _l("Tourism and hospitality"),
    Sector.PUBLIC_ADMINISTRATION: _l("Public administration and law"),
    Sector.ENVIRONMENT: _l("Environment"),
    Sector.MINING: _l("Mining"),
    Sector.CREATIVE_INDUSTRIES: _l("Creative industries"),
}

SECTORS: tuple[str, ...] = tuple(s.value for s in Sector)


def is_sector(slug: str) -> bool:
    """Return True if slug is a known priority sector."""
    return slug in SECTORS


def sector_label(slug: str) -> str:
    """Return the (lazily translated) label of a sector slug, or the slug itself if unknown."""
    try:
        return SECTOR_LABELS[Sector(slug)]
    except ValueError:
        return slug


def sector_choices() -> list[tuple[str, str]]:
    """Return (slug, label) pairs in the stable sector order for a form select."""
    return [(s.value, SECTOR_LABELS[s]) for s in Sector]
