"""Stored vectors, background embedding, rankings and fairness (hashing embedder)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.matching import CountingEmbedder, HashingEmbedder
from app.needs.models import NeedStatus
from app.profiles.services import refresh_content_hash
from app.ranking import services
from app.ranking.adapter import candidate_document, candidate_documents
from app.ranking.models import DocumentVector, NeedAlertRun, SkillPhraseVector, VectorKind
from tests.factories.needs import NeedFactory
from tests.factories.ranking import make_candidate


def _counting() -> CountingEmbedder:
    counter = CountingEmbedder(HashingEmbedder())
    services.set_embedder(counter)
    return counter


def test_adapter_maps_profile_without_contact_data(app_context: Flask) -> None:
    profile = make_candidate(
        skills=[("paediatric nursing", "expert", 8)], languages=["en", "fr"], gender="female"
    )
    doc = candidate_document(profile)
    assert doc.id == str(profile.id)
    assert doc.headline == "Paediatric nurse"
    assert [(s.name, s.level, s.years) for s in doc.skills] == [
        ("paediatric nursing", "expert", 8.0)
    ]
    assert doc.languages == ("en", "fr")
    assert doc.has_matching_consent is True
    assert doc.gender == "female" and doc.country == "CA"
    assert profile.content_hash == doc.content_hash()
    # The bulk mapping gives the very same documents.
    assert candidate_documents([profile]) == [doc]


def test_bulk_documents_read_consents_in_one_query(app_context: Flask) -> None:
    yes = make_candidate(consent=True)
    no = make_candidate(consent=False)
    docs = {d.id: d for d in candidate_documents([yes, no])}
    assert docs[str(yes.id)].has_matching_consent is True
    assert docs[str(no.id)].has_matching_consent is False


def test_embed_pending_stores_vectors_and_is_idempotent(app_context: Flask) -> None:
    counter = _counting()
    make_candidate()
    make_candidate(headline="Accountant", skills=["IFRS reporting"])
    NeedFactory(title="Paediatric nurse trainer", skills=["paediatric nursing"])
    assert services.count_pending() == (2, 1)

    report = services.embed_pending()
    assert (report.profiles, report.needs) == (2, 1)
    assert counter.texts_encoded > 0
    kinds = dict(
        db.session.execute(
            select(DocumentVector.kind, func.count()).group_by(DocumentVector.kind)
        ).all()
    )
    assert kinds == {VectorKind.CANDIDATE: 2, VectorKind.NEED: 1}
    # The two skill phrases and the two headlines: short repeated texts are embedded once each.
    assert db.session.scalar(select(func.count()).select_from(SkillPhraseVector)) == 4
    row = db.session.scalars(select(DocumentVector)).first()
    assert row is not None and len(row.vectors) == 4 * row.views * row.dimension

    counter.texts_encoded = 0
    again = services.embed_pending()
    assert again.documents == 0
    assert counter.texts_encoded == 0
    assert services.count_pending() == (0, 0)


def test_unchanged_text_is_not_reencoded_and_changed_text_is(app_context: Flask) -> None:
    counter = _counting()
    profile = make_candidate()
    services.embed_pending()
    counter.texts_encoded = 0
    counter.seen.clear()

    profile.mode = "remote"  # not part of the embedded text
    refresh_content_hash(profile)
    assert services.embed_pending().documents == 0
    assert counter.texts_encoded == 0

    profile.headline = "Neonatal intensive care nurse"
    refresh_content_hash(profile)
    assert services.embed_pending().profiles == 1
    # The document's two views are re-encoded; its skill phrase comes from the phrase cache.
    assert "neonatal intensive care nurse" in counter.seen
    assert "pediatric nursing" not in counter.seen


def test_embed_pending_respects_limit(app_context: Flask) -> None:
    _counting()
    for i in range(3):
        make_candidate(headline=f"Engineer {i}")
    assert services.embed_pending(limit=2).profiles == 2
    assert services.embed_pending(limit=2).profiles == 1


def test_rank_for_need_explains_and_filters_without_encoding(app_context: Flask) -> None:
    counter = _counting()
    nurse = make_candidate(country="RW", languages=["en", "rw"])
    make_candidate(headline="Paediatric nurse educator", country="CA")
    make_candidate(headline="Accountant", skills=["IFRS reporting"], mode="remote")
    need = NeedFactory(
        title="Paediatric nurse",
        mode="onsite",
        skills=[("paediatric nursing", "must"), ("hospital accreditation", "must")],
    )
    services.embed_pending()
    counter.texts_encoded = 0

    ranking = services.rank_for_need(need, include_filtered=True)
    assert ranking.ready and ranking.embedded == ranking.total == 3
    assert ranking.results == 2  # the remote-only accountant fails the on-site filter
    first = ranking.rows[0]
    summary = first.explanation.summary()
    assert summary.must_total == 2 and "hospital accreditation" in summary.missing_must
    assert [f.profile.headline for f in ranking.filtered_out] == ["Accountant"]
    assert [c.name for c in ranking.filtered_out[0].checks] == ["mode"]

    filtered = services.rank_for_need(need, services.CandidateFilters(country="RW"))
    assert [r.profile.id for r in filtered.rows] == [nurse.id]
    assert counter.texts_encoded == 0


def test_progress_state_until_the_need_is_embedded(app_context: Flask) -> None:
    _counting()
    make_candidate()
    need = NeedFactory()
    ranking = services.rank_for_need(need)
    assert not ranking.ready and (ranking.embedded, ranking.total) == (0, 1)
    assert services.count_ranked_candidates([need.id]) == {need.id: None}
    services.embed_pending()
    assert services.rank_for_need(need).ready
    assert services.count_ranked_candidates([need.id]) == {need.id: 1}


def test_index_cache_notices_a_changed_profile(app_context: Flask) -> None:
    _counting()
    profile = make_candidate(headline="Accountant", skills=["IFRS reporting"])
    need = NeedFactory(title="Paediatric nurse", skills=["paediatric nursing"])
    services.embed_pending()
    before = services.rank_for_need(need).rows[0].ranked.score
    profile.headline = "Paediatric nurse"
    profile.skills[0].name = "paediatric nursing"
    refresh_content_hash(profile)
    services.embed_pending()
    after = services.rank_for_need(need).rows[0].ranked.score
    assert after > before


def test_recommended_needs_ranks_open_needs_only(app_context: Flask) -> None:
    _counting()
    profile = make_candidate()
    nursing = NeedFactory(title="Paediatric nurse trainer", skills=["paediatric nursing"])
    NeedFactory(title="Tax auditor", skills=["IFRS reporting"], background="Audit of taxes.")
    NeedFactory(title="Paediatric nurse", status=NeedStatus.CLOSED)
    assert services.recommended_needs_for(profile) == []  # nothing embedded yet
    services.embed_pending()
    recommended = services.recommended_needs_for(profile, limit=5)
    assert recommended[0].need.id == nursing.id
    assert len(recommended) == 2


def test_balanced_mode_brings_a_qualified_woman_into_the_top_10(app: Flask) -> None:
    app.config["MATCHING_BALANCE_SCORE_FLOOR"] = 0.05
    with app.app_context():
        _counting()
        for i in range(12):
            make_candidate(headline="Paediatric nurse", bio=f"Nurse number {i}.", gender="male")
        woman = make_candidate(
            headline="Children's hospital nurse", skills=["child health"], gender="female"
        )
        need = NeedFactory(title="Paediatric nurse", skills=["paediatric nursing"])
        services.embed_pending()

        plain = services.rank_for_need(need)
        assert plain.composition_top["female"]["shortlist"] == 0
        assert plain.composition_top["female"]["pool"] == 1
        assert plain.composition_top["male"]["shortlist"] == 10

        balanced = services.rank_for_need(need, balanced=True)
        assert balanced.composition_top["female"]["shortlist"] == 1
        assert woman.id in [r.profile.id for r in balanced.rows[:10]]
        assert balanced.results == plain.results == 13


def test_alerts_run_once_per_open_need(app_context: Flask) -> None:
    _counting()
    make_candidate()
    need = NeedFactory()
    assert services.alert_open_needs() == 0
    assert db.session.scalar(select(func.count()).select_from(NeedAlertRun)) == 0  # not embedded
    services.embed_pending()
    services.alert_open_needs()
    services.alert_open_needs()
    runs = db.session.scalars(select(NeedAlertRun)).all()
    assert [r.need_id for r in runs] == [need.id]


def test_language_and_availability_filters_and_pages_need_no_encoding(
    app_context: Flask,
) -> None:
    counter = _counting()
    french = make_candidate(languages=["en", "fr"])
    until_2030 = make_candidate(windows=[(date(2020, 1, 1), date(2030, 12, 31))])
    others = [make_candidate() for _ in range(2)]
    need = NeedFactory(title="Paediatric nurse", skills=[("paediatric nursing", "must")])
    services.embed_pending()
    counter.texts_encoded = 0

    by_language = services.rank_for_need(need, services.CandidateFilters(language="fr"))
    assert [r.profile.id for r in by_language.rows] == [french.id]
    later = services.CandidateFilters(
        available_from=date(2031, 1, 1), available_to=date(2031, 2, 1)
    )
    # Profiles without windows are always available; the one busy until 2030 is left out.
    assert {r.profile.id for r in services.rank_for_need(need, later).rows} == {
        french.id,
        *(p.id for p in others),
    }
    first = services.rank_for_need(need, per_page=3)
    second = services.rank_for_need(need, page=2, per_page=3)
    assert first.results == second.results == 4 and first.pages == 2
    assert [len(first.rows), len(second.rows)] == [3, 1]
    assert {r.profile.id for r in first.rows + second.rows} == {
        french.id,
        until_2030.id,
        *(p.id for p in others),
    }
    assert counter.texts_encoded == 0


def test_a_needs_languages_filter_all_or_any_through_the_ranking_service(
    app_context: Flask,
) -> None:
    _counting()
    both = make_candidate(languages=["en", "fr"])
    french = make_candidate(languages=["fr", "rw"])
    swahili = make_candidate(languages=["sw"])
    need = NeedFactory(
        title="Paediatric nurse", skills=[("paediatric nursing", "must")], languages=["en", "fr"]
    )
    services.embed_pending()
    assert {r.profile.id for r in services.rank_for_need(need).rows} == {both.id}
    need.language_mode = "any"
    db.session.flush()
    assert {r.profile.id for r in services.rank_for_need(need).rows} == {both.id, french.id}
    assert swahili.id not in {r.profile.id for r in services.rank_for_need(need).rows}
