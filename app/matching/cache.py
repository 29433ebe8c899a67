"""Vector caches keyed by a hash of (model, text), so each unique text is embedded once."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from app.matching.embedders import Embedder


def vector_key(model_name: str, text: str) -> str:
    """Cache key of one embedded text: sha256 over model name and the exact text."""
    return hashlib.sha256(f"{model_name}\x00{text}".encode()).hexdigest()


@runtime_checkable
class VectorCache(Protocol):
    """Stores float32 vectors by key; the app provides a DB-backed implementation."""

    def get_many(self, keys: Sequence[str]) -> Mapping[str, np.ndarray]:
        """Return the vectors found for the given keys (missing keys are absent)."""
        ...

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store vectors by key (overwriting)."""
        ...


class InMemoryVectorCache:
    """Thread-safe dict-backed VectorCache."""

    def __init__(self) -> None:
        self._data: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among keys."""
        with self._lock:
            return {k: self._data[k] for k in keys if k in self._data}

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        """Store copies of the given vectors."""
        with self._lock:
            for k, v in items.items():
                self._data[k] = np.asarray(v, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._data)


def encode_cached(
    embedder: Embedder, cache: VectorCache | None, texts: Iterable[str]
) -> dict[str, np.ndarray]:
    """Vectors for each unique text, encoding only those the cache lacks (then storing them)."""
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    name = embedder.model_name
    keys = [vector_key(name, t) for t in unique]
    found = cache.get_many(keys) if cache is not None else {}
    out: dict[str, np.ndarray] = {}
    missing: list[tuple[str, str]] = []
    for text, key in zip(unique, keys, strict=True):
        vec = found.get(key)
        if vec is None:
            missing.append((text, key))
        else:
            out[text] = np.asarray(vec, dtype=np.float32)
    if missing:
        mat = embedder.encode([t for t, _ in missing])
        new = {key: mat[i] for i, (_, key) in enumerate(missing)}
        if cache is not None:
            cache.put_many(new)
        for i, (text, _) in enumerate(missing):
            out[text] = mat[i]
    return out
