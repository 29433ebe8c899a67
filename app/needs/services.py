"""Need logic: drafting, the review workflow, revisions, expiry and the matcher's content hash."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.database import utcnow
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.institutions.models import Institution
from app.institutions.services import external_url
from app.mail import MailDeliveryError, render_email, send_email
from app.needs.models import (
    LANGUAGE_MODES,
    Importance,
    Need,
    NeedLanguage,
    NeedMode,
    NeedRevision,
    NeedSkill,
)
from app.needs.models import NeedStatus as S
from app.needs.queries import list_open_need_skills
from app.needs.states import check_transition
from app.profiles import services as profile_services
from app.reference.districts import is_district
from app.reference.languages import is_language
from app.reference.sectors import is_sector
from app.reference.skills import suggest

log = logging.getLogger("umuhuza.needs")


@dataclass(slots=True)
class NeedData:
    """The terms of reference as typed by the institution (already shape-checked by the form)."""

    title: str
    sector: str
    mode: str
    start_date: date
    end_date: date
    background: str = ""
    objectives: str = ""
    deliverables: list[str] = field(default_factory=list)
    success_criteria: str = ""
    required_skills: list[tuple[str, str]] = field(default_factory=list)
    district: str | None = None
    site: str = ""
    duration_weeks: int | None = None
    hours_per_week: int | None = None
    languages: list[str] = field(default_factory=list)
    # "all": candidates must speak every listed language; "any": one of them is enough.
    language_mode: str = "all"
    people_needed: int = 1
    offers: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    application_deadline: date | None = None


def canonical_skill(name: str, spellings: Mapping[str, str] | None = None) -> str:
    """Return how a skill is stored: the vocabulary's canonical name, else the spelling members
    already use for the same skill, else the name tidied and lower-cased.

    Needs and profiles share this rule so that the matcher sees one spelling of each skill.
    """
    return profile_services.canonical_skill(name, spellings)


def suggest_skills(query: str, *, include_member_skills: bool, limit: int = 10) -> list[str]:
    """Autocomplete for need skills: the vocabulary, skills of open needs and, for signed-in
    users, skills members already use (the spellings the matcher will compare with)."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    extra = list_open_need_skills()
    if include_member_skills:
        extra += profile_services.list_member_skills()
    # A query in any language finds a skill, shown by its label in the page's language.
    return suggest(query, limit=limit, extra_terms=extra, language=str(get_locale() or "en"))


def check_need_data(data: NeedData) -> None:
    """Raise DomainError (with the field) when the terms of reference break a rule."""
    if not data.title.strip():
        raise DomainError(_("Give the need a title."), field="title")
    if not is_sector(data.sector):
        raise DomainError(_("Choose a sector from the list."), field="sector")
    if data.mode not in set(NeedMode):
        raise DomainError(_("Choose remote, on-site or hybrid."), field="mode")
    if data.mode in (NeedMode.ONSITE, NeedMode.HYBRID) and not (
        data.district and is_district(data.district)
    ):
        raise DomainError(_("Choose the district where the work takes place."), field="district")
    if data.end_date < data.start_date:
        raise DomainError(_("The end date must be on or after the start date."), field="end_date")
    if data.application_deadline and data.application_deadline > data.end_date:
        raise DomainError(
            _("The application deadline must be on or before the end date."),
            field="application_deadline",
        )
    if not [name for name, _importance in data.required_skills if name.strip()]:
        raise DomainError(_("Add at least one required skill."), field="required_skills")
    for code in data.languages:
        if not is_language(code):
            raise DomainError(_("Choose languages from the list."), field="languages")
    if data.language_mode not in LANGUAGE_MODES:
        raise DomainError(
            _("Choose whether all or any of the languages are required."), field="language_mode"
        )
    if "none" in data.offers and len(data.offers) > 1:
        raise DomainError(_("“Nothing” cannot be combined with other offers."), field="offers")


def check_need_dates_not_past(data: NeedData, today: date | None = None) -> None:
    """A need whose dates lie wholly in the past can reach no one: refuse it by its end date."""
    today = today or utcnow().date()
    if data.end_date < today:
        raise DomainError(
            _("The dates lie wholly in the past: the latest end must be today or later."),
            field="end_date",
        )


