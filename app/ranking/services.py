"""Matching in the app: the embedder factory, stored vectors, background embedding, rankings.

Web requests never run the model: they read vectors stored by the worker (embed_pending)
through a matcher whose embedder refuses to encode (VectorsPending), and show a progress
state until the vectors exist.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from flask import Flask, current_app
from sqlalchemy import and_, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.database import utcnow
from app.extensions import db
from app.matching import (
    CandidateDocument,
    CandidateIndex,
    EncodedNeed,
    Explanation,
    Filters,
    HashingEmbedder,
    Matcher,
    MatcherSettings,
    RankedCandidate,
    balance_shortlist,
    composition,
    load_matcher_settings,
    vector_key,
)
from app.matching.backends import DEFAULT_MATCHING_MODEL, create_embedder, resolve_backend
from app.matching.embedders import Embedder, resolve_dtype
from app.ranking.adapter import (
    candidate_document,
    candidate_documents,
    candidate_profiles_query,
    matching_consents,
    need_document,
)
from app.ranking.models import DocumentVector, NeedAlertRun, SkillPhraseVector, VectorKind

log = logging.getLogger("umuhuza.ranking")

Progress = Callable[[int], None]
# Needs in these states are embedded (and can be previewed by their owner and staff).
EMBEDDED_NEED_STATUSES = ("draft", "submitted", "open")
_CHUNK = 900  # bound parameters per IN (...) (SQLite allows 999 by default)
_EXT = "ranking"


class VectorsPending(RuntimeError):
    """A vector the web path needs has not been stored by the worker yet."""


# --------------------------------------------------------------------------- factory


_EMBEDDERS: dict[tuple[str | None, ...], Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def _state() -> dict[str, Any]:
    """Per-app state (test overrides, index caches); one app per process in production."""
    return current_app.extensions.setdefault(_EXT, {})  # type: ignore[no-any-return]


def get_embedder(config: Mapping[str, Any] | None = None, kind: str | None = None) -> Embedder:
    """The process's embedder for the configured kind and model path (created once, lazily).

    Creating it loads nothing: the sentence model (or its ONNX export) loads on first encode.
    """
    if config is None:
        override = _state().get("embedder")
        if override is not None and kind is None:
            return override  # type: ignore[no-any-return]
        config = current_app.config
    kind = kind or str(config.get("MATCHING_EMBEDDER") or "sentence-transformers")
    path = config.get("MATCHING_MODEL_PATH") or None
    model = None if path else str(config.get("MATCHING_MODEL") or DEFAULT_MATCHING_MODEL)
    dtype = resolve_dtype(str(config.get("MATCHING_MODEL_DTYPE") or "auto"))
    backend = resolve_backend(str(config.get("MATCHING_BACKEND") or "auto"), dtype)
    export_dir = config.get("MATCHING_ONNX_DIR") or None
    key = (kind, model, path, dtype, backend, str(export_dir)) if kind != "hashing" else (kind,)
    with _EMBEDDERS_LOCK:
        embedder = _EMBEDDERS.get(key)
        if embedder is None:
            if kind == "hashing":
                embedder = HashingEmbedder()
            elif kind == "sentence-transformers":
                # Never reach the Hugging Face hub: the model ships in a package or a local path.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                embedder = create_embedder(
                    path, backend=backend, dtype=dtype, export_dir=export_dir, model=model
                )
            else:
                raise ValueError(f"unknown MATCHING_EMBEDDER {kind!r}")
            _EMBEDDERS[key] = embedder
    return embedder


def set_embedder(embedder: Embedder | None) -> None:
    """Use this embedder in the current app (tests: a counting wrapper); None restores config."""
    state = _state()
    state.clear()
    if embedder is not None:
        state["embedder"] = embedder


@lru_cache(maxsize=8)
def _settings(path: str) -> MatcherSettings:
    return load_matcher_settings(path)


def matcher_settings(config: Mapping[str, Any]) -> MatcherSettings:
    """Matcher settings from MATCHING_CONFIG_PATH (config/matching.toml), read once per path."""
    return _settings(str(Path(config["MATCHING_CONFIG_PATH"])))


def build_matcher(
    config: Mapping[str, Any],
    *,
    embedder: Embedder | None = None,
    cache: Any = None,
) -> Matcher:
    """The one Matcher construction used by the web app, the worker and `flask matching`.

    The matcher reads skills through the taxonomy's concepts in every language and weighs its
    parts per kind of profile and language pairing (app/ranking/multilingual.py).
    """
    from app.ranking.multilingual import concept_lexicon, fusion_table

    return Matcher(
        matcher_settings(config),
        embedder if embedder is not None else get_embedder(),
        cache if cache is not None else DbVectorCache(),
        concepts=concept_lexicon(),
        fusion_table=fusion_table(config),
    )


class StoredOnlyEmbedder:
    """Embedder for web requests: same model name, but encoding raises VectorsPending."""

    def __init__(self, inner: Embedder, dimension: int, model_name: str | None = None) -> None:
        self.inner = inner
        self._dimension = dimension
        # While the worker re-embeds for a newly configured model, the previous one serves.
        self._model_name = model_name

    @property
    def model_name(self) -> str:
        """The serving model's name (vectors are looked up under it)."""
        return self._model_name or self.inner.model_name

    @property
    def dimension(self) -> int:
        """Dimension of the stored vectors (the model is not loaded to ask it)."""
        return self._dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Refuse: a request must not run the model."""
        if len(texts):
            raise VectorsPending(f"{len(texts)} texts have no stored vector")
        return np.zeros((0, self._dimension), dtype=np.float32)


def web_matcher() -> Matcher:
    """The configured matcher whose embedder never encodes (reads stored vectors only)."""
    inner = get_embedder()
    model = serving_model_name()
    dim = db.session.scalar(
        select(DocumentVector.dimension).where(DocumentVector.model_name == model).limit(1)
    )
    return build_matcher(
        current_app.config,
        embedder=StoredOnlyEmbedder(inner, int(dim or 1), model_name=model),
        cache=_memo_cache(),
    )


# --------------------------------------------------------------------------- model changes

# While a newly configured model is incomplete, whether it has caught up is asked again after
# this many seconds (one EXISTS query per kind); once complete it serves for the process's life.
SERVING_RECHECK_SECONDS = 30.0


def model_is_complete(model: str) -> bool:
    """Whether every profile and embeddable need has a stored vector for the model."""
    return not _pending_need_ids(model, 1) and not _pending_profile_ids(model, 1)


def _previous_model(configured: str) -> str | None:
    """The other model with the most stored candidate vectors (the one that served before)."""
    row = db.session.execute(
        select(DocumentVector.model_name, func.count(DocumentVector.id))
        .where(DocumentVector.kind == VectorKind.CANDIDATE, DocumentVector.model_name != configured)
        .group_by(DocumentVector.model_name)
        .order_by(func.count(DocumentVector.id).desc(), DocumentVector.model_name)
        .limit(1)
    ).first()
    return str(row[0]) if row is not None else None


def serving_model_name(now: float | None = None) -> str:
    """The model whose stored vectors rankings read: the configured one once it is complete.

    When APP_MATCHING_MODEL changes, the worker re-embeds everything in batches; until every
    needed vector exists for the new model, rankings (their needs' vectors included) keep
    using the previous model's vectors, so no ranking shows a half-embedded pool. A fresh
    install (no previous vectors) serves the configured model and shows its progress.
    """
    configured = get_embedder().model_name
    state = _state()
    clock = time.monotonic() if now is None else now
    cached = state.get("serving")
    if cached is not None and cached[0] == configured and clock < cached[2]:
        return str(cached[1])
    if model_is_complete(configured):
        serving, until = configured, float("inf")
    else:
        previous = _previous_model(configured)
        # The previous model serves even when a document changed since (it waits for the
        # worker as usual): switching to a half-embedded model would drop most of the pool.
        serving = previous if previous is not None else configured
        until = clock + SERVING_RECHECK_SECONDS
    if cached is not None and cached[1] != serving:
        log.info("rankings now use the vectors of model %s (was %s)", serving, cached[1])
    state["serving"] = (configured, serving, until)
    return serving


@dataclass(frozen=True, slots=True)
class ModelUpdate:
    """Progress of re-embedding for a newly configured model (staff and institutions see it)."""

    model: str
    serving: str
    done: int
    total: int


def model_update_progress() -> ModelUpdate | None:
    """The re-embedding in progress, or None when the configured model serves."""
    from app.needs.models import Need
    from app.profiles.models import Profile

    configured = get_embedder().model_name
    serving = serving_model_name()
    if serving == configured:
        return None
    profiles, needs = count_pending(configured)
    total = int(
        db.session.scalar(select(func.count(Profile.id)).where(Profile.merged_into_id.is_(None)))
        or 0
    ) + int(
        db.session.scalar(
            select(func.count(Need.id)).where(Need.status.in_(EMBEDDED_NEED_STATUSES))
        )
        or 0
    )
    return ModelUpdate(configured, serving, max(0, total - profiles - needs), total)


def embedder_for_model(name: str) -> Embedder | None:
    """An embedder producing vectors stored under this model name, or None if none can.

    The worker keeps the serving (previous) model's vectors complete for new and changed
    documents while it re-embeds for the configured one.
    """
    configured = get_embedder()
    if name == configured.model_name:
        return configured
    from app.matching.backends import MODEL_NAMES

    if name == HashingEmbedder().model_name:
        return HashingEmbedder()
    if name in MODEL_NAMES:
        return get_embedder(
            {
                **current_app.config,
                "MATCHING_MODEL": name,
                "MATCHING_MODEL_PATH": None,
                "MATCHING_MODEL_DTYPE": "float32",
            },
            kind="sentence-transformers",
        )
    return None


# --------------------------------------------------------------------------- storage


def _insert_ignore(model: type, rows: list[dict[str, Any]], index_elements: list[str]) -> None:
    """Bulk insert, skipping rows whose unique key exists (one statement per 500 rows)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(rows), 500):
        statement = insert_fn(model).on_conflict_do_nothing(index_elements=index_elements)
        db.session.execute(statement, rows[start : start + 500])


