"""A need's language requirement: every listed language ("all") or any one of them ("any")."""

from __future__ import annotations

from dataclasses import replace

from app.matching import CandidateDocument, Matcher, MatcherSettings, NeedDocument
from app.matching.embedders import HashingEmbedder

NEED = NeedDocument(id="n", title="Teacher", languages=("fr", "en"))


def _cand(cid: str, *languages: str) -> CandidateDocument:
    return CandidateDocument(id=cid, headline="Teacher", languages=languages, mode="both")


CANDIDATES = [
    _cand("both", "fr", "en", "rw"),
    _cand("french", "fr", "rw"),
    _cand("english", "en"),
    _cand("neither", "rw", "sw"),
]


def _kept(need: NeedDocument) -> set[str]:
    matcher = Matcher(MatcherSettings(), HashingEmbedder(dimension=32))
    index = matcher.build_index(CANDIDATES)
    mask = matcher.filter_mask(need, index)
    kept = {cid for cid, ok in zip(index.ids, mask, strict=True) if ok}
    # The per-pair explanation staff read agrees with the vectorised filter.
    for doc in CANDIDATES:
        lang = {c.name: c for c in matcher.explain_filtered(need, doc)}["languages"]
        assert lang.passed == (doc.id in kept), doc.id
    return kept


def test_all_mode_keeps_only_candidates_speaking_every_language() -> None:
    assert NEED.language_mode == "all"  # the default keeps the old behaviour
    assert _kept(NEED) == {"both"}


def test_any_mode_keeps_candidates_speaking_one_of_the_languages() -> None:
    assert _kept(replace(NEED, language_mode="any")) == {"both", "french", "english"}


def test_any_mode_with_a_language_nobody_speaks_keeps_nobody() -> None:
    assert _kept(replace(NEED, languages=("de",), language_mode="any")) == set()
