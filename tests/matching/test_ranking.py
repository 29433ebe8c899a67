"""Ranking, filters and explanations with the real sentence model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.matching import (
    CandidateDocument,
    CandidateSkill,
    CountingEmbedder,
    Filters,
    InMemoryVectorCache,
    Matcher,
    MatcherSettings,
    NeedDocument,
    RequiredSkill,
    SentenceTransformerEmbedder,
    balance_shortlist,
    normalize_phrase,
)

NURSE_NEED = NeedDocument(
    id="n1",
    title="pediatric nurse",
    description="Train nurses in a children's ward.",
    required_skills=(
        RequiredSkill("pediatric nurse", "must"),
        RequiredSkill("infection control", "must"),
        RequiredSkill("hospital accreditation", "nice"),
    ),
    languages=("en",),
    mode="onsite",
    start=date(2025, 3, 1),
    end=date(2025, 6, 30),
)


def nurse(cid: str = "nurse", **kw: object) -> CandidateDocument:
    base: dict[str, object] = dict(
        id=cid,
        headline="Children's nurse",
        summary="Ten years in neonatal wards.",
        skills=(
            CandidateSkill("paediatric nursing", "expert", 10.0),
            CandidateSkill("infection prevention and control", "advanced", 6.0),
        ),
        languages=("en", "rw"),
        mode="both",
    )
    base.update(kw)
    return CandidateDocument(**base)  # type: ignore[arg-type]


ACCOUNTANT = CandidateDocument(
    id="acct",
    headline="Chartered accountant",
    summary="Audits for NGOs.",
    skills=(
        CandidateSkill("financial reporting", "expert", 8.0),
        CandidateSkill("tax compliance", "advanced", 5.0),
        CandidateSkill("bookkeeping", "expert", 12.0),
    ),
    languages=("en",),
    mode="both",
)


def test_paediatric_nursing_meets_pediatric_nurse_and_accountant_does_not(
    matcher: Matcher,
) -> None:
    index = matcher.build_index([ACCOUNTANT, nurse()])
    for method in ("dense", "skills", "hybrid"):
        ranked = matcher.rank_candidates(NURSE_NEED, index, method=method)
        assert [r.candidate_id for r in ranked] == ["nurse", "acct"], method
        assert ranked[0].score > ranked[1].score
    ranked = matcher.rank_candidates(NURSE_NEED, index)
    expl = ranked[0].explanation
    assert expl is not None
    match = next(m for m in expl.covered if m.need_skill == "pediatric nurse")
    assert match.candidate_skill == "paediatric nursing"
    assert match.similarity >= matcher.settings.cover_threshold
    acct = ranked[1].explanation
    assert acct is not None
    assert "pediatric nurse" in {m.need_skill for m in acct.missing}


def test_explanation_lists_covered_and_missing_skills(matcher: Matcher) -> None:
    index = matcher.build_index([nurse()])
    [top] = matcher.rank_candidates(NURSE_NEED, index)
    assert top.explanation is not None
    covered = {m.need_skill: m for m in top.explanation.covered}
    missing = {m.need_skill for m in top.explanation.missing}
    assert set(covered) == {"pediatric nurse", "infection control"}
    assert covered["infection control"].candidate_skill == "infection prevention and control"
    assert covered["infection control"].level == "advanced"
    assert missing == {"hospital accreditation"}
    summary = top.explanation.summary()
    assert (summary.must_covered, summary.must_total) == (2, 2)
    assert (summary.nice_covered, summary.nice_total) == (0, 1)
    assert summary.missing_nice == ("hospital accreditation",)
    assert summary.missing_must == ()
    assert all(check.passed for check in top.explanation.filters)
    assert set(top.explanation.parts) == {"dense", "skills", "lexical"}
    assert all(0.0 <= v <= 1.0 for v in top.explanation.parts.values())
    assert 0.0 <= top.score <= 1.0


def test_each_hard_filter_removes_the_right_candidate(matcher: Matcher) -> None:
    ok = nurse("ok")
    remote_only = nurse("remote", mode="remote")
    away = nurse("away", availability=((date(2025, 8, 1), date(2025, 12, 31)),))
    no_english = nurse("french", languages=("fr", "rw"))
    no_consent = nurse("noconsent", has_matching_consent=False)
    open_ended = nurse("open", availability=((date(2025, 5, 1), None),))
    index = matcher.build_index([ok, remote_only, away, no_english, no_consent, open_ended])
    kept = {r.candidate_id for r in matcher.rank_candidates(NURSE_NEED, index)}
    assert kept == {"ok", "open"}
    expected_failure = {
        "remote": "mode",
        "away": "availability",
        "french": "languages",
        "noconsent": "consent",
    }
    for doc in (remote_only, away, no_english, no_consent):
        checks = {c.name: c for c in matcher.explain_filtered(NURSE_NEED, doc)}
        failed = {name for name, c in checks.items() if not c.passed}
        assert failed == {expected_failure[doc.id]}, doc.id
    lang = {c.name: c for c in matcher.explain_filtered(NURSE_NEED, no_english)}["languages"]
    assert lang.missing == ("en",)
    everyone = matcher.rank_candidates(NURSE_NEED, index, filters=Filters.none())
    assert len(everyone) == 6


def test_unconfirmed_profile_is_ranked_lower_not_hidden(matcher: Matcher) -> None:
    index = matcher.build_index([nurse("fresh"), nurse("stale", is_confirmed=False)])
    ranked = matcher.rank_candidates(NURSE_NEED, index)
    assert [r.candidate_id for r in ranked] == ["fresh", "stale"]
    factor = matcher.settings.unconfirmed_factor
    assert abs(ranked[1].score - ranked[0].score * factor) < 1e-5
    assert ranked[1].explanation is not None
    assert ranked[1].explanation.summary().unconfirmed_profile


def test_candidate_without_skills_falls_back_to_text(matcher: Matcher) -> None:
    cv = CandidateDocument(
        id="cv",
        headline="",
        languages=("en",),
        summary="I worked as a paediatric nurse for eight years; infection control lead.",
    )
    index = matcher.build_index([cv, ACCOUNTANT])
    ranked = matcher.rank_candidates(NURSE_NEED, index, method="skills")
    assert ranked[0].candidate_id == "cv"
    assert ranked[0].explanation is not None
    assert ranked[0].explanation.summary().skills_from_text


def test_rank_needs_orders_needs_for_a_candidate(matcher: Matcher) -> None:
    finance = NeedDocument(
        id="n2",
        title="finance officer",
        description="Strengthen financial reporting.",
        required_skills=(RequiredSkill("financial reporting"), RequiredSkill("ifrs")),
        mode="any",
    )
    ranked = matcher.rank_needs(nurse(), [finance, NURSE_NEED])
    assert [r.need_id for r in ranked] == ["n1", "n2"]
    ranked = matcher.rank_needs(ACCOUNTANT, [finance, NURSE_NEED])
    assert ranked[0].need_id == "n2"
    # The accountant has no onsite-compatible filter problem but lacks nothing else either.
    assert ranked[0].explanation is not None


def test_precomputed_vectors_are_used_and_exposed(matcher: Matcher) -> None:
    first = matcher.build_index([nurse(), ACCOUNTANT])
    assert set(first.computed_vectors) == {nurse().content_hash(), ACCOUNTANT.content_hash()}
    again = matcher.build_index([nurse(), ACCOUNTANT], vectors=first.computed_vectors)
    assert again.computed_vectors == {}
    r1 = matcher.rank_candidates(NURSE_NEED, first)
    r2 = matcher.rank_candidates(NURSE_NEED, again)
    assert [(r.candidate_id, round(r.score, 5)) for r in r1] == [
        (r.candidate_id, round(r.score, 5)) for r in r2
    ]


def _two_skill_need(first: str, second: str) -> NeedDocument:
    return NeedDocument(
        id=f"need-{first}",
        title="ward nurse",
        required_skills=(
            RequiredSkill("infection control", first),
            RequiredSkill("hospital accreditation", second),
        ),
    )


def test_a_must_have_skill_counts_more_than_a_nice_to_have(matcher: Matcher) -> None:
    infection = CandidateDocument(
        id="infection",
        headline="Nurse",
        skills=(CandidateSkill("infection prevention and control", "advanced", 5.0),),
    )
    accreditation = CandidateDocument(
        id="accreditation",
        headline="Nurse",
        skills=(CandidateSkill("hospital accreditation standards", "advanced", 5.0),),
    )
    index = matcher.build_index([infection, accreditation])
    for method in ("skills", "hybrid"):
        # The candidate holding the must-have skill wins; swapping importances swaps the order.
        ranked = matcher.rank_candidates(_two_skill_need("must", "nice"), index, method=method)
        assert [r.candidate_id for r in ranked] == ["infection", "accreditation"], method
        ranked = matcher.rank_candidates(_two_skill_need("nice", "must"), index, method=method)
        assert [r.candidate_id for r in ranked] == ["accreditation", "infection"], method


def test_higher_level_and_more_years_score_higher(matcher: Matcher) -> None:
    def holder(cid: str, level: str | None, years: float | None) -> CandidateDocument:
        return CandidateDocument(
            id=cid,
            headline="Children's nurse",
            skills=(CandidateSkill("paediatric nursing", level, years),),
        )

    expert = holder("expert", "expert", 10.0)
    beginner = holder("beginner", "beginner", 10.0)
    seasoned = holder("seasoned", "advanced", 8.0)
    newcomer = holder("newcomer", "advanced", 0.0)
    # Level and years are not embedded text: the four share one content hash and one vector.
    assert len({d.content_hash() for d in (expert, beginner, seasoned, newcomer)}) == 1
    index = matcher.build_index([beginner, newcomer, expert, seasoned])
    for method in ("skills", "hybrid"):
        ranked = matcher.rank_candidates(NURSE_NEED, index, method=method, filters=Filters.none())
        score = {r.candidate_id: r.score for r in ranked}
        assert score["expert"] > score["beginner"], method
        assert score["seasoned"] > score["newcomer"], method
    [top] = matcher.rank_candidates(
        NURSE_NEED, matcher.build_index([expert]), filters=Filters.none()
    )
    assert top.explanation is not None
    match = next(m for m in top.explanation.covered if m.need_skill == "pediatric nurse")
    assert (match.level, match.years) == ("expert", 10.0)


def test_the_lexical_part_catches_an_acronym(matcher: Matcher) -> None:
    need = NeedDocument(
        id="interop",
        title="Interoperability engineer",
        required_skills=(RequiredSkill("HL7"), RequiredSkill("ISO 15189")),
    )
    exact = CandidateDocument(
        id="exact",
        headline="Integration developer",
        skills=(CandidateSkill("HL7 v2 messaging"), CandidateSkill("ISO 15189 audits")),
    )
    paraphrase = CandidateDocument(
        id="paraphrase",
        headline="Integration developer",
        skills=(CandidateSkill("health data exchange standards"),),
    )
    index = matcher.build_index([paraphrase, exact])
    ranked = matcher.rank_candidates(need, index, method="lexical", filters=Filters.none())
    assert [r.candidate_id for r in ranked] == ["exact", "paraphrase"]
    parts = {
        r.candidate_id: r.explanation.parts
        for r in matcher.rank_candidates(need, index, filters=Filters.none())
        if r.explanation is not None
    }
    assert parts["exact"]["lexical"] > 0.0
    assert parts["paraphrase"]["lexical"] == 0.0


def test_real_model_re_encodes_only_a_changed_content_hash(
    embedder: SentenceTransformerEmbedder,
) -> None:
    counting = CountingEmbedder(embedder)
    matcher = Matcher(MatcherSettings(), counting, InMemoryVectorCache())
    first = matcher.build_index([nurse(), ACCOUNTANT])
    encoded_first = counting.texts_encoded
    assert encoded_first > 0
    # Unchanged hash: the stored vectors are used, the model is not called.
    matcher.build_index([nurse(), ACCOUNTANT], vectors=first.computed_vectors)
    assert counting.texts_encoded == encoded_first
    # Changed summary: that document alone is re-encoded, its skills come from the cache.
    edited = nurse(summary="Twelve years in neonatal wards.")
    assert edited.content_hash() != nurse().content_hash()
    counting.seen.clear()
    second = matcher.build_index([edited, ACCOUNTANT], vectors=first.computed_vectors)
    assert set(second.computed_vectors) == {edited.content_hash()}
    assert "twelve years in neonatal wards" in counting.seen
    assert all(normalize_phrase(s.name) not in counting.seen for s in edited.skills)
    old = first.computed_vectors[nurse().content_hash()]
    new = second.computed_vectors[edited.content_hash()]
    assert (old[0] == new[0]).all()  # same headline: its vector comes from the cache
    assert (old[1] != new[1]).any()  # new summary, new vector


def test_real_model_balanced_shortlist_brings_in_a_qualified_woman_only(
    matcher: Matcher,
) -> None:
    men = [nurse(f"m{i}", gender="male") for i in range(10)]
    woman = nurse(
        "f1", gender="female", skills=(CandidateSkill("paediatric nursing", "intermediate", 3.0),)
    )
    accountant = replace(ACCOUNTANT, id="fx", gender="female")
    docs = {d.id: d for d in (*men, woman, accountant)}
    ranked = matcher.rank_candidates(
        NURSE_NEED, matcher.build_index(list(docs.values())), filters=Filters.none(), top_k=None
    )
    # Ten men on top; the woman nurse 11th, qualified; the accountant last, below the floor.
    assert [r.candidate_id for r in ranked][10:] == ["f1", "fx"]
    floor, top_n = matcher.settings.fairness_score_floor, matcher.settings.fairness_top_n
    assert ranked[10].score >= floor > ranked[11].score
    balanced = balance_shortlist(ranked, lambda r: docs[r.candidate_id].gender, top_n, floor)
    ids = [r.candidate_id for r in balanced]
    assert "f1" in ids[:top_n] and ids[top_n] == "m9" and ids[-1] == "fx"
    # Without a qualified woman nothing moves: the accountant is never promoted.
    without = [r for r in ranked if r.candidate_id != "f1"]
    assert balance_shortlist(without, lambda r: docs[r.candidate_id].gender, top_n, floor) == (
        without
    )


def test_the_model_is_loaded_once_per_process_whatever_the_threads(
    minilm: SentenceTransformerEmbedder,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    # A second embedder of the same model, asked from eight threads at once, gets the one
    # model this process already holds: no second load, no race.
    fresh = SentenceTransformerEmbedder()
    with ThreadPoolExecutor(max_workers=4) as pool:
        models = list(pool.map(lambda _: fresh.raw_model, range(8)))
    assert all(model is minilm.raw_model for model in models)
