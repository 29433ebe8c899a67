"""`flask matching evaluate --variants` reproduces the design figures quoted in docs/matching.md."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from app.matching.evaluation import REFERENCES, VARIANTS

METRICS = {"ndcg@10", "mrr", "recall@10", "recall@50", "map"}


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _tiny_folder(root: Path) -> Path:
    def cand(id_: str, headline: str, skills: list[str]) -> dict[str, Any]:
        return {
            "id": id_,
            "headline": headline,
            "summary": "",
            "skills": [{"name": s, "level": "advanced", "years": 4} for s in skills],
            "languages": ["en"],
            "mode": "both",
        }

    _write(
        root / "candidates.jsonl",
        [
            cand("c1", "laboratory quality manager", ["ISO 15189 accreditation", "audits"]),
            cand("c2", "accountant", ["bookkeeping", "tax returns"]),
            cand("c3", "HL7 interface engineer", ["HL7 messaging", "integration"]),
        ],
    )
    _write(
        root / "needs.jsonl",
        [
            {
                "id": "n1",
                "title": "ISO 15189 accreditation lead",
                "description": "",
                "required_skills": [{"name": "ISO 15189 accreditation", "importance": "must"}],
            },
            {
                "id": "n2",
                "title": "HL7 integration engineer",
                "description": "",
                "required_skills": [{"name": "HL7 messaging", "importance": "must"}],
            },
        ],
    )
    _write(
        root / "judgments.jsonl",
        [
            {"need": "n1", "candidate": "c1", "relevance": 2},
            {"need": "n2", "candidate": "c3", "relevance": 2},
        ],
    )
    return root


def test_evaluate_variants_prints_every_variant_and_reference(app: Flask, tmp_path: Path) -> None:
    folder = _tiny_folder(tmp_path)
    result = app.test_cli_runner().invoke(
        args=[
            "matching",
            "evaluate",
            "--data",
            str(folder),
            "--embedder",
            "hashing",
            "--variants",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {"lexical", "dense", "skills", "hybrid", *VARIANTS, *REFERENCES}
    assert set(metrics) == expected
    for values in metrics.values():
        assert set(values) == METRICS
    # Exact shared terms: the TF-IDF reference puts the right candidate first for both needs.
    assert metrics["ref:tfidf"]["mrr"] == 1.0


def test_evaluate_without_variants_keeps_the_four_methods(app: Flask, tmp_path: Path) -> None:
    folder = _tiny_folder(tmp_path)
    result = app.test_cli_runner().invoke(
        args=["matching", "evaluate", "--data", str(folder), "--embedder", "hashing", "--json"]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(metrics) == {"lexical", "dense", "skills", "hybrid"}


def test_a_missing_model_is_a_one_line_error(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    app = app_factory(MATCHING_MODEL_PATH=str(tmp_path / "no-such-model"))
    folder = _tiny_folder(tmp_path)
    result = app.test_cli_runner().invoke(args=["matching", "evaluate", "--data", str(folder)])
    assert result.exit_code == 1
    assert "the sentence model cannot be loaded: model directory not found" in result.output
    assert "Traceback" not in result.output


def test_model_dtype_setting_reaches_the_embedder(app_factory: Callable[..., Flask]) -> None:
    from app.ranking.services import get_embedder

    app = app_factory(
        MATCHING_EMBEDDER="sentence-transformers",
        MATCHING_MODEL="all-MiniLM-L6-v2",
        MATCHING_MODEL_DTYPE="bfloat16",
    )
    with app.app_context():
        # Creating the embedder loads nothing; its name keys the stored vectors.
        assert get_embedder().model_name == "all-MiniLM-L6-v2+bf16"
    explicit = app_factory(
        MATCHING_EMBEDDER="sentence-transformers",
        MATCHING_MODEL="all-MiniLM-L6-v2",
        MATCHING_MODEL_DTYPE="float32",
    )
    with explicit.app_context():
        assert get_embedder().model_name == "all-MiniLM-L6-v2"


def test_backend_setting_reaches_the_embedder(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    from app.matching import SentenceTransformerEmbedder
    from app.matching.onnx_embedder import OnnxEmbedder
    from app.ranking.services import get_embedder

    onnx = app_factory(
        MATCHING_EMBEDDER="sentence-transformers",
        MATCHING_MODEL="all-MiniLM-L6-v2",
        MATCHING_MODEL_DTYPE="float32",
        MATCHING_ONNX_DIR=tmp_path / "exports",
    )
    with onnx.app_context():
        embedder = get_embedder()
        # float32 runs on ONNX Runtime by default, exported into the configured folder.
        assert isinstance(embedder, OnnxEmbedder)
        assert embedder.export_path.parent == tmp_path / "exports"
        assert embedder.model_name == "all-MiniLM-L6-v2"
    torch = app_factory(
        MATCHING_EMBEDDER="sentence-transformers",
        MATCHING_MODEL="all-MiniLM-L6-v2",
        MATCHING_MODEL_DTYPE="float32",
        MATCHING_BACKEND="torch",
    )
    with torch.app_context():
        assert isinstance(get_embedder(), SentenceTransformerEmbedder)


def test_model_setting_chooses_the_packaged_multilingual_model(
    app_factory: Callable[..., Flask],
) -> None:
    from app.matching.packaged import PackagedEmbedder
    from app.ranking.services import get_embedder

    default = app_factory(MATCHING_EMBEDDER="sentence-transformers")
    with default.app_context():
        embedder = get_embedder()
        assert isinstance(embedder, PackagedEmbedder)
        assert embedder.model_name == "use-multilingual-v3"
    e5 = app_factory(
        MATCHING_EMBEDDER="sentence-transformers", MATCHING_MODEL="multilingual-e5-small-q4"
    )
    with e5.app_context():
        assert get_embedder().model_name == "multilingual-e5-small-q4"


def test_evaluate_refuses_an_unknown_model(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    folder = _tiny_folder(tmp_path)
    result = (
        app_factory()
        .test_cli_runner()
        .invoke(args=["matching", "evaluate", "--data", str(folder), "--model", "no-such-model"])
    )
    assert result.exit_code == 2
    assert "no-such-model" in result.output


def test_evaluate_reads_the_apps_matching_config(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    folder = _tiny_folder(tmp_path)
    broken = tmp_path / "broken.toml"
    broken.write_text("[weights]\nno_such_part = 1.0\n")
    app = app_factory(MATCHING_CONFIG_PATH=str(broken))
    result = app.test_cli_runner().invoke(
        args=["matching", "evaluate", "--data", str(folder), "--embedder", "hashing", "--json"]
    )
    # The command builds the web app's matcher from MATCHING_CONFIG_PATH, not its own defaults.
    assert result.exit_code != 0
    assert "no_such_part" in str(result.exception) + result.output