def _to_bytes(vec: np.ndarray) -> bytes:
    return np.ascontiguousarray(vec, dtype=np.float32).tobytes()


class DbVectorCache:
    """The library's VectorCache over skill_phrase_vectors (keys are vector_key(model, phrase))."""

    def __init__(self, memo: dict[str, np.ndarray] | None = None) -> None:
        # Phrase vectors never change for a key, so a process may keep what it has read.
        self._memo = memo if memo is not None else {}

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors found for the keys (memo first, then the table in chunks)."""
        out = {k: self._memo[k] for k in keys if k in self._memo}
        todo = [k for k in dict.fromkeys(keys) if k not in out]
        for start in range(0, len(todo), _CHUNK):
            rows = db.session.execute(
                select(SkillPhraseVector.key, SkillPhraseVector.vector).where(
                    SkillPhraseVector.key.in_(todo[start : start + _CHUNK])
                )
            )
            for key, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                out[key] = vec
                self._memo[key] = vec
        return out

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors (bulk insert; existing keys are kept: same key, same vector)."""
        model = _model_for_put()
        rows = [
            {
                "key": key,
                "model_name": model,
                "dimension": int(np.asarray(vec).shape[-1]),
                "vector": _to_bytes(vec),
                "created_at": utcnow(),
            }
            for key, vec in items.items()
        ]
        _insert_ignore(SkillPhraseVector, rows, ["key"])
        for key, vec in items.items():
            self._memo[key] = np.asarray(vec, dtype=np.float32)


