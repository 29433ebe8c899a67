"""The personal-data registry: every feature declares how to export and erase what it holds.

A feature registers one section, usually in `app/<feature>/privacy.py` (imported automatically by
`load_sections()`), so the "Your data" download and account deletion cover features built later:

    @register_personal_data("outreach", tables=("messages", "inbox_items"))
    class OutreachData:
        @staticmethod
        def export(user: User) -> dict[str, Any]: ...   # JSON-serialisable
        @staticmethod
        def erase(user: User) -> None: ...              # flush, never commit

Erasers run in ascending `order` (the account row itself, order 1000, goes last so earlier
erasers can still read it). Rows that statistics need (placements, survey answers) are kept with
the person unlinked rather than deleted; see ErasedMemberStat.
`tables` names the tables the section takes care of; a test checks that every table pointing at
`users` is covered by some section (or exempted in NOT_PERSONAL_TABLES with a reason).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from app.auth.models import User

Exporter = Callable[[User], dict[str, Any]]
Eraser = Callable[[User], None]


class _SectionClass(Protocol):
    @staticmethod
    def export(user: User) -> dict[str, Any]: ...

    @staticmethod
    def erase(user: User) -> None: ...


C = TypeVar("C", bound=type)


@dataclass(frozen=True)
class PersonalDataSection:
    name: str
    exporter: Exporter
    eraser: Eraser
    order: int
    tables: tuple[str, ...]


_SECTIONS: dict[str, PersonalDataSection] = {}

# Tables that point at users but hold no personal data of that user worth exporting or erasing,
# with the reason. The audit log is the accountability record (ids, never names or contacts).
NOT_PERSONAL_TABLES: dict[str, str] = {
    "audit_entries": "accountability record: ids, IP and action only; kept by law",
    # "Who created/reviewed this" links: after erasure they point at the anonymised account row.
    "institutions": "created_by_id/reviewed_by_id: author links to the (anonymised) account",
    "needs": "created_by_id: author link to the (anonymised) account",
    "need_revisions": "user_id: author of a revision, link to the (anonymised) account",
    "segments": "created_by_id: staff author",
    "outreach_messages": "created_by_id: staff author",
}


def register_personal_data(
    name: str, *, order: int = 100, tables: tuple[str, ...] = ()
) -> Callable[[C], C]:
    """Class decorator: register the class's static `export(user)` and `erase(user)`."""

    def decorator(cls: C) -> C:
        add_section(name, cls.export, cls.erase, order=order, tables=tables)  # type: ignore[attr-defined]
        return cls

    return decorator


def add_section(
    name: str,
    exporter: Exporter,
    eraser: Eraser,
    *,
    order: int = 100,
    tables: tuple[str, ...] = (),
) -> None:
    """Register (or replace, on re-import) a personal-data section."""
    _SECTIONS[name] = PersonalDataSection(name, exporter, eraser, order, tables)


def load_sections() -> list[PersonalDataSection]:
    """Import every feature's `privacy` module, then return the sections in erasure order."""
    from app import FEATURE_BLUEPRINTS

    importlib.import_module("app.privacy.handlers")
    for feature in FEATURE_BLUEPRINTS:
        module_name = f"app.{feature}.privacy"
        if feature != "privacy" and importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name)
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def covered_tables() -> set[str]:
    """Return the tables some registered section takes care of."""
    load_sections()
    return {table for section in _SECTIONS.values() for table in section.tables}
