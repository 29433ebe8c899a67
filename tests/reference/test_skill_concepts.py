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
