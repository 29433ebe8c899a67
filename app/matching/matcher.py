"""The Matcher: hybrid dense + skill-coverage + lexical ranking with hard filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from app.matching.cache import InMemoryVectorCache, VectorCache, encode_cached
from app.matching.documents import (
    CandidateDocument,
    NeedDocument,
    candidate_lexical_text,
    need_lexical_text,
    normalize_phrase,
)
from app.matching.embedders import Embedder, SentenceTransformerEmbedder, l2_normalize
from app.matching.fusion import (
    CELLS,
    PAIRINGS,
    PROFILE_KINDS,
    FusionTable,
    candidate_language,
    fuse_rows,
    need_language,
    profile_kind,
    row_weights,
)
from app.matching.index import (
    MODE_CODES,
    NEED_MODE_ACCEPTS,
    CandidateIndex,
    build_filter_columns,
    build_phrase_matrix,
    concept_term_mask,
    lexical_docs,
    make_lexical,
    norm_language,
)
from app.matching.language import ConceptLexicon, lexical_document
from app.matching.settings import MatcherSettings

METHODS = ("lexical", "dense", "skills", "hybrid")
PARTS = ("dense", "skills", "lexical")
FILTER_NAMES = ("consent", "mode", "availability", "languages")

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Filters:
    """Which hard filters apply; all on by default. exclude_ids drops given candidates."""

    consent: bool = True
    mode: bool = True
    availability: bool = True
    languages: bool = True
    exclude_ids: frozenset[str] = frozenset()

    @classmethod
    def none(cls) -> Filters:
        """No hard filter at all (used for staff tools and offline evaluation)."""
        return cls(consent=False, mode=False, availability=False, languages=False)


@dataclass(frozen=True, slots=True)
class FilterCheck:
    """Outcome of one hard filter for one (need, candidate) pair, as codes, not words."""

    name: str  # consent | mode | availability | languages
    passed: bool
    need_value: tuple[str, ...] = ()
    candidate_value: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # e.g. the required languages the candidate lacks


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """How one required skill was met (or not) by the candidate's closest skill."""

    need_skill: str
    importance: str
    candidate_skill: str | None
    similarity: float
    credit: float  # in [0, 1]: similarity ramp x level/years weight
    covered: bool
    level: str | None = None
    years: float | None = None
    from_text: bool = False  # matched against profile text because no skills are listed


