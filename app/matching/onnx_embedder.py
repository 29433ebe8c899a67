"""The same sentence model run by ONNX Runtime in float32: same vectors, faster bulk encoding.

The sentence-transformers model (weights from the installed package or a local path) is exported
once to ONNX by torch's exporter, into a directory keyed by the model's files, with its
tokenizer and pooling settings beside it. Later processes load only that directory: ONNX Runtime
and the `tokenizers` library, no torch (a web process that must embed a typed query starts in
well under a second instead of ~9 s).

The vectors are the float32 model's to within float rounding (cosine > 0.99999, tested), so they
share its model name and stored vectors stay valid when the backend changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.matching.embedders import (
    BATCH_TOKENS,
    Embedder,
    ModelUnavailable,
    _load_sentence_model,
    default_model_path,
    l2_normalize,
    length_sorted_batches,
    model_name_for,
)

log = logging.getLogger(__name__)

# Bump when the export's layout or graph changes: the key changes and a fresh export is made.
EXPORT_FORMAT = 1
_POOLINGS = ("mean", "cls")


class UnsupportedForOnnx(ModelUnavailable):
    """The model's pipeline has a part this exporter does not reproduce (e.g. a Dense layer)."""


def default_export_dir() -> Path:
    """Per-user cache directory for exported models (the web app passes its instance folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "umuhuza" / "onnx"


def export_key(model_path: str) -> str:
    """Short hash of the model directory's files (names, sizes, mtimes) and the export format."""
    digest = hashlib.sha256(f"{EXPORT_FORMAT}\0{os.path.realpath(model_path)}".encode())
    for root, dirs, files in os.walk(model_path):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            stat = os.stat(path)
            rel = os.path.relpath(path, model_path)
            digest.update(f"\0{rel}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _pipeline_settings(model: Any) -> dict[str, Any]:
    """Pooling mode, normalisation and sequence length of a loaded SentenceTransformer."""
    modules = list(model)
    names = tuple(type(m).__name__ for m in modules)
    if names[:2] != ("Transformer", "Pooling") or any(n != "Normalize" for n in names[2:]):
        raise UnsupportedForOnnx(f"only Transformer + Pooling (+ Normalize) is exported: {names}")
    pooling = modules[1]
    mode = getattr(pooling, "pooling_mode", None) or (
        "mean" if getattr(pooling, "pooling_mode_mean_tokens", False) else None
    )
    if mode == "cls" or getattr(pooling, "pooling_mode_cls_token", False):
        mode = "cls"
    if mode not in _POOLINGS:
        raise UnsupportedForOnnx(f"pooling mode {mode!r} is not exported (mean or cls only)")
    return {
        "pooling": mode,
        "max_seq_length": int(model.max_seq_length or 512),
    }


def export_model(model_path: str, target: Path) -> Path:
    """Export the model at model_path to ONNX in target (atomically); returns target.

    Needs torch, onnx and sentence-transformers; run once per model version (the worker or
    `flask matching export-onnx` does it before any web request needs it).
    """
    import inspect

    import torch

    model = _load_sentence_model(model_path, "cpu", "float32")
    settings = _pipeline_settings(model)
    transformer = model[0]
    auto_model = transformer.auto_model
    # The eager attention exports as plain MatMul/Softmax, which every runtime optimises; the
    # default (SDPA) path exports mask arithmetic traced for one shape.
    previous = getattr(auto_model.config, "_attn_implementation", None)
    setter = getattr(auto_model, "set_attn_implementation", None)
    if setter is not None:
        setter("eager")
    else:
        auto_model.config._attn_implementation = "eager"
    tokenizer = model.tokenizer
    accepted = inspect.signature(auto_model.forward).parameters
    inputs = [
        name
        for name in ("input_ids", "attention_mask", "token_type_ids")
        if name in accepted and name in tokenizer.model_input_names
    ]

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *tensors: Any) -> Any:
            return self.inner(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    sample = tokenizer(["an example sentence"], return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in [*inputs, "last_hidden_state"]}
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        # The tracer warns that shapes seen in the sample become constants; the axes declared
        # dynamic stay dynamic, which the tests check on padded batches of several lengths.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(auto_model).eval(),
                tuple(sample[name] for name in inputs),
                str(staging / "model.onnx"),
                input_names=inputs,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        tokenizer.save_pretrained(str(staging))
        if not (staging / "tokenizer.json").is_file():
            raise UnsupportedForOnnx("the model has no fast tokenizer (tokenizer.json)")
        meta = {
            **settings,
            "inputs": inputs,
            "pad_id": int(tokenizer.pad_token_id or 0),
            "dimension": int(auto_model.config.hidden_size),
            "source": os.path.realpath(model_path),
            "format": EXPORT_FORMAT,
        }
        (staging / "umuhuza.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        try:
            os.replace(staging, target)
        except OSError:
            # Another process finished the same export first: theirs is as good as ours.
            if not (target / "umuhuza.json").is_file():
                raise
    finally:
        if setter is not None and previous:
            setter(previous)
        elif previous:
            auto_model.config._attn_implementation = previous
        shutil.rmtree(staging, ignore_errors=True)
    return target


class OnnxEmbedder:
    """Embedder running an exported sentence model with ONNX Runtime (float32), lazily loaded.

    Texts are tokenised once, sorted by token count and encoded in batches of at most
    batch_tokens padded tokens (measured in docs/matching.md).
    """

    def __init__(
        self,
        model_path: str | None = None,
        *,
        export_dir: str | os.PathLike[str] | None = None,
        batch_tokens: int = BATCH_TOKENS,
        threads: int | None = None,
        model_name: str | None = None,
        progress: Callable[[int], None] | None = None,
        fallback: Embedder | None = None,
    ) -> None:
        self._model_path = model_path
        # Used instead when the model cannot be exported (a pipeline part this module does not
        # reproduce); it must give the same vectors (the float32 torch model).
        self._fallback = fallback
        self._delegate: Embedder | None = None
        self._export_dir = Path(export_dir) if export_dir else default_export_dir()
        self._batch_tokens = batch_tokens
        self._threads = threads
        self._model_name = model_name
        self._progress = progress
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._meta: dict[str, Any] = {}
        self.tokens_real = 0
        self.tokens_padded = 0

    @property
    def model_path(self) -> str:
        """Resolved local directory of the source sentence-transformers model."""
        return self._model_path or default_model_path()

    @property
    def model_name(self) -> str:
        """The float32 model's name: the vectors are the same, so stored ones stay valid."""
        return model_name_for(self._model_path, self._model_name)

    @property
    def export_path(self) -> Path:
        """Directory of this model's export (model.onnx, tokenizer.json, umuhuza.json)."""
        path = self.model_path
        return self._export_dir / f"{os.path.basename(os.path.normpath(path))}-{export_key(path)}"

    def _load(self) -> None:
        if self._session is not None or self._delegate is not None:
            return
        with self._lock:
            if self._session is not None or self._delegate is not None:
                return
            try:
                self._open()
            except UnsupportedForOnnx as exc:
                if self._fallback is None:
                    raise
                log.warning("ONNX export not possible (%s); encoding with torch instead", exc)
                self._delegate = self._fallback

    def _open(self) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelUnavailable("onnxruntime or tokenizers is not installed") from exc
        target = self.export_path
        if not (target / "umuhuza.json").is_file():
            log.info("exporting %s to ONNX in %s (once per model version)", self.model_path, target)
            export_model(self.model_path, target)
        meta = json.loads((target / "umuhuza.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(target / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=int(meta["max_seq_length"]))
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1
        if self._threads:
            options.intra_op_num_threads = self._threads
        session = ort.InferenceSession(
            str(target / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._meta, self._tokenizer = meta, tokenizer
        self._session = session

    @property
    def dimension(self) -> int:
        """Vector length (loads the export)."""
        self._load()
        if self._delegate is not None:
            return self._delegate.dimension
        return int(self._meta["dimension"])

    @property
    def raw_model(self) -> Any:
        """The source model in torch (for the benchmark's naive baselines; imports torch)."""
        return _load_sentence_model(self.model_path, "cpu", "float32")

    reference_model = raw_model

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in ids)
        input_ids = np.full((len(ids), width), self._meta["pad_id"], dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._meta["inputs"]:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self._session.run(None, {k: feed[k] for k in self._meta["inputs"]})[0]
        if self._meta["pooling"] == "cls":
            return np.asarray(hidden[:, 0], dtype=np.float32)
        weights = mask[..., None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        return (summed / np.clip(weights.sum(axis=1), 1e-9, None)).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit float32 rows in input order; texts are tokenised once and batched by length."""
        self._load()
        if self._delegate is not None:
            return self._delegate.encode(texts)
        texts = list(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)]
        for idx in length_sorted_batches([len(x) for x in ids], self._batch_tokens):
            batch = [ids[i] for i in idx]
            self.tokens_real += sum(len(x) for x in batch)
            self.tokens_padded += max(len(x) for x in batch) * len(batch)
            out[idx] = self._run(batch)
            if self._progress is not None:
                self._progress(len(idx))
        # Unit rows whatever the model's own pipeline ends with: the Embedder contract.
        return l2_normalize(out)

    def set_threads(self, threads: int | None) -> None:
        """Intra-op threads for the session (None: ONNX Runtime's default, one per core).

        Takes effect when the session is created, i.e. before the first encode.
        """
        self._threads = threads

    def set_progress(self, progress: Callable[[int], None] | None) -> None:
        """Install a callback receiving the number of texts encoded per batch."""
        self._progress = progress
        setter = getattr(self._fallback, "set_progress", None)
        if setter is not None:
            setter(progress)