def _apply(need: Need, data: NeedData) -> None:
    need.title = " ".join(data.title.split())
    need.background = data.background.strip()
    need.objectives = data.objectives.strip()
    need.deliverables = [d.strip() for d in data.deliverables if d and d.strip()]
    need.success_criteria = data.success_criteria.strip()
    need.sector = data.sector
    need.mode = NeedMode(data.mode)
    onsite = need.mode in (NeedMode.ONSITE, NeedMode.HYBRID)
    need.district = data.district if onsite else None
    need.site = data.site.strip() if onsite else ""
    need.start_date = data.start_date
    need.end_date = data.end_date
    need.duration_weeks = data.duration_weeks
    need.hours_per_week = data.hours_per_week
    need.people_needed = data.people_needed or 1
    need.offers = list(dict.fromkeys(data.offers))
    need.contact_name = data.contact_name.strip()
    need.contact_email = data.contact_email.strip().lower()
    need.contact_phone = data.contact_phone.strip()
    need.application_deadline = data.application_deadline
    need.language_mode = data.language_mode
    _set_skills(need, data.required_skills)
    _set_languages(need, data.languages)


def _set_skills(need: Need, skills: list[tuple[str, str]]) -> None:
    wanted: dict[str, str] = {}
    spellings = profile_services.member_skill_spellings()  # once, not once per skill
    for name, importance in skills:
        if not name.strip():
            continue
        canonical = canonical_skill(name, spellings)
        # A skill listed twice keeps its strongest importance.
        if wanted.get(canonical) != Importance.MUST:
            wanted[canonical] = Importance(importance or Importance.MUST)
    existing = {s.name: s for s in need.skills}
    for name in list(existing):
        if name not in wanted:
            need.skills.remove(existing.pop(name))
    # Removed rows must be deleted before a re-added name hits the unique constraint.
    db.session.flush()
    for position, (name, importance) in enumerate(wanted.items()):
        row = existing.get(name)
        if row is None:
            need.skills.append(NeedSkill(name=name, importance=importance, position=position))
        else:
            row.importance = Importance(importance)
            row.position = position
    need.skills.sort(key=lambda s: s.position)


def _set_languages(need: Need, codes: list[str]) -> None:
    wanted = list(dict.fromkeys(c.strip().lower() for c in codes if c.strip()))
    for row in list(need.languages):
        if row.code not in wanted:
            need.languages.remove(row)
    db.session.flush()
    have = {row.code for row in need.languages}
    for code in wanted:
        if code not in have:
            need.languages.append(NeedLanguage(code=code))


def _snapshot(need: Need) -> dict[str, Any]:
    """Return the need's editable fields as JSON-ready values (for revision diffs)."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "title": need.title,
        "background": need.background,
        "objectives": need.objectives,
        "deliverables": list(need.deliverables or []),
        "success_criteria": need.success_criteria,
        "required_skills": [f"{s.name} ({s.importance})" for s in need.skills],
        "sector": need.sector,
        "mode": str(need.mode),
        "district": need.district,
        "site": need.site,
        "start_date": iso(need.start_date),
        "end_date": iso(need.end_date),
        "duration_weeks": need.duration_weeks,
        "hours_per_week": need.hours_per_week,
        "languages": sorted(lang.code for lang in need.languages),
        "language_mode": need.language_mode,
        "people_needed": need.people_needed,
        "offers": list(need.offers or []),
        "contact_name": need.contact_name,
        "contact_email": need.contact_email,
        "contact_phone": need.contact_phone,
        "application_deadline": iso(need.application_deadline),
    }


def refresh_content_hash(need: Need) -> None:
    """Recompute the search column and the matcher's content hash after any change to a need."""
    from app.ranking.adapter import need_document

    db.session.flush()
    parts = [
        need.title,
        need.background,
        need.objectives,
        " ".join(need.deliverables or []),
        " ".join(s.name for s in need.skills),
    ]
    need.search_text = " ".join(" ".join(p.split()) for p in parts if p).lower()
    need.content_hash = need_document(need).content_hash()


def create_need(institution: Institution, data: NeedData, *, created_by: User) -> Need:
    """Create a draft need for the institution (unverified institutions may draft too)."""
    check_need_data(data)
    check_need_dates_not_past(data)
    need = Need(institution_id=institution.id, created_by_id=created_by.id, status=S.DRAFT)
    need.institution = institution
    db.session.add(need)
    _apply(need, data)
    refresh_content_hash(need)
    return need


def update_need(need: Need, data: NeedData, *, edited_by: User) -> NeedRevision | None:
    """Save new terms of reference; a need already sent out keeps a revision of what changed.

    Raises NotAllowed when the need is filled, closed or expired.
    """
    from app.needs.states import EDITABLE

    if need.status not in EDITABLE:
        raise NotAllowed(_("A need that is filled, closed or expired can no longer be edited."))
    check_need_data(data)
    # Only new dates must lie ahead: fixing a typo in an old need keeps working.
    if (data.start_date, data.end_date) != (need.start_date, need.end_date):
        check_need_dates_not_past(data)
    before = _snapshot(need)
    _apply(need, data)
    refresh_content_hash(need)
    after = _snapshot(need)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes or need.status == S.DRAFT:
        return None
    revision = NeedRevision(need_id=need.id, user_id=edited_by.id, changes=changes)
    db.session.add(revision)
    db.session.flush()
    return revision


