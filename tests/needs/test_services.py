"""Need services and queries without HTTP: states, expiry, search, revisions, content hash."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app.errors import DomainError, InvalidTransition, NotAllowed
from app.extensions import db
from app.needs import queries, services
from app.needs.models import Need, NeedRevision, NeedStatus
from app.needs.queries import NeedFilters, search_needs
from app.needs.states import TRANSITIONS, can_transition, check_transition
from app.ranking.adapter import need_document
from tests.factories.auth import InstitutionUserFactory, StaffUserFactory
from tests.factories.institutions import InstitutionFactory
from tests.factories.needs import NeedFactory


def _data(**overrides: object) -> services.NeedData:
    values: dict[str, object] = {
        "title": "Data systems adviser",
        "sector": "ict",
        "mode": "remote",
        "start_date": date(2027, 1, 1),
        "end_date": date(2027, 6, 30),
        "background": "Paper registers.",
        "objectives": "Digitise them.",
        "required_skills": [("python", "must"), ("Data Analysis", "nice")],
        "languages": ["en"],
        "contact_name": "Ann",
        "contact_email": "ann@example.rw",
    }
    values.update(overrides)
    return services.NeedData(**values)  # type: ignore[arg-type]


def _titles(filters: NeedFilters) -> set[str]:
    return {need.title for need in db.session.scalars(search_needs(filters))}


def test_transition_table_allows_the_workflow_and_refuses_the_rest() -> None:
    assert can_transition("draft", "submitted")
    assert can_transition("submitted", "open")
    assert can_transition("submitted", "draft")
    assert can_transition("open", "expired")
    assert not can_transition("closed", "open")
    assert can_transition("filled", "open")  # reopened when a filling placement closes
    assert not TRANSITIONS[NeedStatus.CLOSED] and not TRANSITIONS[NeedStatus.EXPIRED]


def test_check_transition_raises_a_clear_error(app_context: Flask) -> None:
    with pytest.raises(InvalidTransition, match="cannot become"):
        check_transition("closed", "open")


def test_create_need_stores_canonical_skills_and_a_content_hash(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    need = services.create_need(InstitutionFactory(), _data(), created_by=user)
    assert need.status == NeedStatus.DRAFT
    assert [(s.name, s.importance) for s in need.skills] == [
        ("python programming", "must"),
        ("data analysis", "nice"),
    ]
    assert need.content_hash == need_document(need).content_hash()
    assert len(need.content_hash) == 64
    assert "python programming" in need.search_text


def test_content_hash_changes_with_skills_but_not_with_contact(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    need = services.create_need(InstitutionFactory(), _data(), created_by=user)
    first = need.content_hash
    services.update_need(need, _data(contact_name="Someone else"), edited_by=user)
    assert need.content_hash == first
    services.update_need(
        need, _data(required_skills=[("machine learning", "must")]), edited_by=user
    )
    assert need.content_hash != first
    assert [s.name for s in need.skills] == ["machine learning"]


def test_unverified_institution_cannot_submit_or_publish(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    staff = StaffUserFactory()
    need = services.create_need(InstitutionFactory(status="pending"), _data(), created_by=user)
    with pytest.raises(NotAllowed):
        services.submit_need(need, submitted_by=user)
    need.status = NeedStatus.SUBMITTED
    with pytest.raises(NotAllowed):
        services.publish_need(need, published_by=staff)
    assert need.status == NeedStatus.SUBMITTED


def test_member_cannot_publish_without_direct_publishing(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    need = services.create_need(InstitutionFactory(), _data(), created_by=user)
    with pytest.raises(NotAllowed):
        services.publish_need(need, published_by=user)
    services.submit_need(need, submitted_by=user)
    assert need.status == NeedStatus.SUBMITTED


def test_direct_publishing_for_institutions_staff_allowed(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    institution = InstitutionFactory(can_publish_directly=True)
    need = services.create_need(institution, _data(), created_by=user)
    services.submit_need(need, submitted_by=user)
    assert need.status == NeedStatus.OPEN


def test_direct_publishing_needs_staff_permission_not_just_the_setting(
    app_factory: object,
) -> None:
    # The setting is only the default given at verification; an organisation staff never
    # allowed still goes through review.
    app = app_factory(NEEDS_DIRECT_PUBLISH_FOR_VERIFIED=True)  # type: ignore[operator]
    with app.app_context():
        user = InstitutionUserFactory()
        need = services.create_need(InstitutionFactory(), _data(), created_by=user)
        with pytest.raises(NotAllowed):
            services.publish_need(need, published_by=user)
        services.submit_need(need, submitted_by=user)
        assert need.status == NeedStatus.SUBMITTED


def test_staff_return_to_draft_keeps_the_comment(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    staff = StaffUserFactory()
    need = services.create_need(InstitutionFactory(), _data(), created_by=user)
    services.submit_need(need, submitted_by=user)
    services.return_need_to_draft(need, returned_by=staff, comment="Add deliverables.")
    assert need.status == NeedStatus.DRAFT
    assert need.review_comment == "Add deliverables."


def test_expire_needs_moves_past_needs_only(app_context: Flask) -> None:
    past = NeedFactory(end_date=date(2027, 3, 31), status=NeedStatus.OPEN)
    submitted = NeedFactory(end_date=date(2027, 3, 1), status=NeedStatus.SUBMITTED)
    future = NeedFactory(end_date=date(2027, 12, 31), status=NeedStatus.OPEN)
    draft = NeedFactory(end_date=date(2027, 1, 31), status=NeedStatus.DRAFT)
    assert services.expire_needs(datetime(2027, 3, 31, 12, tzinfo=UTC)) == 1
    assert past.status == NeedStatus.OPEN  # the end day itself still counts
    count = services.expire_needs(datetime(2027, 4, 1, 8, tzinfo=UTC))
    assert count == 1
    assert past.status == NeedStatus.EXPIRED
    assert submitted.status == NeedStatus.EXPIRED
    assert future.status == NeedStatus.OPEN
    assert draft.status == NeedStatus.DRAFT


def test_revision_recorded_when_an_open_need_is_edited(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    need = services.create_need(InstitutionFactory(), _data(), created_by=user)
    assert services.update_need(need, _data(title="Draft rename"), edited_by=user) is None
    need.status = NeedStatus.OPEN
    revision = services.update_need(
        need, _data(title="Data systems lead", hours_per_week=10), edited_by=user
    )
    assert revision is not None and revision.user_id == user.id
    assert revision.changes["title"] == ["Draft rename", "Data systems lead"]
    assert revision.changes["hours_per_week"] == [None, 10]
    assert "background" not in revision.changes
    assert db.session.scalars(select(NeedRevision)).all() == [revision]


def test_search_words_and_each_filter(app_context: Flask) -> None:
    kigali = InstitutionFactory(district="gasabo")
    NeedFactory(
        title="Cardiac surgeon mentor",
        background="The new cardiac theatre opens.",
        sector="health",
        mode="onsite",
        district="gasabo",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 2, 28),
        skills=["cardiac surgery"],
        languages=["fr"],
        institution=kigali,
    )
    NeedFactory(
        title="Python data pipeline",
        objectives="Automate the reporting of 100% of clinics.",
        sector="ict",
        mode="remote",
        start_date=date(2027, 6, 1),
        end_date=date(2027, 9, 30),
        skills=["python programming", ("data analysis", "nice")],
        languages=["en"],
    )
    NeedFactory(
        title="Hybrid soil survey",
        sector="agriculture",
        mode="hybrid",
        district="huye",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 5, 31),
        skills=["soil science"],
        languages=["rw", "en"],
    )
    NeedFactory(title="Cardiac draft", status=NeedStatus.DRAFT, skills=["cardiac surgery"])
    db.session.flush()

    assert _titles(NeedFilters()) == {
        "Cardiac surgeon mentor",
        "Python data pipeline",
        "Hybrid soil survey",
    }
    assert _titles(NeedFilters(q="cardiac")) == {"Cardiac surgeon mentor"}
    assert _titles(NeedFilters(q="THEATRE cardiac")) == {"Cardiac surgeon mentor"}
    assert _titles(NeedFilters(q="reporting")) == {"Python data pipeline"}
    assert _titles(NeedFilters(q="data analysis")) == {"Python data pipeline"}
    assert _titles(NeedFilters(q="100%")) == {"Python data pipeline"}
    assert _titles(NeedFilters(q="nothing-like-this")) == set()
    assert _titles(NeedFilters(sector="agriculture")) == {"Hybrid soil survey"}
    assert _titles(NeedFilters(mode="remote")) == {"Python data pipeline"}
    assert _titles(NeedFilters(district="gasabo")) == {"Cardiac surgeon mentor"}
    assert _titles(
        NeedFilters(available_from=date(2027, 2, 15), available_to=date(2027, 3, 15))
    ) == {"Cardiac surgeon mentor", "Hybrid soil survey"}
    assert _titles(NeedFilters(available_from=date(2027, 7, 1))) == {"Python data pipeline"}
    assert _titles(NeedFilters(languages=["fr"])) == {"Cardiac surgeon mentor"}
    assert _titles(NeedFilters(languages=["rw", "fr"])) == {
        "Cardiac surgeon mentor",
        "Hybrid soil survey",
    }
    assert _titles(NeedFilters(skills=["Python"])) == {"Python data pipeline"}
    assert _titles(NeedFilters(skills=["soil science"])) == {"Hybrid soil survey"}
    assert _titles(NeedFilters(q="cardiac", statuses=[])) == {
        "Cardiac surgeon mentor",
        "Cardiac draft",
    }


def test_counts_by_status_and_application_hook(app_context: Flask) -> None:
    institution = InstitutionFactory()
    first = NeedFactory(institution=institution, status=NeedStatus.DRAFT)
    NeedFactory(institution=institution, status=NeedStatus.OPEN)
    NeedFactory(status=NeedStatus.OPEN)
    counts = queries.count_needs_by_status(institution.id)
    assert counts["draft"] == 1 and counts["open"] == 1 and counts["closed"] == 0
    assert queries.count_applications([first.id]) == {first.id: 0}
    assert db.session.scalar(select(Need).where(Need.id == first.id)) is first


def test_count_applications_counts_the_pipeline_not_closed_placements(app_context: Flask) -> None:
    from tests.factories.placements import PlacementFactory

    need, other = NeedFactory(status=NeedStatus.OPEN), NeedFactory(status=NeedStatus.OPEN)
    PlacementFactory(need=need, status="interested")
    PlacementFactory(need=need, status="invited")
    PlacementFactory(need=need, status="closed")
    assert queries.count_applications([need.id, other.id]) == {need.id: 2, other.id: 0}


def test_a_need_whose_dates_lie_wholly_in_the_past_is_refused_on_the_end_date(
    app_context: Flask,
) -> None:
    user = InstitutionUserFactory()
    today = datetime.now(UTC).date()
    past = _data(start_date=date(2020, 1, 1), end_date=date(2020, 3, 31))
    with pytest.raises(DomainError) as caught:
        services.create_need(InstitutionFactory(), past, created_by=user)
    assert caught.value.field == "end_date" and "past" in str(caught.value)
    # Ending today is still a need someone can take.
    services.check_need_dates_not_past(_data(start_date=today, end_date=today), today)
    # An old need keeps accepting edits that leave its dates alone; new past dates are refused.
    old = NeedFactory(start_date=date(2020, 1, 1), end_date=date(2020, 3, 31))
    same_dates = _data(start_date=old.start_date, end_date=old.end_date, title="Typo fixed")
    services.update_need(old, same_dates, edited_by=user)
    assert old.title == "Typo fixed"
    with pytest.raises(DomainError):
        services.update_need(
            old, _data(start_date=date(2021, 1, 1), end_date=date(2021, 2, 1)), edited_by=user
        )


def test_language_mode_is_stored_checked_and_passed_to_the_matcher(app_context: Flask) -> None:
    user = InstitutionUserFactory()
    need = services.create_need(
        InstitutionFactory(), _data(languages=["en", "fr"], language_mode="any"), created_by=user
    )
    assert need.language_mode == "any"
    assert need_document(need).language_mode == "any"
    default = services.create_need(InstitutionFactory(), _data(), created_by=user)
    assert default.language_mode == "all" and need_document(default).language_mode == "all"
    with pytest.raises(DomainError) as caught:
        services.create_need(InstitutionFactory(), _data(language_mode="some"), created_by=user)
    assert caught.value.field == "language_mode"
