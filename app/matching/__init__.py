"""Umuhuza matcher: ranks candidates for needs (and needs for candidates), explains why.

Pure Python on numpy/scipy/scikit-learn; torch and sentence-transformers are imported only
when a SentenceTransformerEmbedder first encodes, so importing this package stays cheap.
"""

from app.matching.cache import InMemoryVectorCache, VectorCache, encode_cached, vector_key
from app.matching.documents import (
    CandidateDocument,
    CandidateSkill,
    NeedDocument,
    RequiredSkill,
    normalize_phrase,
    normalize_text,
)
from app.matching.embedders import (
    CountingEmbedder,
    Embedder,
    HashingEmbedder,
    ModelUnavailable,
    SentenceTransformerEmbedder,
)
from app.matching.fairness import balance_shortlist, composition
from app.matching.index import CandidateIndex
from app.matching.matcher import (
    METHODS,
    EncodedNeed,
    Explanation,
    ExplanationSummary,
    FilterCheck,
    Filters,
    Matcher,
    RankedCandidate,
    RankedNeed,
    SkillMatch,
)
from app.matching.settings import MatcherSettings, load_matcher_settings

__all__ = [
    "METHODS",
    "CandidateDocument",
    "CandidateIndex",
    "CandidateSkill",
    "CountingEmbedder",
    "Embedder",
    "EncodedNeed",
    "Explanation",
    "ExplanationSummary",
    "FilterCheck",
    "Filters",
    "HashingEmbedder",
    "InMemoryVectorCache",
    "Matcher",
    "MatcherSettings",
    "ModelUnavailable",
    "NeedDocument",
    "RankedCandidate",
    "RankedNeed",
    "RequiredSkill",
    "SentenceTransformerEmbedder",
    "SkillMatch",
    "VectorCache",
    "balance_shortlist",
    "composition",
    "encode_cached",
    "load_matcher_settings",
    "normalize_phrase",
    "normalize_text",
    "vector_key",
]
