"""Choosing how the sentence model runs: ONNX Runtime or torch, float32 or bfloat16."""

from __future__ import annotations

import importlib.util
import os

from app.matching.embedders import Embedder, SentenceTransformerEmbedder, resolve_dtype
from app.matching.onnx_embedder import OnnxEmbedder

BACKENDS = ("auto", "onnx", "torch")


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
) -> Embedder:
    """The sentence-model embedder for these settings; nothing is loaded until it first encodes."""
    resolved_dtype = resolve_dtype(dtype)
    if resolve_backend(backend, resolved_dtype) == "onnx":
        return OnnxEmbedder(
            model_path,
            export_dir=export_dir,
            fallback=SentenceTransformerEmbedder(model_path, dtype="float32"),
        )
    return SentenceTransformerEmbedder(model_path, dtype=resolved_dtype)