def _model_for_put() -> str:
    return str(_state().get("put_model") or get_embedder().model_name)


def _memo_cache() -> DbVectorCache:
    state = _state()
    memo = state.setdefault("phrase_memo", {})
    return DbVectorCache(memo)


def load_document_vectors(
    kind: VectorKind, hashes: Iterable[str], model_name: str
) -> dict[str, np.ndarray]:
    """{content hash: (views, d) float32} of the stored vectors among hashes."""
    wanted = sorted({h for h in hashes if h})
    out: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = db.session.execute(
            select(
                DocumentVector.content_hash,
                DocumentVector.views,
                DocumentVector.dimension,
                DocumentVector.vectors,
            ).where(
                DocumentVector.kind == kind,
                DocumentVector.model_name == model_name,
                DocumentVector.content_hash.in_(wanted[start : start + _CHUNK]),
            )
        )
        for content_hash, views, dim, blob in rows:
            out[content_hash] = np.frombuffer(blob, dtype=np.float32).reshape(views, dim)
    return out


def store_document_vectors(
    kind: VectorKind, vectors: Mapping[str, np.ndarray], model_name: str
) -> None:
    """Bulk-store (views, d) vectors by content hash (existing rows are kept)."""
    now = utcnow()
    rows = []
    for content_hash, mat in vectors.items():
        arr = np.asarray(mat, dtype=np.float32)
        rows.append(
            {
                "kind": kind.value,
                "content_hash": content_hash,
                "model_name": model_name,
                "views": int(arr.shape[0]),
                "dimension": int(arr.shape[1]),
                "vectors": _to_bytes(arr),
                "created_at": now,
            }
        )
    _insert_ignore(DocumentVector, rows, ["kind", "content_hash", "model_name"])


# --------------------------------------------------------------------------- embedding


@dataclass(slots=True)
class EmbedReport:
    """What one embed_pending run did."""

    profiles: int = 0
    needs: int = 0
    texts_encoded: int = 0

    @property
    def documents(self) -> int:
        """Profiles and needs embedded."""
        return self.profiles + self.needs


