"""Matcher settings and their loader from config/matching.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

FUSION_METHODS = ("weighted", "zscore", "rrf")
LEXICAL_KINDS = ("tfidf", "bm25")

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[2] / "config" / "matching.toml"


def _levels() -> dict[str, float]:
    return {"beginner": 0.8, "intermediate": 0.9, "advanced": 1.0, "expert": 1.0, "unknown": 0.9}


@dataclass(frozen=True, slots=True)
class MatcherSettings:
    """All tunables of the matcher; defaults mirror config/matching.toml."""

    # [weights] share of each part in the hybrid score (normalised to sum to 1).
    weight_dense: float = 0.60
    weight_skills: float = 0.25
    weight_lexical: float = 0.15
    # [fusion]
    fusion: str = "weighted"
    rrf_k: float = 60.0
    # [dense]
    compose_title: float = 1.0
    compose_skills: float = 1.5
    compose_text: float = 0.5
    dense_whole_weight: float = 0.75
    dense_title_weight: float = 0.25
    dense_floor: float = 0.10
    dense_full: float = 0.80
    # [skills]
    must_weight: float = 1.0
    nice_weight: float = 0.5
    skill_floor: float = 0.35
    skill_full: float = 0.85
    cover_threshold: float = 0.60
    skill_text_mix: float = 0.33
    fallback_penalty: float = 0.9
    # [levels]
    level_weights: Mapping[str, float] = field(default_factory=_levels)
    years_full: float = 5.0
    years_min_factor: float = 0.9
    # [lexical]
    lexical_kind: str = "tfidf"
    lexical_ngram_max: int = 2
    lexical_full: float = 0.5
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # [filters]
    unconfirmed_factor: float = 0.95
    # [fairness]
    fairness_top_n: int = 10
    fairness_score_floor: float = 0.5
    # [explain]
    explain_top_k: int = 50

    def __post_init__(self) -> None:
        if self.fusion not in FUSION_METHODS:
            raise ValueError(f"fusion must be one of {FUSION_METHODS}, got {self.fusion!r}")
        if self.lexical_kind not in LEXICAL_KINDS:
            raise ValueError(f"lexical.kind must be one of {LEXICAL_KINDS}")
        if min(self.weight_dense, self.weight_skills, self.weight_lexical) < 0:
            raise ValueError("weights must be non-negative")
        if self.weight_dense + self.weight_skills + self.weight_lexical <= 0:
            raise ValueError("at least one weight must be positive")
        if not 0 <= self.skill_floor < self.skill_full <= 1:
            raise ValueError("need 0 <= skills.floor < skills.full <= 1")
        if not 0 <= self.skill_text_mix <= 1:
            raise ValueError("skills.text_mix must be in [0, 1]")
        if not self.dense_floor < self.dense_full:
            raise ValueError("need dense.floor < dense.full")

    def level_weight(self, level: str | None) -> float:
        """Weight of a skill level; unknown/absent levels use the "unknown" entry."""
        lw = self.level_weights
        return float(lw.get(level or "unknown", lw.get("unknown", 1.0)))

    def with_overrides(self, **kwargs: Any) -> MatcherSettings:
        """Copy with some fields replaced."""
        return replace(self, **kwargs)


# TOML table.key -> dataclass field
_TOML_MAP: dict[tuple[str, str], str] = {
    ("weights", "dense"): "weight_dense",
    ("weights", "skills"): "weight_skills",
    ("weights", "lexical"): "weight_lexical",
    ("fusion", "method"): "fusion",
    ("fusion", "rrf_k"): "rrf_k",
    ("dense", "compose_title"): "compose_title",
    ("dense", "compose_skills"): "compose_skills",
    ("dense", "compose_text"): "compose_text",
    ("dense", "whole_weight"): "dense_whole_weight",
    ("dense", "title_weight"): "dense_title_weight",
    ("dense", "floor"): "dense_floor",
    ("dense", "full"): "dense_full",
    ("skills", "must_weight"): "must_weight",
    ("skills", "nice_weight"): "nice_weight",
    ("skills", "floor"): "skill_floor",
    ("skills", "full"): "skill_full",
    ("skills", "cover_threshold"): "cover_threshold",
    ("skills", "text_mix"): "skill_text_mix",
    ("skills", "fallback_penalty"): "fallback_penalty",
    ("levels", "years_full"): "years_full",
    ("levels", "years_min_factor"): "years_min_factor",
    ("lexical", "kind"): "lexical_kind",
    ("lexical", "ngram_max"): "lexical_ngram_max",
    ("lexical", "full"): "lexical_full",
    ("lexical", "bm25_k1"): "bm25_k1",
    ("lexical", "bm25_b"): "bm25_b",
    ("filters", "unconfirmed_factor"): "unconfirmed_factor",
    ("fairness", "top_n"): "fairness_top_n",
    ("fairness", "score_floor"): "fairness_score_floor",
    ("explain", "top_k"): "explain_top_k",
}
_LEVEL_KEYS = ("beginner", "intermediate", "advanced", "expert", "unknown")


def settings_from_mapping(data: Mapping[str, Any]) -> MatcherSettings:
    """Build settings from a parsed TOML mapping; unknown keys raise ValueError."""
    kwargs: dict[str, Any] = {}
    known_fields = {f.name: f for f in fields(MatcherSettings)}
    for table, values in data.items():
        if not isinstance(values, Mapping):
            raise ValueError(f"top-level key {table!r} must be a table")
        for key, value in values.items():
            if table == "levels" and key in _LEVEL_KEYS:
                kwargs.setdefault("level_weights", dict(_levels()))[key] = float(value)
                continue
            name = _TOML_MAP.get((table, key))
            if name is None:
                raise ValueError(f"unknown matching setting [{table}] {key}")
            default = known_fields[name].default
            kwargs[name] = type(default)(value) if isinstance(default, int | float) else value
    return MatcherSettings(**kwargs)


def load_matcher_settings(path: str | Path | None = None) -> MatcherSettings:
    """Read matcher settings from a TOML file (default: the repo's config/matching.toml)."""
    p = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    with p.open("rb") as fh:
        return settings_from_mapping(tomllib.load(fh))
