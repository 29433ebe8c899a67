"""CandidateIndex: dense, lexical, skill-phrase and filter columns over many candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from app.matching.documents import CandidateDocument, normalize_phrase
from app.matching.language import ConceptLexicon, LanguageAnalyzer, concept_token
from app.matching.settings import MatcherSettings

MODE_CODES: dict[str, int] = {"remote": 0, "onsite": 1, "both": 2}
# Candidate modes compatible with each need mode; hybrid needs presence on site part of
# the time, so remote-only candidates are excluded there.
NEED_MODE_ACCEPTS: dict[str, frozenset[str]] = {
    "remote": frozenset({"remote", "both"}),
    "onsite": frozenset({"onsite", "both"}),
    "hybrid": frozenset({"onsite", "both"}),
    "any": frozenset({"remote", "onsite", "both"}),
}
_FAR_FUTURE = date.max.toordinal()
_FAR_PAST = date.min.toordinal()


def norm_language(code: str) -> str:
    """Canonical ISO 639-1 code (lowercase, region dropped: "en-GB" -> "en")."""
    return code.strip().lower().replace("_", "-").split("-")[0]


def level_years_weight(settings: MatcherSettings, level: str | None, years: float | None) -> float:
    """Credit multiplier of a candidate skill from its level and years of practice."""
    w = settings.level_weight(level)
    if years is not None and settings.years_full > 0:
        frac = min(max(float(years), 0.0) / settings.years_full, 1.0)
        w *= settings.years_min_factor + (1.0 - settings.years_min_factor) * frac
    return w


class Bm25Vectorizer:
    """BM25 document weights over word n-grams; query scores are in [0, 1]."""

    def __init__(
        self, ngram_max: int, k1: float, b: float, analyzer: LanguageAnalyzer | None = None
    ) -> None:
        self.cv = CountVectorizer(
            analyzer=analyzer or LanguageAnalyzer(None, ngram_max), dtype=np.float32
        )
        self.k1 = k1
        self.b = b
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)
        self.avgdl = 1.0

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Fit the vocabulary/idf and return the (docs x terms) BM25 weight matrix."""
        tf = sp.csr_matrix(self.cv.fit_transform(texts), dtype=np.float32)
        n = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        dl = np.asarray(tf.sum(axis=1)).ravel()
        self.avgdl = float(dl.mean()) if n else 1.0
        return self._weights(tf)

    def transform_docs(self, texts: Sequence[str]) -> sp.csr_matrix:
        """BM25 document weights of texts with the fitted idf and average length."""
        return self._weights(sp.csr_matrix(self.cv.transform(texts), dtype=np.float32))

    def _weights(self, tf: sp.csr_matrix) -> sp.csr_matrix:
        n = tf.shape[0]
        dl = np.asarray(tf.sum(axis=1)).ravel()
        denom_row = self.k1 * (1 - self.b + self.b * dl / max(self.avgdl, 1e-9))
        rows = np.repeat(np.arange(n), np.diff(tf.indptr))
        data = tf.data * (self.k1 + 1) / (tf.data + denom_row[rows])
        data *= self.idf[tf.indices]
        # Divide by the largest possible per-term weight so a query's score is in [0, 1].
        return sp.csr_matrix((data / (self.k1 + 1), tf.indices, tf.indptr), shape=tf.shape)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Query vectors: binary term presence weighted by idf, normalised to sum 1."""
        q = sp.csr_matrix(self.cv.transform(texts), dtype=np.float32)
        q.data[:] = 1.0
        q = sp.csr_matrix(q.multiply(self.idf[None, :]))
        sums = np.asarray(q.sum(axis=1)).ravel()
        sums[sums == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / sums) @ q)


def make_lexical(
    settings: MatcherSettings, concepts: ConceptLexicon | None = None
) -> TfidfVectorizer | Bm25Vectorizer:
    """Fresh lexical vectorizer as configured, over `language.lexical_document` strings.

    Each text is analysed in its own language (stop words, French stemming) and gains one
    term per taxonomy concept it names, so "gestion de projet" meets "project management".
    """
    analyzer = LanguageAnalyzer(concepts, settings.lexical_ngram_max)
    if settings.lexical_kind == "bm25":
        return Bm25Vectorizer(
            settings.lexical_ngram_max, settings.bm25_k1, settings.bm25_b, analyzer
        )
    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)


@dataclass(slots=True)
class CandidateIndex:
    """Column store over candidates; rows are aligned with `documents`."""

    documents: tuple[CandidateDocument, ...]
    ids: tuple[str, ...]
    row_of: dict[str, int]
    content_hashes: tuple[str, ...]
    whole: np.ndarray  # (n, d) unit vectors of the whole profile text
    title: np.ndarray  # (n, d) unit vectors of the headline
    lexical: sp.csr_matrix  # (n, V) TF-IDF or BM25 weights
    lexical_t: sp.csr_matrix  # (V, n) the same, as postings so a query touches its terms only
    vectorizer: TfidfVectorizer | Bm25Vectorizer
    phrases: tuple[str, ...]  # unique normalised phrases (U)
    phrase_vectors: np.ndarray  # (U, d)
    cand_phrase: sp.csr_matrix  # (n, U) level/years credit per candidate phrase
    phrase_cand: sp.csc_matrix  # same matrix, column-compressed for per-phrase scatter
    from_text: np.ndarray  # (n,) bool: phrases are text chunks (no declared skills)
    mode: np.ndarray  # (n,) int8 MODE_CODES
    consent: np.ndarray  # (n,) bool
    confirmed: np.ndarray  # (n,) bool
    languages: tuple[str, ...]  # language vocabulary (L)
    language_matrix: np.ndarray  # (n, L) bool
    window_owner: np.ndarray  # (W,) row of each availability window
    window_start: np.ndarray  # (W,) ordinal days
    window_end: np.ndarray  # (W,) ordinal days (open end = far future)
    has_windows: np.ndarray  # (n,) bool; False means always available
    computed_vectors: dict[str, np.ndarray]  # content hash -> (2, d) views encoded here
    model_name: str
    # Language each profile is written in ("" unknown) and its fusion kind (fusion.PROFILE_KINDS
    # index): the hybrid weighs the parts per kind and per need/profile language pairing.
    text_language: tuple[str, ...] = ()
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    concept_terms: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (V,)
    # Taxonomy concept id -> the phrase columns (of `phrases`) that name it, in any language:
    # the skills part counts a need skill met by a phrase of the same concept in full.
    concept_phrases: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def dimension(self) -> int:
        """Dense vector length."""
        return int(self.whole.shape[1])


def build_filter_columns(
    docs: Sequence[CandidateDocument],
) -> tuple[
    np.ndarray,
    np.ndarray,
    np.ndarray,
    tuple[str, ...],
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
]:
    """Numpy filter columns (mode, consent, confirmed, languages, availability windows)."""
    n = len(docs)
    mode = np.array([MODE_CODES.get(d.mode, MODE_CODES["both"]) for d in docs], dtype=np.int8)
    consent = np.array([d.has_matching_consent for d in docs], dtype=bool)
    confirmed = np.array([d.is_confirmed for d in docs], dtype=bool)
    lang_sets = [{norm_language(c) for c in d.languages if c.strip()} for d in docs]
    vocab = tuple(sorted(set().union(*lang_sets))) if lang_sets else ()
    col = {c: i for i, c in enumerate(vocab)}
    lang = np.zeros((n, len(vocab)), dtype=bool)
    for r, s in enumerate(lang_sets):
        for c in s:
            lang[r, col[c]] = True
    owners: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for r, d in enumerate(docs):
        for start, end in d.availability:
            owners.append(r)
            starts.append(start.toordinal() if start else _FAR_PAST)
            ends.append(end.toordinal() if end else _FAR_FUTURE)
    has = np.zeros(n, dtype=bool)
    if owners:
        has[np.array(owners)] = True
    return (
        mode,
        consent,
        confirmed,
        vocab,
        lang,
        np.array(owners, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        has,
    )


def build_phrase_matrix(
    settings: MatcherSettings,
    docs: Sequence[CandidateDocument],
    phrase_lists: Sequence[tuple[str, ...]],
    vocab_index: Mapping[str, int],
    n_phrases: int,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sparse candidate x phrase credit matrix and the from-text flag per candidate."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    from_text = np.zeros(len(docs), dtype=bool)
    for r, (doc, plist) in enumerate(zip(docs, phrase_lists, strict=True)):
        if not doc.skills:
            from_text[r] = True
            for p in plist:
                rows.append(r)
                cols.append(vocab_index[p])
                vals.append(settings.fallback_penalty)
            continue
        best: dict[int, float] = {}
        for skill in doc.skills:
            p = normalize_phrase(skill.name)
            if not p:
                continue
            c = vocab_index[p]
            w = level_years_weight(settings, skill.level, skill.years)
            best[c] = max(best.get(c, 0.0), w)
        for c, w in best.items():
            rows.append(r)
            cols.append(c)
            vals.append(w)
    mat = sp.csr_matrix(
        (
            np.array(vals, dtype=np.float32),
            (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)),
        ),
        shape=(len(docs), n_phrases),
        dtype=np.float32,
    )
    mat.sum_duplicates()
    return mat, from_text


def concept_term_mask(vectorizer: TfidfVectorizer | Bm25Vectorizer) -> np.ndarray:
    """(V,) True for the vocabulary columns that are taxonomy concept terms."""
    vocab = vectorizer.cv.vocabulary_ if isinstance(vectorizer, Bm25Vectorizer) else None
    if vocab is None:
        vocab = getattr(vectorizer, "vocabulary_", {})
    mask = np.zeros(len(vocab), dtype=bool)
    prefix = concept_token("")
    for term, col in vocab.items():
        if term.startswith(prefix):
            mask[col] = True
    return mask


def lexical_docs(
    vectorizer: TfidfVectorizer | Bm25Vectorizer, texts: Sequence[str]
) -> sp.csr_matrix:
    """Document-side lexical weights of texts with an already fitted vectorizer."""
    if isinstance(vectorizer, Bm25Vectorizer):
        return vectorizer.transform_docs(texts)
    return sp.csr_matrix(vectorizer.transform(texts))