def _pending_profile_ids(model: str, limit: int | None) -> list[int]:
    from app.profiles.models import Profile

    stored = exists().where(
        DocumentVector.kind == VectorKind.CANDIDATE,
        DocumentVector.model_name == model,
        DocumentVector.content_hash == Profile.content_hash,
    )
    query = (
        select(Profile.id)
        .where(Profile.merged_into_id.is_(None), ~stored)
        .order_by(Profile.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _pending_need_ids(model: str, limit: int | None) -> list[int]:
    from app.needs.models import Need

    stored = exists().where(
        DocumentVector.kind == VectorKind.NEED,
        DocumentVector.model_name == model,
        DocumentVector.content_hash == Need.content_hash,
    )
    query = (
        select(Need.id)
        .where(Need.status.in_(EMBEDDED_NEED_STATUSES), ~stored)
        .order_by(Need.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def count_pending(model: str | None = None) -> tuple[int, int]:
    """(profiles, needs) whose current text has no stored vector for the model."""
    model = model or get_embedder().model_name
    return len(_pending_profile_ids(model, None)), len(_pending_need_ids(model, None))


def _encode_views(matcher: Matcher, views: Sequence[tuple[str, ...]]) -> list[np.ndarray]:
    """(2, d) vectors per tuple of texts; empty texts get zero rows, duplicates encoded once."""
    unique = [t for t in dict.fromkeys(t for v in views for t in v) if t]
    mat = matcher.embedder.encode(unique) if unique else None
    pos = {t: i for i, t in enumerate(unique)}
    dim = mat.shape[1] if mat is not None else matcher.embedder.dimension
    zero = np.zeros(dim, dtype=np.float32)
    return [np.stack([mat[pos[t]] if (t and mat is not None) else zero for t in v]) for v in views]


def embed_pending(
    limit: int | None = None,
    *,
    batch_size: int = 256,
    progress: Progress | None = None,
    matcher: Matcher | None = None,
) -> EmbedReport:
    """Encode and store vectors of needs then profiles whose text changed; flushes only.

    A row whose stored content_hash is missing or stale is repaired to the document's hash.
    Idempotent: a second run finds nothing to do.
    """
    from app.needs.models import Need
    from app.profiles.models import Profile

    matcher = matcher or build_matcher(current_app.config)
    model = matcher.embedder.model_name
    _state()["put_model"] = model
    report = EmbedReport()
    counter = _Counter(matcher.embedder)
    matcher.embedder = counter  # type: ignore[assignment]
    try:
        need_ids = _pending_need_ids(model, limit)
        for start in range(0, len(need_ids), batch_size):
            needs = db.session.scalars(
                select(Need).where(Need.id.in_(need_ids[start : start + batch_size]))
            ).all()
            docs = [need_document(n) for n in needs]
            vecs = _encode_views(matcher, [d.views() for d in docs])
            matcher.encode_phrases([p for d in docs for p in d.phrases() if p])
            store_document_vectors(
                VectorKind.NEED,
                {d.content_hash(): v for d, v in zip(docs, vecs, strict=True)},
                model,
            )
            for need, doc in zip(needs, docs, strict=True):
                if need.content_hash != doc.content_hash():
                    need.content_hash = doc.content_hash()
            report.needs += len(docs)
            if progress is not None:
                progress(len(docs))
        remaining = None if limit is None else max(0, limit - report.needs)
        profile_ids = _pending_profile_ids(model, remaining) if remaining != 0 else []
        for start in range(0, len(profile_ids), batch_size):
            profiles = db.session.scalars(
                candidate_profiles_query().where(
                    Profile.id.in_(profile_ids[start : start + batch_size])
                )
            ).all()
            docs = candidate_documents(profiles)
            known = load_document_vectors(
                VectorKind.CANDIDATE, (d.content_hash() for d in docs), model
            )
            vecs = matcher.encode_candidates(docs, known)
            matcher.encode_phrases([p for d in docs for p in d.phrases()])
            store_document_vectors(
                VectorKind.CANDIDATE, {h: v for h, v in vecs.items() if h not in known}, model
            )
            for profile, doc in zip(profiles, docs, strict=True):
                if profile.content_hash != doc.content_hash():
                    profile.content_hash = doc.content_hash()
            report.profiles += len(docs)
            if progress is not None:
                progress(len(docs))
        db.session.flush()
    finally:
        matcher.embedder = counter.inner
    report.texts_encoded = counter.texts
    return report


class _Counter:
    """Counts encoded texts of one run (for the report)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts = 0

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)


def reembed_stale(now: datetime | None = None, *, progress: Progress | None = None) -> None:
    """Periodic work: embed changed profiles/needs, then alert for newly opened needs.

    `progress` is called after each stored batch; the worker's job commits there, so SQLite's
    one write lock is held for a batch's insert, not while the model encodes the whole backlog.
    """
    limit = int(current_app.config.get("MATCHING_EMBED_BATCH_LIMIT", 5000))
    configured = get_embedder().model_name
    serving = serving_model_name()
    if serving != configured:
        # A model change: keep the serving model's vectors complete for new and changed
        # documents first (rankings read them), then re-embed a batch for the new model.
        old = embedder_for_model(serving)
        if old is not None:
            kept = embed_pending(
                limit=limit,
                matcher=build_matcher(current_app.config, embedder=old),
                progress=progress,
            )
            if kept.documents:
                log.info("embedded %d documents for the serving model %s", kept.documents, serving)
        else:
            log.warning(
                "model %s cannot embed here: new documents wait for %s", serving, configured
            )
    report = embed_pending(limit=limit, progress=progress)
    if report.documents:
        log.info("embedded %d needs and %d profiles", report.needs, report.profiles)
    if serving != configured:
        _state().pop("serving", None)  # decide again now rather than in SERVING_RECHECK_SECONDS
        update = model_update_progress()
        if update is None:
            log.info("re-embedding for model %s complete: rankings now use it", configured)
        else:
            log.info(
                "re-embedding for model %s: %d of %d documents done (rankings use %s meanwhile)",
                update.model,
                update.done,
                update.total,
                update.serving,
            )
    alert_open_needs()


# --------------------------------------------------------------------------- index cache


@dataclass(slots=True)
class PoolState:
    """The cached candidate index of this process and how complete it is."""

    stamp: tuple[Any, ...]
    index: CandidateIndex | None
    profiles_by_id: dict[str, int]
    embedded: int
    total: int
    # The newest consent record the index was built with: later ones are read at query time.
    consent_seen: int = 0


def _pool_stamp(model: str) -> tuple[Any, ...]:
    """A cheap version of everything the index is built from (one aggregate query)."""
    from app.privacy.models import ConsentRecord
    from app.profiles.models import Profile

    live = Profile.merged_into_id.is_(None)
    row = db.session.execute(
        select(
            select(func.count(Profile.id)).where(live).scalar_subquery(),
            select(func.max(Profile.updated_at)).scalar_subquery(),
            select(func.max(DocumentVector.id))
            .where(DocumentVector.kind == VectorKind.CANDIDATE, DocumentVector.model_name == model)
            .scalar_subquery(),
            select(func.max(ConsentRecord.id)).scalar_subquery(),
        )
    ).one()
    return (model, *row)


_POOL_LOCK = threading.Lock()


def _build_pool(matcher: Matcher, stamp: tuple[Any, ...]) -> PoolState:
    model = matcher.embedder.model_name
    profiles = db.session.scalars(candidate_profiles_query()).all()
    docs = candidate_documents(profiles)
    vectors = load_document_vectors(VectorKind.CANDIDATE, (d.content_hash() for d in docs), model)
    ready = [d for d in docs if d.content_hash() in vectors]
    # A profile whose phrase vectors are not all stored yet waits like one without vectors.
    phrases = list(dict.fromkeys(p for d in ready for p in d.phrases()))
    found = matcher.cache.get_many([vector_key(model, p) for p in phrases])
    have = {p for p in phrases if vector_key(model, p) in found}
    ready = [d for d in ready if all(p in have for p in d.phrases())]
    index = matcher.build_index(ready, vectors) if ready else None
    return PoolState(
        stamp=stamp,
        index=index,
        profiles_by_id={d.id: int(d.id) for d in ready},
        embedded=len(ready),
        total=len(docs),
        consent_seen=int(stamp[-1] or 0),
    )


def _rebuild_in_background(app: Flask, stamp: tuple[Any, ...]) -> None:
    """Rebuild the index in a thread while requests keep the previous one (stale-while-revalidate).

    At 100,000 profiles a rebuild takes tens of seconds: no request may wait for it.
    """
    state = app.extensions.setdefault(_EXT, {})
    if state.get("rebuilding"):
        return
    state["rebuilding"] = True

    def run() -> None:
        try:
            with app.app_context():
                state["pool"] = _build_pool(web_matcher(), stamp)
                db.session.remove()
        except Exception:  # a failed rebuild keeps the old index; the next request retries
            log.exception("candidate index rebuild failed")
        finally:
            state["rebuilding"] = False

    threading.Thread(target=run, name="candidate-index-rebuild", daemon=True).start()


def candidate_pool() -> tuple[Matcher, PoolState]:
    """The web matcher and this process's candidate index, rebuilt when the data changed.

    The first build in a process happens inline; later rebuilds run in the background when
    MATCHING_INDEX_REFRESH is "background" (the default), serving the previous index meanwhile.
    """
    matcher = web_matcher()
    stamp = _pool_stamp(matcher.embedder.model_name)
    state = _state()
    cached: PoolState | None = state.get("pool")
    if cached is not None and cached.stamp == stamp:
        return matcher, cached
    if cached is not None and current_app.config.get("MATCHING_INDEX_REFRESH") == "background":
        _rebuild_in_background(current_app._get_current_object(), stamp)  # type: ignore[attr-defined]
        return matcher, cached
    with _POOL_LOCK:
        pool = _build_pool(matcher, stamp)
        state["pool"] = pool
    return matcher, pool


def ensure_candidate_index() -> bool:
    """Whether this process holds a candidate index; if not, start building it in a thread.

    The index is built lazily by the first ranking request; the readiness probe calls this so a
    fresh worker starts loading before traffic reaches it, without the probe waiting for it.
    """
    state = _state()
    if state.get("pool") is not None:
        return True
    if not state.get("rebuilding"):
        stamp = _pool_stamp(web_matcher().embedder.model_name)
        _rebuild_in_background(current_app._get_current_object(), stamp)  # type: ignore[attr-defined]
    return False


def _consent_changes(since_id: int) -> dict[str, bool]:
    """{profile id: current matching decision} of the members who decided after consent record
    `since_id` (one indexed range query, then their latest decisions)."""
    from app.privacy.models import ConsentKind, ConsentRecord
    from app.profiles.models import Profile

    deciders = select(ConsentRecord.user_id).where(
        ConsentRecord.id > since_id, ConsentRecord.kind == ConsentKind.MATCHING
    )
    rows = db.session.execute(
        select(Profile.id, Profile.user_id).where(Profile.user_id.in_(deciders))
    ).all()
    decisions = matching_consents(user_id for _, user_id in rows)
    return {str(profile_id): decisions.get(user_id, False) for profile_id, user_id in rows}


def live_filters(pool: PoolState, exclude: frozenset[str] = frozenset()) -> Filters:
    """The hard filters with consent taken from the database, not from the index.

    The index may be older than the last consent decision (it is rebuilt in the background), so
    its consent column is replaced by its value corrected with every decision recorded since it
    was built: a withdrawal hides the professional on the very next request, a new grant shows
    them again (docs/security.md, "Consent withdrawal").
    """
    index = pool.index
    if index is None:
        return Filters(exclude_ids=exclude)
    changes = _consent_changes(pool.consent_seen)
    refused = {index.ids[r] for r in np.flatnonzero(~index.consent)}
    refused -= {cid for cid, granted in changes.items() if granted}
    refused |= {cid for cid, granted in changes.items() if not granted}
    return Filters(consent=False, exclude_ids=frozenset(exclude | refused))


def _encoded_need(matcher: Matcher, need: Any) -> EncodedNeed | None:
    """The need encoded from stored vectors, or None while they are pending."""
    doc = need_document(need)
    vecs = load_document_vectors(VectorKind.NEED, [doc.content_hash()], matcher.embedder.model_name)
    stored = vecs.get(doc.content_hash())
    if stored is None:
        return None
    try:
        return matcher.encode_need(doc, stored)
    except VectorsPending:
        return None


# --------------------------------------------------------------------------- need rankings


@dataclass(slots=True)
class CandidateFilters:
    """Filters of the ranked list, applied to index columns and documents (no encoding)."""

    country: str = ""
    language: str = ""
    mode: str = ""
    available_from: date | None = None
    available_to: date | None = None

    def active(self) -> bool:
        """True when any filter is set."""
        return bool(
            self.country or self.language or self.mode or self.available_from or self.available_to
        )

    def accepts(self, doc: CandidateDocument) -> bool:
        """True when the candidate passes every filter that is set."""
        if self.country and (doc.country or "").upper() != self.country.upper():
            return False
        if self.language and self.language.lower() not in {c.lower() for c in doc.languages}:
            return False
        if self.mode and doc.mode not in (self.mode, "both"):
            return False
        if (self.available_from or self.available_to) and doc.availability:
            lo = self.available_from or date.min
            hi = self.available_to or date.max
            if not any(s <= hi and (e is None or e >= lo) for s, e in doc.availability):
                return False
        return True


@dataclass(slots=True)
class CandidateRow:
    """One row of a ranked list: the profile, its rank and score, and why."""

    profile: Any
    ranked: RankedCandidate
    explanation: Explanation
    document: CandidateDocument

    @property
    def score_percent(self) -> int:
        """Score as a whole percentage for the score bar."""
        return round(self.ranked.score * 100)


@dataclass(slots=True)
class FilteredOut:
    """A candidate removed by a hard filter, with the failed checks (for staff)."""

    profile: Any
    checks: tuple[Any, ...]


@dataclass(slots=True)
class NeedRanking:
    """What the ranked-candidates page shows."""

    ready: bool
    embedded: int
    total: int
    rows: list[CandidateRow] = field(default_factory=list)
    results: int = 0
    page: int = 1
    per_page: int = 20
    composition_top: dict[Any, dict[str, float]] = field(default_factory=dict)
    composition_page: dict[Any, dict[str, float]] = field(default_factory=dict)
    balanced: bool = False
    countries: list[str] = field(default_factory=list)
    filtered_out: list[FilteredOut] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages of results."""
        return max(1, -(-self.results // self.per_page))


# The groups the fairness report and the balanced shortlist count; anything else is "not stated".
GENDER_GROUPS: tuple[str, ...] = ("female", "male")


def fairness_group(gender: str | None) -> str | None:
    """Fairness group of a stated gender; undisclosed (or another answer) is never balanced."""
    return gender if gender in GENDER_GROUPS else None


def gender_group(doc: CandidateDocument) -> str | None:
    """Fairness group of a candidate."""
    return fairness_group(doc.gender)


def rank_for_need(
    need: Any,
    filters: CandidateFilters | None = None,
    *,
    page: int = 1,
    per_page: int = 20,
    balanced: bool = False,
    include_filtered: bool = False,
    filtered_limit: int = 50,
) -> NeedRanking:
    """Ranked, explained candidates of a need from stored vectors (never encodes)."""
    from app.profiles.models import Profile

    filters = filters or CandidateFilters()
    matcher, pool = candidate_pool()
    result = NeedRanking(
        ready=False,
        embedded=pool.embedded,
        total=pool.total,
        page=page,
        per_page=per_page,
        balanced=balanced,
    )
    enc = _encoded_need(matcher, need)
    if enc is None:
        return result
    result.ready = True
    index = pool.index
    if index is None:
        return result
    result.countries = sorted({d.country for d in index.documents if d.country})
    excluded = frozenset(d.id for d in index.documents if not filters.accepts(d))
    page = max(1, page)
    end = page * per_page
    ranked = matcher.rank_candidates(
        enc,
        index,
        top_k=None,
        filters=live_filters(pool, excluded),
        explain_top_k=0 if balanced else end,
    )
    docs = index.documents
    row_of = index.row_of

    def group(item: RankedCandidate) -> str | None:
        return gender_group(docs[row_of[item.candidate_id]])

    s = matcher.settings
    if balanced:
        floor = float(
            current_app.config.get("MATCHING_BALANCE_SCORE_FLOOR") or s.fairness_score_floor
        )
        ranked = balance_shortlist(ranked, group, top_n=s.fairness_top_n, score_floor=floor)
    result.results = len(ranked)
    top = ranked[: s.fairness_top_n]
    page_items = ranked[end - per_page : end]
    result.composition_top = composition(top, ranked, group)
    result.composition_page = composition(page_items, ranked, group)
    profiles = {
        p.id: p
        for p in db.session.scalars(
            candidate_profiles_query().where(
                Profile.id.in_([int(r.candidate_id) for r in page_items])
            )
        )
    }
    for item in page_items:
        doc = docs[row_of[item.candidate_id]]
        expl = item.explanation or matcher.explain(enc, doc, index)
        profile = profiles.get(int(item.candidate_id))
        if profile is not None:
            result.rows.append(CandidateRow(profile, item, expl, doc))
    if include_filtered:
        passing = matcher.filter_mask(enc.need, index, live_filters(pool))
        failed = [docs[r] for r in np.flatnonzero(~passing)[:filtered_limit]]
        failed_profiles = {
            p.id: p
            for p in db.session.scalars(
                candidate_profiles_query().where(Profile.id.in_([int(d.id) for d in failed]))
            )
        }
        for d in failed:
            checks = tuple(c for c in matcher.explain_filtered(enc.need, d) if not c.passed)
            if int(d.id) in failed_profiles:
                result.filtered_out.append(FilteredOut(failed_profiles[int(d.id)], checks))
    return result


def count_ranked_candidates(need_ids: Iterable[int]) -> dict[int, int | None]:
    """{need id: candidates passing the need's hard filters}; None while it is not embedded."""
    from app.needs.models import Need

    ids = list(need_ids)
    out: dict[int, int | None] = dict.fromkeys(ids)
    if not ids:
        return out
    needs = db.session.scalars(select(Need).where(Need.id.in_(ids))).all()
    model = serving_model_name()
    stored = set(
        db.session.scalars(
            select(DocumentVector.content_hash).where(
                DocumentVector.kind == VectorKind.NEED,
                DocumentVector.model_name == model,
                DocumentVector.content_hash.in_([n.content_hash for n in needs]),
            )
        )
    )
    embedded = [n for n in needs if n.content_hash in stored]
    if not embedded:
        return out
    matcher, pool = candidate_pool()
    filters = live_filters(pool)
    for need in embedded:
        if pool.index is None:
            out[need.id] = 0
        else:
            out[need.id] = int(matcher.filter_mask(need_document(need), pool.index, filters).sum())
    return out


def passes_hard_filters(profile: Any, needs: Iterable[Any]) -> bool:
    """True when the profile passes the hard filters of at least one of the needs, its consent
    read from the database now: it is then in that need's ranked list (once embedded)."""
    if profile.merged_into_id is not None:
        return False
    # The filters are plain rules on the two documents: nothing is encoded or loaded.
    matcher = build_matcher(current_app.config)
    doc = candidate_document(profile)
    if not doc.has_matching_consent:
        return False
    return any(
        all(check.passed for check in matcher.explain_filtered(need_document(need), doc))
        for need in needs
    )


# --------------------------------------------------------------------------- needs for a profile


@dataclass(slots=True)
class RecommendedNeed:
    """An open need ranked for a professional."""

    need: Any
    score: float
    explanation: Explanation | None

    @property
    def score_percent(self) -> int:
        """Score as a whole percentage."""
        return round(self.score * 100)


def _open_needs_encoded(matcher: Matcher) -> tuple[dict[str, Any], list[EncodedNeed]]:
    """Open needs with stored vectors, encoded (cached per process until needs change)."""
    from app.needs.models import Need

    model = matcher.embedder.model_name
    stamp = db.session.execute(
        select(
            select(func.count(Need.id)).where(Need.status == "open").scalar_subquery(),
            select(func.max(Need.updated_at)).scalar_subquery(),
            select(func.max(DocumentVector.id))
            .where(DocumentVector.kind == VectorKind.NEED, DocumentVector.model_name == model)
            .scalar_subquery(),
        )
    ).one()
    key = (model, *stamp)
    state = _state()
    cached = state.get("open_needs")
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    needs = db.session.scalars(select(Need).where(Need.status == "open").order_by(Need.id)).all()
    by_id: dict[str, Any] = {}
    encoded: list[EncodedNeed] = []
    for need in needs:
        enc = _encoded_need(matcher, need)
        if enc is not None:
            by_id[str(need.id)] = need
            encoded.append(enc)
    state["open_needs"] = (key, by_id, encoded)
    return by_id, encoded


def recommended_needs_for(profile: Any, limit: int = 5) -> list[RecommendedNeed]:
    """Open needs ranked for the profile from stored vectors; [] while they are pending."""
    matcher = web_matcher()
    doc = candidate_documents([profile])[0]
    vecs = load_document_vectors(
        VectorKind.CANDIDATE, [doc.content_hash()], matcher.embedder.model_name
    )
    mine = vecs.get(doc.content_hash())
    if mine is None:
        return []
    by_id, encoded = _open_needs_encoded(matcher)
    if not encoded:
        return []
    try:
        # Consent governs being shown to institutions, not seeing needs oneself.
        ranked = matcher.rank_needs(
            doc, encoded, top_k=limit, filters=Filters(consent=False), candidate_vectors=mine
        )
    except VectorsPending:
        return []
    return [RecommendedNeed(by_id[r.need_id], r.score, r.explanation) for r in ranked]


# --------------------------------------------------------------------------- alerts


def alert_open_needs(top_k: int | None = None) -> int:
    """Rank each newly opened, embedded need once and send its opportunity alerts."""
    from app.needs.models import Need

    try:
        from app.outreach.alerts import send_opportunity_alerts
    except ImportError:  # outreach not built: nothing to send
        return 0
    top_k = top_k or int(current_app.config.get("MATCHING_ALERT_TOP_K", 50))
    done = exists().where(NeedAlertRun.need_id == Need.id)
    needs = db.session.scalars(
        select(Need).where(and_(Need.status == "open", ~done)).order_by(Need.id)
    ).all()
    if not needs:
        return 0
    matcher, pool = candidate_pool()
    sent = 0
    for need in needs:
        enc = _encoded_need(matcher, need)
        if enc is None:
            continue  # not embedded yet: next run
        ranked = (
            matcher.rank_candidates(
                enc, pool.index, top_k=top_k, filters=live_filters(pool), explain_top_k=0
            )
            if pool.index is not None
            else []
        )
        ids = [int(r.candidate_id) for r in ranked]
        count = send_opportunity_alerts(
            need, ids, scores={int(r.candidate_id): r.score for r in ranked}
        )
        db.session.add(NeedAlertRun(need_id=need.id, content_hash=need.content_hash, alerted=count))
        db.session.flush()
        sent += count
    return sent


# --------------------------------------------------------------------------- placements


def shortlist_candidate(need: Any, profile: Any, by: Any, *, invite: bool = False) -> Any:
    """Shortlist (or invite) a ranked candidate through the placements feature."""
    # Imported here: placements build on needs and ranking pages, not the other way round.
    from app.placements import services as placement_services

    if invite:
        return placement_services.invite_professional(need, profile, by=by)
    return placement_services.shortlist_professional(need, profile, by=by)