@dataclass(frozen=True, slots=True)
class ExplanationSummary:
    """Counts and names the UI turns into a sentence in the user's language."""

    must_covered: int
    must_total: int
    nice_covered: int
    nice_total: int
    missing_must: tuple[str, ...]
    missing_nice: tuple[str, ...]
    strongest_part: str | None
    unconfirmed_profile: bool
    skills_from_text: bool


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a candidate got its score: parts, covered/missing skills, filters passed."""

    parts: Mapping[str, float]  # calibrated part scores in [0, 1]
    raw: Mapping[str, float]  # raw similarities before calibration
    weights: Mapping[str, float]  # effective weights used for the hybrid
    covered: tuple[SkillMatch, ...]
    missing: tuple[SkillMatch, ...]
    filters: tuple[FilterCheck, ...]
    unconfirmed_factor: float = 1.0

    def summary(self) -> ExplanationSummary:
        """Structured summary for display ("covers 4 of 5 must-have skills; missing: X")."""

        def count(items: tuple[SkillMatch, ...], imp: str) -> int:
            return sum(1 for m in items if m.importance == imp)

        contrib = {k: self.parts[k] * self.weights.get(k, 0.0) for k in self.parts}
        strongest = max(contrib, key=lambda k: contrib[k]) if contrib else None
        return ExplanationSummary(
            must_covered=count(self.covered, "must"),
            must_total=count(self.covered, "must") + count(self.missing, "must"),
            nice_covered=count(self.covered, "nice"),
            nice_total=count(self.covered, "nice") + count(self.missing, "nice"),
            missing_must=tuple(m.need_skill for m in self.missing if m.importance == "must"),
            missing_nice=tuple(m.need_skill for m in self.missing if m.importance == "nice"),
            strongest_part=strongest,
            unconfirmed_profile=self.unconfirmed_factor < 1.0,
            skills_from_text=any(m.from_text for m in self.covered + self.missing),
        )


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """One ranked candidate for a need; explanation is set for the top explain_top_k."""

    candidate_id: str
    rank: int
    score: float
    parts: Mapping[str, float]
    explanation: Explanation | None = None


@dataclass(frozen=True, slots=True)
class RankedNeed:
    """One ranked need for a candidate."""

    need_id: str
    rank: int
    score: float
    parts: Mapping[str, float]
    explanation: Explanation | None = None


@dataclass(frozen=True, slots=True)
class EncodedNeed:
    """A need with its view vectors and required-skill phrase vectors."""

    need: NeedDocument
    whole: np.ndarray  # (d,)
    title: np.ndarray  # (d,)
    phrases: tuple[str, ...]
    phrase_vectors: np.ndarray  # (k, d)
    importance: np.ndarray  # (k,) must/nice weights
    content_hash: str = ""
    language: str = ""  # "en", "fr", "rw" or "" (see fusion.need_language)


@dataclass(slots=True)
class _Scores:
    """Per-row part scores (raw and calibrated) for one query over an index."""

    raw: dict[str, np.ndarray] = field(default_factory=dict)
    cal: dict[str, np.ndarray] = field(default_factory=dict)
    skill_sims: np.ndarray | None = None  # (k, U) need-skill x phrase similarities
    # Rows whose lexical part may count: same language, or a taxonomy concept in common.
    lexical_ok: np.ndarray | None = None
    cell: np.ndarray | None = None  # (n,) fusion cell of each row (fusion.CELLS index)


# Rows per block in _row_products: a few MB, so the block stays in cache between its products.
_BLOCK_ROWS = 4096


def _row_products(
    whole: np.ndarray,
    whole_query: np.ndarray | None,
    support_query: np.ndarray | None,
    title: np.ndarray,
    title_query: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """whole @ whole_query, whole @ support_query and title @ title_query, block by block.

    Memory bandwidth bounds these on 100k rows: reading each block of `whole` once for both of
    its products saves a pass over the matrix (a (2, d) @ (d, n) product would too, but BLAS
    runs it several times slower than two matrix-vector products here).
    """
    n = whole.shape[0]
    outs = [
        np.empty(n, dtype=np.float32) if q is not None else None
        for q in (whole_query, support_query, title_query)
    ]
    jobs = [
        (whole, whole_query, outs[0]),
        (whole, support_query, outs[1]),
        (title, title_query, outs[2]),
    ]
    jobs = [(m, q.astype(np.float32, copy=False), o) for m, q, o in jobs if q is not None]
    for start in range(0, n, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, n)
        for mat, query, out in jobs:
            np.dot(mat[start:stop], query, out=out[start:stop])
    return outs[0], outs[1], outs[2]


# The last index's languages as integer codes: a Python loop over 100,000 languages cost
# ~11 ms of every ranking (a tenth of it); the tuple is immutable, so its identity keys it.
_LANGUAGE_CODES: dict[int, tuple[tuple[str, ...], np.ndarray, dict[str, int]]] = {}


def _language_codes(languages: tuple[str, ...]) -> tuple[np.ndarray, dict[str, int]]:
    """(codes, {language: code}) of a tuple of language tags, cached for the last tuple seen."""
    hit = _LANGUAGE_CODES.get(id(languages))
    if hit is not None and hit[0] is languages:
        return hit[1], hit[2]
    vocab = {lang: i for i, lang in enumerate(sorted(set(languages)))}
    codes = np.fromiter((vocab[lang] for lang in languages), dtype=np.int32, count=len(languages))
    _LANGUAGE_CODES.clear()
    _LANGUAGE_CODES[id(languages)] = (languages, codes, vocab)
    return codes, vocab


class Matcher:
    """Ranks candidates for needs (and needs for candidates) with one set of settings."""

    def __init__(
        self,
        settings: MatcherSettings | None = None,
        embedder: Embedder | None = None,
        cache: VectorCache | None = None,
        *,
        concepts: ConceptLexicon | None = None,
        fusion_table: FusionTable | None = None,
    ) -> None:
        self.settings = settings or MatcherSettings()
        self.embedder: Embedder = embedder or SentenceTransformerEmbedder()
        self.cache: VectorCache = cache if cache is not None else InMemoryVectorCache()
        # Skill phrases of the app's taxonomy (any language) -> concept ids, for the lexical part.
        self.concepts = concepts
        # Weights per profile kind and language pairing; None: [weights] of the settings.
        self.fusion_table = fusion_table

    # ------------------------------------------------------------------ encoding
    def encode_candidates(
        self,
        docs: Sequence[CandidateDocument],
        vectors: Mapping[str, np.ndarray] | None = None,
        progress: Progress | None = None,
    ) -> dict[str, np.ndarray]:
        """(2, d) view vectors per content hash, encoding only those not in `vectors`."""
        vectors = vectors or {}
        out: dict[str, np.ndarray] = {}
        todo: dict[str, tuple[str, ...]] = {}
        for d in docs:
            h = d.content_hash()
            if h in out or h in todo:
                continue
            v = vectors.get(h)
            if v is not None:
                out[h] = np.asarray(v, dtype=np.float32).reshape(2, -1)
            else:
                todo[h] = d.views()
        if todo:
            views = list(todo.values())
            # Headlines repeat across many profiles ("paediatric nurse"): like skill phrases they
            # go through the text cache (keyed by the exact text), so each is embedded once and
            # bulk encoding runs the model on little more than the summaries.
            heads = encode_cached(self.embedder, self.cache, [v[0] for v in views if v[0]])
            bodies = self._encode_texts([v[1] for v in views], progress)
            zero = np.zeros(bodies.shape[1], dtype=np.float32)
            for i, h in enumerate(todo):
                head = heads[views[i][0]] if views[i][0] else zero
                out[h] = np.stack([np.asarray(head, dtype=np.float32), bodies[i]])
        return out

    def _encode_texts(self, texts: Sequence[str], progress: Progress | None) -> np.ndarray:
        """Encode texts once each (duplicates share a vector)."""
        unique = [t for t in dict.fromkeys(texts) if t]
        dim = self.embedder.dimension
        mat = self.embedder.encode(unique) if unique else np.zeros((0, dim), np.float32)
        if progress is not None:
            progress(len(unique))
        # Empty texts get a zero vector: they must not pull the composed vector anywhere.
        mat = np.vstack([mat, np.zeros((1, mat.shape[1]), dtype=np.float32)])
        pos = {t: i for i, t in enumerate(unique)}
        return mat[[pos.get(t, len(unique)) for t in texts]]

    def encode_phrases(self, phrases: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors of normalised phrases through the phrase cache (each embedded once).

        A phrase that is a whole French or Kinyarwanda taxonomy label is embedded by its
        concept's English label (the lexicon's pivot), so the concept gets the same vector in
        either language.
        """
        if not self.concepts or not self.concepts.pivots:
            return encode_cached(self.embedder, self.cache, phrases)
        texts: dict[str, str] = {}
        for p in phrases:
            pivot = self.concepts.pivot(p)
            texts[p] = normalize_phrase(pivot) if pivot else p
        vecs = encode_cached(self.embedder, self.cache, list(dict.fromkeys(texts.values())))
        return {p: vecs[t] for p, t in texts.items()}

    def encode_need(self, need: NeedDocument, vectors: np.ndarray | None = None) -> EncodedNeed:
        """Encode a need's views (unless given as a (2, d) array) and skill phrases."""
        if vectors is None:
            views = self._encode_texts(list(need.views()), None)
        else:
            views = np.asarray(vectors, dtype=np.float32).reshape(2, -1)
        phrases = need.phrases()
        keep = [i for i, p in enumerate(phrases) if p]
        kept = tuple(phrases[i] for i in keep)
        pv = self.encode_phrases(kept)
        dim = views.shape[1]
        pmat = np.stack([pv[p] for p in kept]) if kept else np.zeros((0, dim), dtype=np.float32)
        s = self.settings
        imp = np.array(
            [
                s.must_weight if need.required_skills[i].importance != "nice" else s.nice_weight
                for i in keep
            ],
            dtype=np.float32,
        )
        skill_mean = (imp @ pmat / float(imp.sum())) if kept else np.zeros(dim, np.float32)
        whole = self._compose(views[0][None, :], skill_mean[None, :], views[1][None, :])[0]
        title = views[0] if need.views()[0] else views[1]
        return EncodedNeed(
            need=need,
            whole=whole,
            title=title,
            phrases=kept,
            phrase_vectors=pmat,
            importance=imp,
            content_hash=need.content_hash(),
            language=need_language(need),
        )

    # ------------------------------------------------------------------ index
    def build_index(
        self,
        candidates: Sequence[CandidateDocument],
        vectors: Mapping[str, np.ndarray] | None = None,
        *,
        lexical_corpus: Sequence[str] | None = None,  # language.lexical_document strings
        progress: Progress | None = None,
    ) -> CandidateIndex:
        """Index candidates; `vectors` maps content hash -> stored (2, d) view vectors."""
        docs = tuple(candidates)
        hashes = tuple(d.content_hash() for d in docs)
        given = vectors or {}
        view_vecs = self.encode_candidates(docs, given, progress)
        computed = {h: v for h, v in view_vecs.items() if h not in given}
        dim = next(iter(view_vecs.values())).shape[1] if view_vecs else self.embedder.dimension
        head = np.empty((len(docs), dim), dtype=np.float32)
        text = np.empty((len(docs), dim), dtype=np.float32)
        for r, h in enumerate(hashes):
            head[r] = view_vecs[h][0]
            text[r] = view_vecs[h][1]
        phrase_lists = [d.phrases() for d in docs]
        vocab = tuple(dict.fromkeys(p for pl in phrase_lists for p in pl))
        pvecs = self.encode_phrases(vocab)
        phrase_vectors = (
            np.stack([pvecs[p] for p in vocab]) if vocab else np.zeros((0, dim), dtype=np.float32)
        )
        vocab_index = {p: i for i, p in enumerate(vocab)}
        cand_phrase, from_text = build_phrase_matrix(
            self.settings, docs, phrase_lists, vocab_index, len(vocab)
        )
        # Mean phrase vector per candidate: a 0/1 incidence matrix times the phrase vectors.
        incidence = cand_phrase.copy()
        incidence.data[:] = 1.0
        counts = np.maximum(np.asarray(incidence.sum(axis=1)).ravel(), 1.0)
        skill_mean = np.asarray(incidence @ phrase_vectors) / counts[:, None]
        whole = self._compose(head, skill_mean.astype(np.float32), text)
        # A missing headline falls back to the summary vector for the title view.
        no_head = np.array([not d.views()[0] for d in docs], dtype=bool)
        title = np.where(no_head[:, None], text, head)
        text_language = tuple(candidate_language(d) for d in docs)
        texts = [
            lexical_document(candidate_lexical_text(d), lang)
            for d, lang in zip(docs, text_language, strict=True)
        ]
        vectorizer = make_lexical(self.settings, self.concepts)
        if lexical_corpus is not None:
            vectorizer.fit_transform(list(lexical_corpus))
            lex = lexical_docs(vectorizer, texts)
        else:
            lex = vectorizer.fit_transform(texts) if texts else sp.csr_matrix((0, 0))
        (mode, consent, confirmed, langs, lang_mat, w_owner, w_start, w_end, has_w) = (
            build_filter_columns(docs)
        )
        return CandidateIndex(
            documents=docs,
            ids=tuple(d.id for d in docs),
            row_of={d.id: i for i, d in enumerate(docs)},
            content_hashes=hashes,
            whole=whole,
            title=title,
            lexical=sp.csr_matrix(lex, dtype=np.float32),
            lexical_t=sp.csr_matrix(sp.csr_matrix(lex, dtype=np.float32).T),
            vectorizer=vectorizer,
            phrases=vocab,
            phrase_vectors=phrase_vectors,
            cand_phrase=cand_phrase,
            phrase_cand=cand_phrase.tocsc(),
            from_text=from_text,
            mode=mode,
            consent=consent,
            confirmed=confirmed,
            languages=langs,
            language_matrix=lang_mat,
            window_owner=w_owner,
            window_start=w_start,
            window_end=w_end,
            has_windows=has_w,
            computed_vectors=computed,
            model_name=self.embedder.model_name,
            text_language=text_language,
            kind=np.array([PROFILE_KINDS.index(profile_kind(d)) for d in docs], dtype=np.int8),
            concept_terms=concept_term_mask(vectorizer),
            concept_phrases=self._concept_phrases(vocab),
        )

    def _concept_phrases(self, phrases: Sequence[str]) -> dict[str, np.ndarray]:
        """Concept id -> columns of the phrases (skills or CV chunks) that name it."""
        if not self.concepts:
            return {}
        cols: dict[str, list[int]] = {}
        for u, phrase in enumerate(phrases):
            for concept in self.concepts.concepts_of(phrase):
                cols.setdefault(concept, []).append(u)
        return {c: np.asarray(v, dtype=np.int64) for c, v in cols.items()}

    def _compose(self, title: np.ndarray, skills: np.ndarray, text: np.ndarray) -> np.ndarray:
        """Unit whole-document vectors as a weighted sum of title, mean-skill and text rows."""
        s = self.settings
        mat = s.compose_title * title + s.compose_skills * skills + s.compose_text * text
        return l2_normalize(mat)

    # ------------------------------------------------------------------ filters
    def filter_mask(
        self, need: NeedDocument, index: CandidateIndex, filters: Filters | None = None
    ) -> np.ndarray:
        """Boolean mask of index rows that pass every enabled hard filter."""
        f = filters or Filters()
        n = len(index)
        mask = np.ones(n, dtype=bool)
        if f.consent:
            mask &= index.consent
        if f.mode:
            accepts = NEED_MODE_ACCEPTS.get(need.mode, NEED_MODE_ACCEPTS["any"])
            codes = np.array([MODE_CODES[m] for m in accepts], dtype=np.int8)
            mask &= np.isin(index.mode, codes)
        if f.languages and need.languages:
            col = {c: i for i, c in enumerate(index.languages)}
            wanted = {norm_language(c) for c in need.languages if c.strip()}
            if need.language_mode == "any" and wanted:
                cols = [col[c] for c in wanted if c in col]
                if cols:
                    mask &= index.language_matrix[:, cols].any(axis=1)
                else:
                    mask[:] = False
            else:
                for code in wanted:
                    i = col.get(code)
                    if i is None:
                        mask[:] = False
                        break
                    mask &= index.language_matrix[:, i]
        if f.availability and (need.start or need.end) and index.window_owner.size:
            lo = need.start.toordinal() if need.start else date.min.toordinal()
            hi = need.end.toordinal() if need.end else date.max.toordinal()
            ok = (index.window_start <= hi) & (index.window_end >= lo)
            any_ok = np.bincount(index.window_owner[ok], minlength=n) > 0
            mask &= any_ok | ~index.has_windows
        if f.exclude_ids:
            for cid in f.exclude_ids:
                r = index.row_of.get(cid)
                if r is not None:
                    mask[r] = False
        return mask

    def explain_filtered(
        self, need: NeedDocument, candidate: CandidateDocument
    ) -> tuple[FilterCheck, ...]:
        """Every hard filter's outcome for one pair, so staff can see why it was dropped."""
        checks = [
            FilterCheck(
                "consent",
                candidate.has_matching_consent,
                candidate_value=(str(candidate.has_matching_consent).lower(),),
            )
        ]
        accepts = NEED_MODE_ACCEPTS.get(need.mode, NEED_MODE_ACCEPTS["any"])
        checks.append(
            FilterCheck(
                "mode",
                candidate.mode in accepts,
                need_value=(need.mode,),
                candidate_value=(candidate.mode,),
            )
        )
        ok = True
        if (need.start or need.end) and candidate.availability:
            lo = need.start or date.min
            hi = need.end or date.max
            ok = any(s <= hi and (e is None or e >= lo) for s, e in candidate.availability)
        checks.append(
            FilterCheck(
                "availability",
                ok,
                need_value=tuple(d.isoformat() if d else "" for d in (need.start, need.end)),
                candidate_value=tuple(
                    f"{s.isoformat()}/{e.isoformat() if e else ''}"
                    for s, e in candidate.availability
                ),
            )
        )
        have = {norm_language(c) for c in candidate.languages}
        want = tuple(dict.fromkeys(norm_language(c) for c in need.languages if c.strip()))
        missing = tuple(c for c in want if c not in have)
        # In "any" mode one shared language passes; "missing" still lists the others.
        lang_ok = bool(set(want) & have) or not want if need.language_mode == "any" else not missing
        checks.append(
            FilterCheck(
                "languages",
                lang_ok,
                need_value=want,
                candidate_value=tuple(sorted(have)),
                missing=missing,
            )
        )
        return tuple(checks)

    # ------------------------------------------------------------------ scoring
    def _calibrate(self, part: str, raw: np.ndarray) -> np.ndarray:
        s = self.settings
        if part == "dense":
            return np.clip((raw - s.dense_floor) / (s.dense_full - s.dense_floor), 0.0, 1.0)
        if part == "lexical":
            return np.clip(raw / s.lexical_full, 0.0, 1.0)
        return np.clip(raw, 0.0, 1.0)

    def _skill_gate(self, sims: np.ndarray) -> np.ndarray:
        s = self.settings
        return np.clip((sims - s.skill_floor) / (s.skill_full - s.skill_floor), 0.0, 1.0)

    def _score_parts(
        self, enc: EncodedNeed, index: CandidateIndex, parts: Sequence[str]
    ) -> _Scores:
        """Raw and calibrated part scores for every index row."""
        out = _Scores()
        s = self.settings
        n = len(index)
        # One pass over the whole-profile matrix serves both the dense part and the skill
        # part's text support (memory bandwidth, not flops, bounds this on 100k rows).
        use_text = "skills" in parts and enc.phrases and s.skill_text_mix > 0
        ww, wt = s.dense_whole_weight, s.dense_title_weight
        use_dense = "dense" in parts
        # Mean similarity of the required skills to the profile text is linear in the query,
        # so the importance-weighted mean skill vector gives it in one product.
        support_query = (
            enc.importance @ enc.phrase_vectors / float(enc.importance.sum()) if use_text else None
        )
        whole_sims, text_support, title_sims = _row_products(
            index.whole,
            enc.whole if use_dense else None,
            support_query,
            index.title,
            enc.title if use_dense and wt > 0 else None,
        )
        if use_dense and whole_sims is not None:
            dense = whole_sims * (ww / (ww + wt))
            if title_sims is not None:
                dense += title_sims * (wt / (ww + wt))
            out.raw["dense"] = dense
        if "skills" in parts and enc.phrases:
            sims = enc.phrase_vectors @ index.phrase_vectors.T  # (k, U)
            if self.concepts and index.concept_phrases:
                # A need skill and a phrase naming the same taxonomy concept are the same skill
                # whatever their words or language ("gérer des budgets" / "manage budgets").
                for j, phrase in enumerate(enc.phrases):
                    for concept in self.concepts.concepts_of(phrase):
                        cols = index.concept_phrases.get(concept)
                        if cols is not None:
                            sims[j, cols] = np.maximum(sims[j, cols], 1.0)
            out.skill_sims = sims
            gate = self._skill_gate(sims)
            best = np.zeros((len(enc.phrases), n), dtype=np.float32)
            csc = index.phrase_cand
            for j in range(len(enc.phrases)):
                cols = np.flatnonzero(gate[j] > 0)
                if cols.size == 0:
                    continue
                starts = csc.indptr[cols]
                lens = csc.indptr[cols + 1] - starts
                total = int(lens.sum())
                if total == 0:
                    continue
                # Positions of all non-zeros of the selected phrase columns, in one gather.
                offs = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
                rows = csc.indices[offs]
                vals = csc.data[offs] * np.repeat(gate[j, cols], lens)
                np.maximum.at(best[j], rows, vals)
            cov = enc.importance @ best / float(enc.importance.sum())
            if text_support is not None:
                mix = s.skill_text_mix
                cov = (1.0 - mix) * cov + mix * np.clip(text_support, 0.0, 1.0)
            out.raw["skills"] = cov.astype(np.float32)
        cross = self._cross_rows(enc, index)
        out.cell = index.kind.astype(np.int64) * len(PAIRINGS) + cross
        if "lexical" in parts:
            doc = lexical_document(need_lexical_text(enc.need), enc.language)
            q = sp.csr_matrix(index.vectorizer.transform([doc]))
            shared = np.zeros(n, dtype=bool)
            if q.nnz and index.lexical_t.shape[0]:
                post = index.lexical_t[q.indices]
                lex = np.asarray(post.T @ q.data, dtype=np.float32).ravel()
                concept_cols = self._concept_columns(index, q.indices)
                if concept_cols.size:
                    shared = (
                        np.asarray((index.lexical_t[concept_cols] != 0).sum(axis=0)).ravel() > 0
                    )
            else:
                lex = np.zeros(n, dtype=np.float32)
            out.raw["lexical"] = lex
            # Across languages the words of a need and a profile rarely meet even when they
            # mean the same: the lexical part then speaks only through shared concepts.
            out.lexical_ok = ~cross.astype(bool) | shared
        for k, v in out.raw.items():
            out.cal[k] = self._calibrate(k, v)
        return out

    @staticmethod
    def _cross_rows(enc: EncodedNeed, index: CandidateIndex) -> np.ndarray:
        """(n,) 1 where the need and the profile are written in known, different languages."""
        n = len(index)
        if not enc.language or len(index.text_language) != n:
            return np.zeros(n, dtype=np.int64)
        codes, vocab = _language_codes(index.text_language)
        known = codes != vocab.get("", -1)
        return (known & (codes != vocab.get(enc.language, -1))).astype(np.int64)

    @staticmethod
    def _concept_columns(index: CandidateIndex, cols: np.ndarray) -> np.ndarray:
        """The query's term columns that are taxonomy concept terms."""
        if not index.concept_terms.size:
            return np.zeros(0, dtype=np.int64)
        return cols[index.concept_terms[cols]].astype(np.int64)

    def row_weights(self, sc: _Scores, n: int) -> np.ndarray:
        """(n, 3) hybrid weights of (dense, skills, lexical) per row, normalised, as fused."""
        if self.fusion_table is not None:
            table = self.fusion_table.matrix()
        else:
            s = self.settings
            table = np.tile([s.weight_dense, s.weight_skills, s.weight_lexical], (len(CELLS), 1))
        cell = sc.cell if sc.cell is not None else np.zeros(n, dtype=np.int64)
        ok = sc.lexical_ok if sc.lexical_ok is not None else np.ones(n, dtype=bool)
        available = np.array([1.0 if p in sc.cal else 0.0 for p in PARTS])
        return row_weights(table.astype(np.float64), cell, ok.astype(np.float64), available)

    def _weights_of(
        self, sc: _Scores, weights: np.ndarray | None, r: int, method: str = "hybrid"
    ) -> dict[str, float]:
        """One row's hybrid weights as a {part: weight} mapping (single methods: that part)."""
        if method != "hybrid" or weights is None:
            part = method if method in sc.cal else next(iter(sc.cal))
            return {part: 1.0} if method != "hybrid" else self.effective_weights(list(sc.cal))
        return {p: float(weights[r, j]) for j, p in enumerate(PARTS) if p in sc.cal}

    def effective_weights(self, available: Sequence[str]) -> dict[str, float]:
        """Hybrid weights restricted to available parts, normalised to sum to 1."""
        s = self.settings
        w = {"dense": s.weight_dense, "skills": s.weight_skills, "lexical": s.weight_lexical}
        w = {k: v for k, v in w.items() if k in available and v > 0}
        total = sum(w.values()) or 1.0
        return {k: v / total for k, v in w.items()}

    def _fuse(self, sc: _Scores, method: str, pool: np.ndarray) -> np.ndarray:
        """Final scores in [0, 1] for every row; `pool` marks rows used for statistics."""
        if method != "hybrid":
            part = method if method in sc.cal else "dense"
            return sc.cal[part]
        fusion = self.settings.fusion
        if fusion == "weighted" or pool.sum() < 2:
            n = len(next(iter(sc.cal.values())))
            w = self.row_weights(sc, n)
            cal = np.zeros((len(PARTS), n), dtype=np.float64)
            for j, k in enumerate(PARTS):
                if k in sc.cal:
                    cal[j] = sc.cal[k]
            cell = sc.cell if sc.cell is not None else np.zeros(n, dtype=np.int64)
            offsets = self.fusion_table.offset_vector() if self.fusion_table else None
            return fuse_rows(cal, w, cell, offsets).astype(np.float32)
        weights = self.effective_weights(list(sc.cal))
        if fusion == "zscore":
            fused = np.zeros(len(pool), dtype=np.float64)
            for k, w in weights.items():
                v = sc.raw[k].astype(np.float64)
                mu, sd = v[pool].mean(), v[pool].std()
                fused += w * (v - mu) / (sd if sd > 1e-9 else 1.0)
            # Logistic squashing keeps zscore fusion inside [0, 1]; only order matters.
            return (1.0 / (1.0 + np.exp(-fused))).astype(np.float32)
        # Reciprocal rank fusion over the pool, normalised by the best possible value.
        k0 = self.settings.rrf_k
        fused = np.zeros(len(pool), dtype=np.float64)
        for k, w in weights.items():
            v = np.where(pool, sc.raw[k], -np.inf)
            order = np.argsort(-v, kind="stable")
            ranks = np.empty(len(v), dtype=np.float64)
            ranks[order] = np.arange(1, len(v) + 1)
            fused += w / (k0 + ranks)
        return (fused * (k0 + 1)).astype(np.float32)

    def _rank_key(self, sc: _Scores, method: str, final: np.ndarray) -> np.ndarray:
        """Sort key: the final score, ties broken by the method's raw signal."""
        tie = sc.raw.get(method if method != "hybrid" else "dense")
        if tie is None:
            tie = next(iter(sc.raw.values()))
        return final.astype(np.float64) + 1e-7 * np.tanh(tie.astype(np.float64))

    @staticmethod
    def _parts_needed(method: str) -> tuple[str, ...]:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        return PARTS if method == "hybrid" else (method,)

    def rank_candidates(
        self,
        need: NeedDocument | EncodedNeed,
        index: CandidateIndex,
        top_k: int | None = 50,
        filters: Filters | None = None,
        method: str = "hybrid",
        explain_top_k: int | None = None,
    ) -> list[RankedCandidate]:
        """Rank index candidates for a need (top_k=None: all that pass the filters)."""
        enc = need if isinstance(need, EncodedNeed) else self.encode_need(need)
        parts = self._parts_needed(method)
        if method == "skills" and not enc.phrases:
            parts = ("dense",)  # a need without skills can only be judged on its text
        mask = self.filter_mask(enc.need, index, filters)
        if not mask.any():
            return []
        sc = self._score_parts(enc, index, parts)
        final = self._fuse(sc, method, mask)
        final = np.where(index.confirmed, final, final * self.settings.unconfirmed_factor)
        key = np.where(mask, self._rank_key(sc, method, final), -np.inf)
        n_pass = int(mask.sum())
        k = n_pass if top_k is None else min(top_k, n_pass)
        if k < len(key):
            top = np.argpartition(-key, k - 1)[:k]
            top = top[np.argsort(-key[top], kind="stable")]
        else:
            top = np.argsort(-key, kind="stable")[:k]
        n_explain = self.settings.explain_top_k if explain_top_k is None else explain_top_k
        out: list[RankedCandidate] = []
        weights = self.row_weights(sc, len(index)) if n_explain and method == "hybrid" else None
        for rank, r in enumerate(top.tolist(), start=1):
            parts_r = {p: float(sc.cal[p][r]) for p in sc.cal}
            expl = (
                self._explain(enc, index, r, sc, self._weights_of(sc, weights, r, method))
                if rank <= n_explain
                else None
            )
            out.append(RankedCandidate(index.ids[r], rank, float(final[r]), parts_r, expl))
        return out

    def _explain(
        self,
        enc: EncodedNeed,
        index: CandidateIndex,
        r: int,
        sc: _Scores,
        weights: Mapping[str, float],
    ) -> Explanation:
        """Explanation of one index row for an encoded need."""
        doc = index.documents[r]
        covered: list[SkillMatch] = []
        missing: list[SkillMatch] = []
        if enc.phrases:
            lo, hi = index.cand_phrase.indptr[r], index.cand_phrase.indptr[r + 1]
            cols = index.cand_phrase.indices[lo:hi]
            credit_w = index.cand_phrase.data[lo:hi]
            if sc.skill_sims is not None:
                sims = sc.skill_sims[:, cols]
            else:
                sims = enc.phrase_vectors @ index.phrase_vectors[cols].T
            gate = self._skill_gate(sims) * credit_w[None, :]
            by_phrase = {normalize_phrase(s.name): s for s in doc.skills}
            from_text = bool(index.from_text[r])
            for j, need_phrase in enumerate(enc.phrases):
                imp = "must" if enc.importance[j] == self.settings.must_weight else "nice"
                imp = self._importance_of(enc.need, j, need_phrase) or imp
                if cols.size == 0:
                    m = SkillMatch(
                        self._need_skill_name(enc.need, need_phrase),
                        imp,
                        None,
                        0.0,
                        0.0,
                        False,
                        from_text=from_text,
                    )
                    missing.append(m)
                    continue
                best = int(np.argmax(gate[j])) if gate[j].max() > 0 else int(np.argmax(sims[j]))
                phrase = index.phrases[cols[best]]
                skill = by_phrase.get(phrase)
                sim = float(sims[j, best])
                m = SkillMatch(
                    need_skill=self._need_skill_name(enc.need, need_phrase),
                    importance=imp,
                    candidate_skill=skill.name if skill else phrase,
                    similarity=round(sim, 4),
                    credit=round(float(gate[j, best]), 4),
                    covered=sim >= self.settings.cover_threshold,
                    level=skill.level if skill else None,
                    years=skill.years if skill else None,
                    from_text=from_text,
                )
                (covered if m.covered else missing).append(m)
        checks = self.explain_filtered(enc.need, doc)
        return Explanation(
            parts={p: round(float(sc.cal[p][r]), 4) for p in sc.cal},
            raw={p: round(float(sc.raw[p][r]), 4) for p in sc.raw},
            weights=dict(weights),
            covered=tuple(covered),
            missing=tuple(missing),
            filters=checks,
            unconfirmed_factor=1.0 if doc.is_confirmed else self.settings.unconfirmed_factor,
        )

    @staticmethod
    def _need_skill_name(need: NeedDocument, phrase: str) -> str:
        for s in need.required_skills:
            if normalize_phrase(s.name) == phrase:
                return s.name
        return phrase

    @staticmethod
    def _importance_of(need: NeedDocument, j: int, phrase: str) -> str | None:
        for s in need.required_skills:
            if normalize_phrase(s.name) == phrase:
                return "nice" if s.importance == "nice" else "must"
        return None

    def explain(
        self,
        need: NeedDocument | EncodedNeed,
        candidate: CandidateDocument,
        index: CandidateIndex | None = None,
    ) -> Explanation:
        """Explanation of one pair (scores relative to a one-candidate index if none given)."""
        enc = need if isinstance(need, EncodedNeed) else self.encode_need(need)
        if index is None or candidate.id not in index.row_of:
            index = self.build_index([candidate])
        r = index.row_of[candidate.id]
        sc = self._score_parts(enc, index, PARTS)
        weights = self.row_weights(sc, len(index))
        return self._explain(enc, index, r, sc, self._weights_of(sc, weights, r, "hybrid"))

    def rank_needs(
        self,
        candidate: CandidateDocument,
        needs: Sequence[NeedDocument | EncodedNeed],
        top_k: int | None = 50,
        filters: Filters | None = None,
        method: str = "hybrid",
        candidate_vectors: np.ndarray | None = None,
    ) -> list[RankedNeed]:
        """Rank needs for one candidate with the same scoring as rank_candidates."""
        encs = [n if isinstance(n, EncodedNeed) else self.encode_need(n) for n in needs]
        if not encs:
            return []
        vecs = (
            {candidate.content_hash(): candidate_vectors} if candidate_vectors is not None else None
        )
        # IDF comes from the needs so rare terms in the postings weigh more, as for candidates.
        corpus = [lexical_document(need_lexical_text(e.need), e.language) for e in encs] + [
            lexical_document(candidate_lexical_text(candidate), candidate_language(candidate))
        ]
        index = self.build_index([candidate], vecs, lexical_corpus=corpus)
        parts = self._parts_needed(method)
        raws: dict[str, list[float]] = {}
        keep: list[int] = []
        per_need: list[_Scores] = []
        for i, e in enumerate(encs):
            if not self.filter_mask(e.need, index, filters)[0]:
                continue
            use = parts
            if method == "skills" and not e.phrases:
                use = ("dense",)
            sc = self._score_parts(e, index, use)
            keep.append(i)
            per_need.append(sc)
            for p in PARTS:
                if p in sc.raw:
                    raws.setdefault(p, []).append(float(sc.raw[p][0]))
        if not keep:
            return []
        # Needs without skills lack the skills part: score them on what they have.
        finals = []
        for sc in per_need:
            pool = np.ones(1, dtype=bool)
            finals.append(float(self._fuse(sc, method, pool)[0]))
        if method == "hybrid" and self.settings.fusion != "weighted" and len(keep) > 1:
            finals = self._fuse_across(per_need, raws)
        factor = 1.0 if candidate.is_confirmed else self.settings.unconfirmed_factor
        order = sorted(range(len(keep)), key=lambda i: -finals[i])
        if top_k is not None:
            order = order[:top_k]
        n_explain = self.settings.explain_top_k
        out: list[RankedNeed] = []
        for rank, i in enumerate(order, start=1):
            sc = per_need[i]
            expl = (
                self._explain(
                    encs[keep[i]], index, 0, sc, self._weights_of(sc, self.row_weights(sc, 1), 0)
                )
                if rank <= n_explain
                else None
            )
            out.append(
                RankedNeed(
                    encs[keep[i]].need.id,
                    rank,
                    finals[i] * factor,
                    {p: float(v[0]) for p, v in sc.cal.items()},
                    expl,
                )
            )
        return out

    def _fuse_across(
        self, per_need: Sequence[_Scores], raws: Mapping[str, list[float]]
    ) -> list[float]:
        """z-score / RRF fusion across needs (rank_needs), using each need's available parts."""
        merged = _Scores()
        n = len(per_need)
        for p in PARTS:
            vals = [sc.raw[p][0] if p in sc.raw else np.nan for sc in per_need]
            arr = np.array(vals, dtype=np.float32)
            if np.isnan(arr).all():
                continue
            # A missing part counts as the pool's mean, i.e. neutral in z-score fusion.
            arr = np.where(np.isnan(arr), np.nanmean(arr), arr)
            merged.raw[p] = arr
            merged.cal[p] = self._calibrate(p, arr)
        return [float(x) for x in self._fuse(merged, "hybrid", np.ones(n, dtype=bool))]
