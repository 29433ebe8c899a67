"""Content hashes and caches decide what gets re-encoded."""

from __future__ import annotations

from dataclasses import replace

from app.matching import (
    CandidateDocument,
    CandidateSkill,
    CountingEmbedder,
    HashingEmbedder,
    InMemoryVectorCache,
    Matcher,
    MatcherSettings,
    NeedDocument,
    RequiredSkill,
    normalize_phrase,
)

DOC = CandidateDocument(
    id="c1",
    headline="Software engineer",
    summary="Builds APIs.",
    skills=(
        CandidateSkill("Python programming", "expert", 6.0),
        CandidateSkill("REST API design", "advanced", 3.0),
    ),
)


def test_hash_is_stable_and_ignores_non_embedded_fields() -> None:
    assert DOC.content_hash() == replace(DOC).content_hash()
    # Level, years, languages and mode are not embedded text: same hash.
    changed_meta = replace(
        DOC,
        languages=("fr",),
        mode="remote",
        skills=(
            CandidateSkill("Python programming", "beginner", 1.0),
            CandidateSkill("REST API design"),
        ),
    )
    assert changed_meta.content_hash() == DOC.content_hash()
    assert len(DOC.content_hash()) == 64


def test_hash_changes_with_embedded_text() -> None:
    assert replace(DOC, headline="Data engineer").content_hash() != DOC.content_hash()
    assert replace(DOC, summary="Builds pipelines.").content_hash() != DOC.content_hash()
    more = replace(DOC, skills=(*DOC.skills, CandidateSkill("SQL")))
    assert more.content_hash() != DOC.content_hash()
    need = NeedDocument(id="n", title="Engineer", required_skills=(RequiredSkill("python"),))
    assert replace(need, title="Engineer II").content_hash() != need.content_hash()
    assert replace(need, id="other").content_hash() == need.content_hash()


def test_unchanged_document_is_not_reencoded_changed_one_is() -> None:
    counting = CountingEmbedder(HashingEmbedder())
    matcher = Matcher(MatcherSettings(), counting, InMemoryVectorCache())
    first = matcher.build_index([DOC])
    encoded_first = counting.texts_encoded
    assert encoded_first > 0
    # Same content: stored vectors plus the phrase cache mean nothing is encoded.
    matcher.build_index([replace(DOC, id="c1")], vectors=first.computed_vectors)
    assert counting.texts_encoded == encoded_first
    # Changed headline: only that document's texts are encoded; skills come from cache.
    edited = replace(DOC, headline="Backend developer")
    counting.seen.clear()
    second = matcher.build_index([edited], vectors=first.computed_vectors)
    assert "backend developer" in counting.seen
    assert all(normalize_phrase(s.name) not in counting.seen for s in DOC.skills)
    assert set(second.computed_vectors) == {edited.content_hash()}


def test_phrase_cache_embeds_each_normalised_phrase_once() -> None:
    counting = CountingEmbedder(HashingEmbedder())
    matcher = Matcher(MatcherSettings(), counting, InMemoryVectorCache())
    a = replace(DOC, id="a", skills=(CandidateSkill("Python  Programming!"),))
    b = replace(DOC, id="b", skills=(CandidateSkill("python programming"),))
    matcher.build_index([a, b])
    assert counting.seen.count("python programming") == 1
    assert normalize_phrase("Paediatric   Nursing.") == "pediatric nursing"