def _require_verified(need: Need) -> None:
    if not need.institution.is_verified:
        raise NotAllowed(
            _("Your organisation must be verified by RCA staff before its needs can be published.")
        )


def direct_publish_allowed(need: Need) -> bool:
    """Return True when the institution is verified and staff let it publish without review."""
    return need.institution.is_verified and need.institution.can_publish_directly


def submit_need(need: Need, *, submitted_by: User) -> None:
    """Send a draft to RCA staff for review (or publish it at once when direct publishing is on).

    Raises NotAllowed for unverified institutions and InvalidTransition unless it is a draft.
    """
    _require_verified(need)
    if direct_publish_allowed(need):
        publish_need(need, published_by=submitted_by)
        return
    check_transition(need.status, S.SUBMITTED)
    check_need_data(_data_of(need))
    need.status = S.SUBMITTED
    need.submitted_at = utcnow()
    need.review_comment = ""
    refresh_content_hash(need)


def publish_need(need: Need, *, published_by: User) -> None:
    """Open the need to professionals; staff publish submitted needs, verified institutions that
    staff allowed to publish directly may publish their drafts.

    Raises NotAllowed for unverified institutions or a member without direct publishing.
    """
    _require_verified(need)
    if not published_by.is_staff:
        if not direct_publish_allowed(need):
            raise NotAllowed(_("RCA staff publish needs after review."))
    elif need.status == S.DRAFT:
        raise NotAllowed(_("Only needs submitted for review can be published."))
    check_transition(need.status, S.OPEN)
    check_need_data(_data_of(need))
    need.status = S.OPEN
    need.published_at = utcnow()
    need.review_comment = ""
    refresh_content_hash(need)
    if need.created_by is not None and need.created_by.id != published_by.id:
        _notify(
            need.created_by,
            _("Your need is published on Umuhuza"),
            "need_published",
            need=need,
            link=external_url("needs.detail", need_id=need.id),
        )


def return_need_to_draft(need: Need, *, returned_by: User, comment: str) -> None:
    """Staff send a submitted need back to its institution with a comment."""
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Tell the institution what to change."), field="comment")
    if need.status != S.SUBMITTED:
        check_transition(need.status, S.DRAFT)
    need.status = S.DRAFT
    need.review_comment = comment
    refresh_content_hash(need)
    if need.created_by is not None:
        _notify(
            need.created_by,
            _("Your need was returned for changes"),
            "need_returned",
            need=need,
            comment=comment,
            link=external_url("needs.edit", need_id=need.id),
        )


def close_need(need: Need, *, closed_by: User) -> None:
    """Close a need without filling it; its open placements close as "institution withdrew"."""
    # Imported here: placements build on needs, so needs may only reach back at call time.
    from app.placements.services import close_placements_of_need

    check_transition(need.status, S.CLOSED)
    need.status = S.CLOSED
    need.closed_at = utcnow()
    refresh_content_hash(need)
    close_placements_of_need(need, by=closed_by)


def reopen_need(need: Need) -> None:
    """Reopen a filled need (one of the placements that filled it has closed)."""
    check_transition(need.status, S.OPEN)
    need.status = S.OPEN
    need.closed_at = None
    refresh_content_hash(need)


def mark_need_filled(need: Need, *, filled_by: User) -> None:
    """Mark an open need as filled."""
    check_transition(need.status, S.FILLED)
    need.status = S.FILLED
    need.closed_at = utcnow()
    refresh_content_hash(need)


def expire_needs(now: datetime) -> int:
    """Move open and submitted needs whose end date has passed to expired; return how many."""
    today = now.date()
    needs = db.session.scalars(
        select(Need).where(Need.status.in_([S.OPEN, S.SUBMITTED]), Need.end_date < today)
    ).all()
    for need in needs:
        check_transition(need.status, S.EXPIRED)
        need.status = S.EXPIRED
        need.closed_at = now
    db.session.flush()
    return len(needs)


def _data_of(need: Need) -> NeedData:
    return NeedData(
        title=need.title,
        sector=need.sector,
        mode=str(need.mode),
        start_date=need.start_date,
        end_date=need.end_date,
        district=need.district,
        application_deadline=need.application_deadline,
        required_skills=[(s.name, str(s.importance)) for s in need.skills],
        languages=[lang.code for lang in need.languages],
        language_mode=need.language_mode,
        offers=list(need.offers or []),
    )


def _notify(user: User, subject: str, template: str, **context: Any) -> None:
    try:
        send_email(
            render_email(user.email, subject, template, locale=user.locale, user=user, **context)
        )
    except MailDeliveryError:
        log.exception("Could not email %s (%s)", user.email, template)
