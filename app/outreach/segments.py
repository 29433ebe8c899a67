"""Member segments: filters over professionals' profiles, evaluated at preview and at send time.

Filters (all optional, combined with AND; lists mean "any of"):
countries, cities, sectors, skills, languages, modes, genders, min_completeness (percent),
registered_from / registered_to (YYYY-MM-DD), placement ("any", "never", "placed", "completed").
Skills match by canonical name (app/reference/skills.py) or by the matcher's phrase similarity,
so "ML" or "machine-learning" finds "machine learning".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, literal, select

from app.auth.models import Role, User
from app.errors import DomainError
from app.extensions import db
from app.outreach.models import Segment

LIST_FILTERS = ("countries", "cities", "sectors", "skills", "languages", "modes", "genders")
PLACEMENT_CHOICES = ("any", "never", "placed", "completed")


def clean_filters(raw: dict[str, Any]) -> dict[str, Any]:
    """Keep only known, non-empty filters in a JSON-friendly shape."""
    filters: dict[str, Any] = {}
    for key in LIST_FILTERS:
        values = raw.get(key) or []
        if isinstance(values, str):
            values = [v for v in (part.strip() for part in values.split(",")) if v]
        values = [str(v).strip() for v in values if str(v).strip()]
        if values:
            filters[key] = values
    if raw.get("min_completeness") not in (None, "", 0):
        filters["min_completeness"] = int(raw["min_completeness"])
    for key in ("registered_from", "registered_to"):
        value = raw.get(key)
        if isinstance(value, date):
            value = value.isoformat()
        if value:
            filters[key] = str(value)
    placement = raw.get("placement") or "any"
    if placement not in PLACEMENT_CHOICES:
        raise DomainError(_("Choose a placement history."), field="placement")
    if placement != "any":
        filters["placement"] = placement
    return filters


def placement_user_ids(history: str) -> set[int] | None:
    """User ids with this placement history, or None for "everyone" ("any").

    "placed": a placement accepted or later and not closed (accepted ... evaluated);
    "completed": a placement completed or evaluated; "never": professionals with no placement
    accepted or later (closed ones do not count).
    """
    from app.placements.models import Placement
    from app.placements.states import CONTACT_REVEALED, PlacementStatus
    from app.profiles.models import Profile

    if history == "any":
        return None
    placed = sorted(CONTACT_REVEALED)
    completed = [PlacementStatus.COMPLETED, PlacementStatus.EVALUATED]
    statuses = completed if history == "completed" else placed
    with_history = (
        select(Profile.user_id)
        .join(Placement, Placement.profile_id == Profile.id)
        .where(Placement.status.in_(statuses))
    )
    if history == "never":
        query = select(Profile.user_id).where(Profile.user_id.not_in(with_history))
    else:
        query = with_history.distinct()
    return set(db.session.scalars(query))


_SKILL_MATCHERS: dict[str, Any] = {}


def skill_matcher() -> Any:
    """A Matcher over the app's one embedder (app/ranking's factory), kept while it is the same.

    Only its phrase encoder is used: no stored vectors, no database cache, so a segment preview
    never writes.
    """
    from app.matching import Matcher
    from app.ranking.services import get_embedder, matcher_settings

    embedder = get_embedder()
    key = str(current_app.config["MATCHING_CONFIG_PATH"])
    matcher = _SKILL_MATCHERS.get(key)
    if matcher is None or matcher.embedder is not embedder:
        matcher = Matcher(settings=matcher_settings(current_app.config), embedder=embedder)
        _SKILL_MATCHERS[key] = matcher
    return matcher


def matching_skill_names(wanted: Iterable[str], candidates: Iterable[str]) -> set[str]:
    """Return the candidate skill names equal (canonically) or similar to any wanted skill."""
    from app.matching import normalize_phrase
    from app.reference.skills import canonical_for

    wanted = [w for w in wanted if w.strip()]
    names = sorted(set(candidates))
    if not wanted or not names:
        return set()

    def key(text: str) -> str:
        return normalize_phrase(canonical_for(text) or text)

    wanted_keys = {key(w) for w in wanted}
    found = {n for n in names if key(n) in wanted_keys}
    rest = [n for n in names if n not in found]
    if rest:
        matcher = skill_matcher()
        threshold = float(matcher.settings.cover_threshold)
        vectors = matcher.encode_phrases([key(t) for t in [*wanted, *rest]])
        want = np.vstack([vectors[key(w)] for w in wanted])
        have = np.vstack([vectors[key(n)] for n in rest])
        want = want / np.maximum(np.linalg.norm(want, axis=1, keepdims=True), 1e-9)
        have = have / np.maximum(np.linalg.norm(have, axis=1, keepdims=True), 1e-9)
        sims = have @ want.T
        found.update(n for n, row in zip(rest, sims, strict=True) if float(row.max()) >= threshold)
    return found


def _day(value: str, end: bool = False) -> datetime:
    start = datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
    return start + timedelta(days=1) if end else start


def evaluate_filters(filters: dict[str, Any]) -> list[int]:
    """Return the user ids of enabled professionals matching the filters, now."""
    from app.profiles.models import Profile, ProfileLanguage, ProfileSkill

    # Sectors are a JSON list: read them only when filtering on them (decoding costs at scale).
    sectors_column = Profile.sectors if filters.get("sectors") else literal(None)
    query = (
        select(User.id, Profile.id, sectors_column)
        .join(Profile, Profile.user_id == User.id)
        .where(User.role == Role.PROFESSIONAL, User.is_enabled.is_(True))
        .where(Profile.merged_into_id.is_(None))
    )
    if filters.get("countries"):
        query = query.where(Profile.country.in_([c.upper() for c in filters["countries"]]))
    if filters.get("cities"):
        query = query.where(func.lower(Profile.city).in_([c.lower() for c in filters["cities"]]))
    if filters.get("modes"):
        modes = set(filters["modes"])
        if modes & {"remote", "onsite"}:
            modes.add("both")
        query = query.where(Profile.mode.in_(sorted(modes)))
    if filters.get("genders"):
        query = query.where(Profile.gender.in_(filters["genders"]))
    if filters.get("registered_from"):
        query = query.where(User.created_at >= _day(filters["registered_from"]))
    if filters.get("registered_to"):
        query = query.where(User.created_at < _day(filters["registered_to"], end=True))
    if filters.get("languages"):
        query = query.where(
            select(ProfileLanguage.id)
            .where(
                ProfileLanguage.profile_id == Profile.id,
                ProfileLanguage.code.in_([c.lower() for c in filters["languages"]]),
            )
            .exists()
        )
    rows = db.session.execute(query).all()
    if filters.get("sectors"):
        wanted = set(filters["sectors"])
        rows = [r for r in rows if wanted & set(r[2] or [])]
    if filters.get("skills") and rows:
        profile_ids = {r[1] for r in rows}
        skills = db.session.execute(select(ProfileSkill.profile_id, ProfileSkill.name)).all()
        skills = [(pid, name) for pid, name in skills if pid in profile_ids]
        matching = matching_skill_names(filters["skills"], (name for _, name in skills))
        keep = {pid for pid, name in skills if name in matching}
        rows = [r for r in rows if r[1] in keep]
    if filters.get("min_completeness") and rows:
        from app.profiles.services import completeness

        minimum = int(filters["min_completeness"])
        profiles = db.session.scalars(
            select(Profile).where(Profile.id.in_([r[1] for r in rows]))
        ).all()
        keep = {p.id for p in profiles if completeness(p) >= minimum}
        rows = [r for r in rows if r[1] in keep]
    placement = filters.get("placement", "any")
    if placement != "any":
        allowed = placement_user_ids(placement)
        if allowed is not None:
            rows = [r for r in rows if r[0] in allowed]
    return sorted({r[0] for r in rows})


@dataclass(frozen=True, slots=True)
class SegmentPreview:
    count: int
    sample: list[tuple[str, str, str]]  # name, country, headline


def preview_filters(filters: dict[str, Any], sample_size: int = 10) -> SegmentPreview:
    """Count the members the filters select now and show a sample of them."""
    from app.profiles.models import Profile
    from app.reference.countries import country_name

    ids = evaluate_filters(filters)
    sample_ids = ids[:sample_size]
    profiles = db.session.scalars(
        select(Profile).where(Profile.user_id.in_(sample_ids)).order_by(Profile.user_id)
    ).all()
    sample = [
        (
            p.display_name or p.user.display_name,
            country_name(p.country) if p.country else "",
            p.headline,
        )
        for p in profiles
    ]
    return SegmentPreview(count=len(ids), sample=sample)


def save_segment(
    segment: Segment | None, *, name: str, filters: dict[str, Any], author: User
) -> Segment:
    if not name.strip():
        raise DomainError(_("Give the segment a name."), field="name")
    if segment is None:
        segment = Segment(created_by_id=author.id)
        db.session.add(segment)
    segment.name = name.strip()[:120]
    segment.filters = clean_filters(filters)
    db.session.flush()
    return segment


def list_segments() -> list[Segment]:
    return list(db.session.scalars(select(Segment).order_by(Segment.name)))
