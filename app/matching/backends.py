"""Choosing how the sentence model runs: ONNX Runtime or torch, float32 or bfloat16."""

from __future__ import annotations

import importlib.util
import os

from app.matching.embedders import (
    DEFAULT_MODEL_NAME,
    Embedder,
    SentenceTransformerEmbedder,
    resolve_dtype,
)
from app.matching.onnx_embedder import OnnxEmbedder
from app.matching.packaged import PACKAGED_MODELS, USE_MULTILINGUAL, PackagedEmbedder

BACKENDS = ("auto", "onnx", "torch")
# The app's model (APP_MATCHING_MODEL): multilingual, so French and English share one ranking.
DEFAULT_MATCHING_MODEL = USE_MULTILINGUAL.name
# Every name APP_MATCHING_MODEL accepts: the packaged models and the sentence-transformers one.
MODEL_NAMES = (*PACKAGED_MODELS, DEFAULT_MODEL_NAME)


def resolve_backend(backend: str, dtype: str) -> str:
    """ "onnx" or "torch" for a backend setting and a resolved dtype.

    "auto" is ONNX Runtime for float32 where it is installed (same vectors as torch, faster:
    docs/matching.md), torch otherwise and for bfloat16, which the export does not carry.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if backend == "auto":
        has_runtime = importlib.util.find_spec("onnxruntime") is not None
        return "onnx" if dtype == "float32" and has_runtime else "torch"
    if backend == "onnx" and dtype != "float32":
        raise ValueError("the ONNX backend runs the model in float32 only")
    return backend


def create_embedder(
    model_path: str | None = None,
    *,
    backend: str = "auto",
    dtype: str = "auto",
    export_dir: str | os.PathLike[str] | None = None,
    model: str | None = None,
) -> Embedder:
    """The embedder for these settings; nothing is loaded until it first encodes.

    model names a packaged model (PACKAGED_MODELS: no torch, backend and dtype do not apply)
    or the sentence-transformers MiniLM; None, or a model_path, is the sentence-transformers
    path (a local model directory, else the bundled MiniLM).
    """
    if model is not None and model_path is None:
        if model in PACKAGED_MODELS:
            return PackagedEmbedder(PACKAGED_MODELS[model])
        if model != DEFAULT_MODEL_NAME:
            raise ValueError(f"unknown matching model {model!r}; known: {', '.join(MODEL_NAMES)}")
    resolved_dtype = resolve_dtype(dtype)
    if resolve_backend(backend, resolved_dtype) == "onnx":
        return OnnxEmbedder(
            model_path,
            export_dir=export_dir,
            fallback=SentenceTransformerEmbedder(model_path, dtype="float32"),
        )
    return SentenceTransformerEmbedder(model_path, dtype=resolved_dtype)
