"""Aggregate counts by gender, small-cell suppression and totals that survive erasures."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from app.extensions import db
from app.insights import queries, reports
from app.insights.charts import Series, bar_chart_svg
from app.insights.queries import DateRange
from app.placements.states import PlacementStatus
from app.privacy.models import ConsentKind
from app.privacy.queries import count_members_by
from app.privacy.services import erase_member, record_consent
from tests.factories.insights import add_member, add_members
from tests.factories.institutions import InstitutionFactory
from tests.factories.needs import NeedFactory
from tests.factories.placements import PlacementFactory


def test_members_by_gender_counts_each_bucket(app_context: Flask) -> None:
    add_members(3, "female")
    add_members(2, "male")
    add_members(1, "prefer_not_to_say")
    add_members(1, None)
    add_members(1, "non_binary")  # any other stored value is "another"
    db.session.commit()

    assert queries.members_by_gender() == {
        "female": 3,
        "male": 2,
        "another": 1,
        "prefer_not_to_say": 1,
        "not_given": 1,
    }


def test_members_without_statistics_consent_are_not_counted(app_context: Flask) -> None:
    add_members(2, "female")
    add_member("female", statistics=False)
    add_member("female", statistics=None)
    withdrawn = add_member("male")
    record_consent(withdrawn.user, ConsentKind.STATISTICS, False)
    db.session.commit()

    counts = queries.members_by_gender()
    assert counts["female"] == 2
    assert counts["male"] == 0


def test_gender_by_country_suppresses_small_cells_and_keeps_true_totals(
    app_context: Flask,
) -> None:
    add_members(6, "female", country="CA")
    add_members(2, "male", country="CA")
    add_members(5, "male", country="US")
    db.session.commit()

    table = reports.members_by_country()
    rows = {row.label: row for row in table.rows}
    canada = rows["Canada"]
    assert canada.cells[:2] == [6, "<5"]
    assert canada.total == 8  # the true total, not 6
    assert rows["United States"].cells[:2] == [0, 5]
    assert table.totals[:2] == [6, 7]
    assert table.grand_total == 13
    csv_text = reports.to_csv(table)
    assert "Canada,6,<5,0,0,0,8" in csv_text


def test_suppress_is_the_one_rule() -> None:
    assert [reports.suppress(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]


def test_top_fifteen_countries_then_other(app_context: Flask) -> None:
    codes = ["CA", "US", "BE", "FR", "DE", "GB", "NL", "SE", "CH", "IT", "ES", "KE", "UG", "ZA"]
    codes += ["JP", "CN", "AU"]
    for i, code in enumerate(codes):
        add_members(1 + (i < 15), "female", country=code)
    db.session.commit()

    table = reports.members_by_country()
    assert len(table.rows) == 16
    assert table.rows[-1].label == "Other countries"
    assert table.rows[-1].total == 2
    assert table.grand_total == 32


def test_sectors_count_each_interest(app_context: Flask) -> None:
    add_members(5, "female", sectors=["health", "education"])
    add_members(1, "male", sectors=["health"])
    db.session.commit()

    counts = queries.members_by_gender_and_sector()
    assert counts[("health", "female")] == 5
    assert counts[("education", "female")] == 5
    assert counts[("health", "male")] == 1
    table = reports.members_by_sector()
    assert table.rows[0].label == "Health"
    assert table.rows[0].cells[:2] == [5, "<5"]
    assert table.rows[0].total == 6


def test_totals_unchanged_after_a_member_erases_their_account(app_context: Flask) -> None:
    add_members(5, "female", country="BE", sectors=["ict"])
    leaving = add_member("female", country="BE", sectors=["ict"])
    db.session.commit()
    before = (
        queries.members_by_gender(),
        queries.members_by_gender_and_country(),
        queries.members_by_gender_and_sector(),
    )

    erase_member(leaving.user)
    db.session.commit()

    after = (
        queries.members_by_gender(),
        queries.members_by_gender_and_country(),
        queries.members_by_gender_and_sector(),
    )
    assert after == before
    assert after[0]["female"] == 6
    # Same figure as the privacy feature's own counter when everyone consented.
    assert count_members_by("gender")["female"] == 6


def test_member_who_refused_statistics_is_not_counted_after_erasure(app_context: Flask) -> None:
    add_members(5, "male", country="BE")
    refusing = add_member("male", country="BE", statistics=False)
    db.session.commit()
    before = queries.members_by_gender()
    assert before["male"] == 5

    erase_member(refusing.user)
    db.session.commit()

    assert queries.members_by_gender() == before
    # The privacy counter (every member, consent or not) keeps counting them, as before.
    assert count_members_by("gender")["male"] == 6


def test_date_range_filters_by_registration(app_context: Flask) -> None:
    add_members(2, "female", joined=datetime(2024, 3, 10, tzinfo=UTC))
    add_members(3, "male", joined=datetime(2025, 6, 1, tzinfo=UTC))
    db.session.commit()

    in_2025 = queries.members_by_gender(DateRange(date(2025, 1, 1), date(2025, 12, 31)))
    assert (in_2025["female"], in_2025["male"]) == (0, 3)
    until_march = queries.members_by_gender(DateRange(None, date(2024, 3, 10)))
    assert (until_march["female"], until_march["male"]) == (2, 0)


def test_signups_per_month_by_gender(app_context: Flask) -> None:
    add_members(2, "female", joined=datetime(2025, 5, 20, tzinfo=UTC))
    add_members(1, "male", joined=datetime(2025, 6, 2, tzinfo=UTC))
    add_members(1, "male", joined=datetime(2023, 1, 2, tzinfo=UTC))  # outside the 12 months
    db.session.commit()

    months, counts = queries.signups_by_month_and_gender(today=date(2025, 6, 30))
    assert months[0] == "2024-07" and months[-1] == "2025-06"
    assert counts[("2025-05", "female")] == 2
    assert counts[("2025-06", "male")] == 1
    assert sum(counts.values()) == 3


def test_institutions_and_needs_are_grouped(app_context: Flask) -> None:
    hospital = InstitutionFactory(type="public_hospital", status="verified")
    InstitutionFactory(type="ngo", status="pending")
    NeedFactory(institution=hospital, sector="health", status="open")
    NeedFactory(institution=hospital, sector="health", status="draft")
    NeedFactory(institution=hospital, sector="ict", status="open")
    db.session.commit()

    institutions = queries.institutions_by_type_and_status()
    assert institutions[("public_hospital", "verified")] == 1
    assert institutions[("ngo", "pending")] == 1
    needs = queries.needs_by_sector_and_status()
    assert needs[("health", "open")] == 1
    assert needs[("health", "draft")] == 1
    assert needs[("ict", "open")] == 1


def test_placements_by_gender_and_outcomes(app_context: Flask) -> None:
    women = add_members(5, "female")
    man = add_member("male")
    refused = add_member("female", statistics=False)
    for profile in women:
        PlacementFactory(
            profile=profile, status=PlacementStatus.COMPLETED, hours_delivered=10, people_trained=3
        )
    PlacementFactory(
        profile=man, status=PlacementStatus.COMPLETED, hours_delivered=7, people_trained=2
    )
    PlacementFactory(profile=refused, status=PlacementStatus.INTERESTED)
    db.session.commit()

    by_status = queries.placements_by_status_and_gender()
    assert by_status[("completed", "female")] == 5
    assert by_status[("completed", "male")] == 1
    # Without statistics consent, the placement counts but the gender is "not given".
    assert by_status[("interested", "not_given")] == 1

    table = reports.placement_outcomes()
    rows = {row.label: row for row in table.rows}
    assert rows["Female"].cells == [5, 50, 15]
    assert rows["Male"].cells == ["<5", "<5", "<5"]
    assert table.totals == [6, 57, 17]


def test_bar_chart_is_accessible_svg() -> None:
    svg = str(bar_chart_svg(Series("Members <by> gender", [("Female", 3), ("Male", 1)])))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "Members &lt;by&gt; gender" in svg
    assert svg.count("<rect") == 2
    assert "<script" not in svg
