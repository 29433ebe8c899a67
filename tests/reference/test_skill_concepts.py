"""The skills vocabulary as bilingual concepts: one skill whatever the language it is typed in,
named in the viewer's language in suggestions, explanations and segments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from app.matching import Explanation, SkillMatch
from app.ranking.wording import matched_pairs
from app.reference.skills import (
    canonical_for,
    concept_id_for,
    concept_terms,
    get_vocabulary,
    label_for,
    suggest,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("gestion de projet", "project management"),
        ("Gestion de projets", "project management"),
        ("comptabilité", "financial accounting"),
        ("comptabilite", "financial accounting"),  # typed without accents
        ("génie civil", "civil engineering"),
        ("soins infirmiers pédiatriques", "paediatric nursing"),
        ("suivi et évaluation", "monitoring and evaluation"),
        # Kinyarwanda words members type for a sector or a skill.
        ("ubuhinzi", "agriculture"),
        ("ubuvuzi", "health care"),
        ("uburezi", "education"),
        ("icungamutungo", "financial accounting"),
        ("ibaruramari", "financial accounting"),
        ("ikoranabuhanga", "information and communication technology"),
        ("ubwubatsi", "civil engineering"),
        ("ubucuruzi", "business and trade"),
        ("amategeko", "law"),
    ],
)
def test_a_skill_typed_in_french_or_kinyarwanda_is_the_same_concept(
    typed: str, canonical: str
) -> None:
    assert canonical_for(typed) == canonical
    assert concept_id_for(typed) == concept_id_for(canonical)


def test_labels_in_the_viewers_language_keep_their_accents() -> None:
    assert label_for("project management", "fr") == "gestion de projet"
    assert label_for("gestion de projet", "en") == "project management"
    assert label_for("comptabilité", "fr") == "comptabilité financière"
    assert label_for("a skill nobody listed", "fr") == "a skill nobody listed"
    # Kinyarwanda words are not labels: a Kinyarwanda viewer sees the name as written.
    assert label_for("ubuhinzi", "rw") == "ubuhinzi"


def test_every_concept_has_a_french_label_and_the_lexicon_spans_three_languages() -> None:
    vocab = get_vocabulary()
    assert len(vocab) >= 530
    missing = [s.canonical for s in vocab.skills if not s.french]
    assert not missing
    terms = dict(concept_terms())
    assert terms["gestion de projet"] == terms["project management"] == "project_management"
    assert terms["ubuhinzi"] == "agriculture"


def test_suggestions_accept_either_language_and_show_the_viewers_label() -> None:
    assert "gestion de projet" in suggest("gestion de p", language="fr")
    assert "project management" in suggest("gestion de p", language="en")
    assert "gestion de projet" in suggest("project man", language="fr")


def test_the_shipped_concepts_file_is_built_from_its_source() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/build_skill_concepts.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_api_suggestions_follow_the_page_language(client: FlaskClient) -> None:
    fr = client.get("/api/v1/skills/suggest?q=project+man", headers={"Accept-Language": "fr"})
    en = client.get("/api/v1/skills/suggest?q=gestion+de+p", headers={"Accept-Language": "en"})
    assert "gestion de projet" in fr.get_json()["data"]
    assert "project management" in en.get_json()["data"]


def test_an_explanation_names_a_french_profiles_skill_in_the_viewers_language(
    app: Flask,
) -> None:
    match = SkillMatch("financial accounting", "must", "comptabilité", 0.81, 0.9, True)
    expl = Explanation({}, {}, {}, (match,), (), ())
    with app.test_request_context(), force_locale("en"):
        assert matched_pairs(expl)[0].startswith("financial accounting ≈ financial accounting")
    with app.test_request_context(), force_locale("fr"):
        assert matched_pairs(expl)[0].startswith(
            "comptabilité financière ≈ comptabilité financière"
        )


def test_a_segment_on_a_skill_finds_members_who_wrote_it_in_french(app: Flask) -> None:
    from app.outreach.segments import matching_skill_names

    with app.app_context():
        found = matching_skill_names(
            ["project management"], ["gestion de projet", "Gucunga imishinga", "pâtisserie"]
        )
    assert found == {"gestion de projet", "Gucunga imishinga"}


# ESCO skills far from the dev sets' needs (general work skills), English and French labels.
@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("manage budgets", "gérer des budgets"),
        ("use spreadsheets software", "utiliser un tableur"),
        ("operate forklift", "utiliser un chariot élévateur"),
        ("manage staff", "gérer le personnel"),
    ],
)
def test_an_esco_french_label_and_its_english_label_are_one_concept(
    english: str, french: str
) -> None:
    concept = concept_id_for(english)
    assert concept is not None
    assert concept_id_for(french) == concept
    assert canonical_for(french) == canonical_for(english) == english
    assert label_for(english, "fr") == french
    assert label_for(french, "en") == english
    # The matcher's lexicon carries both labels to the same concept.
    terms = dict(concept_terms())
    assert terms[english] == terms[french] == concept


def test_esco_skills_linked_to_a_curated_concept_share_its_id() -> None:
    # ESCO's "business intelligence" / "informatique décisionnelle" is the curated concept.
    assert concept_id_for("informatique décisionnelle") == concept_id_for("business intelligence")
    assert canonical_for("business intelligence") in get_vocabulary().canonicals


def test_suggestions_rank_curated_concepts_before_a_few_esco_labels() -> None:
    found = suggest("manag", limit=10)
    vocab = get_vocabulary()
    curated = [s for s in found if s in vocab.canonicals]
    assert found[: len(curated)] == curated
    assert len(found) - len(curated) <= 5
    assert "gérer des budgets" in suggest("gérer des bud", language="fr")


def test_find_in_text_spots_esco_phrases_only_when_asked() -> None:
    text = "I manage budgets and write Python; machine learning, GIS, excel at teamwork."
    plain = get_vocabulary().find_in_text(text)
    assert plain[:3] == ["python programming", "machine learning", "geographic information systems"]
    assert "manage budgets" not in plain
    assert "manage budgets" in get_vocabulary().find_in_text(text, esco=True)
    # Short labels count in capitals only: "excel at" is not Excel.
    assert not any("excel" in s for s in plain)


def test_the_shipped_esco_file_is_what_the_script_derives() -> None:
    import csv

    path = ROOT / "app" / "reference" / "data" / "esco_skill_labels.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "esco_id",
        "concept_id",
        "en_label",
        "en_alt_labels",
        "fr_label",
        "fr_alt_labels",
    ]
    assert len(rows) == 13485
    by_id = {r["esco_id"]: r for r in rows}
    assert by_id["21c5790c-0930-4d74-b3b0-84caf5af12ea"]["fr_label"] == "gérer des budgets"
    assert (ROOT / "app" / "reference" / "data" / "ESCO_NOTICE.txt").is_file()
    if not (Path("/tmp/esco") / "skills_fr.csv").is_file():  # noqa: S108
        pytest.skip("ESCO's raw files are not on this machine: only the shipped file checked")
    sys.path.insert(0, str(ROOT))
    from scripts.build_skill_concepts import ESCO_DIR, build, build_esco

    assert path.read_text(encoding="utf-8") == build_esco(ESCO_DIR, build())


def test_esco_layer_load_time_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    import time

    from app.reference.skills import SkillVocabulary, _load_esco, load_skills_csv

    text = (ROOT / "app" / "reference" / "data" / "skill_concepts.csv").read_text("utf-8")
    vocab = SkillVocabulary(load_skills_csv(text), esco=_load_esco)
    start = time.perf_counter()
    assert vocab.canonical_for("gérer des budgets") == "manage budgets"
    with capsys.disabled():
        print(f"\nESCO layer loaded in {time.perf_counter() - start:.2f} s")


def test_french_and_kinyarwanda_labels_pivot_to_the_english_label_the_matcher_embeds() -> None:
    from app.ranking.multilingual import concept_lexicon

    lexicon = concept_lexicon()
    assert lexicon.pivot("gestion de projet") == "project management"
    assert lexicon.pivot("Soins infirmiers pédiatriques") == "paediatric nursing"
    assert lexicon.pivot("ubuhinzi") == "agriculture"
    # English wording is embedded as written, and so is a phrase outside the taxonomy.
    assert lexicon.pivot("project management") is None
    assert lexicon.pivot("gestion de projet et de budgets communaux") is None
