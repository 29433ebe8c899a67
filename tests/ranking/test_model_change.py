"""Changing the embedding model: the worker re-embeds in batches, the old model serves meanwhile.

The previous model is the deterministic hashing embedder, the new one the packaged
multilingual model (small and fast enough for a test).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient

from app.extensions import db
from app.matching import HashingEmbedder
from app.matching.packaged import USE_MULTILINGUAL, PackagedEmbedder
from app.ranking import services
from tests.factories.needs import NeedFactory
from tests.factories.ranking import make_candidate

OLD = HashingEmbedder().model_name
NEW = USE_MULTILINGUAL.name


@pytest.fixture(scope="module")
def new_model() -> PackagedEmbedder:
    return PackagedEmbedder(USE_MULTILINGUAL)


def test_rankings_keep_the_old_model_until_the_new_one_is_complete(
    app_context: Flask, new_model: PackagedEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="umuhuza.ranking")
    services.set_embedder(HashingEmbedder())
    nurse = make_candidate(headline="Paediatric nurse")
    make_candidate(headline="Accountant", skills=["IFRS reporting"])
    make_candidate(headline="Hydraulic engineer", skills=["water supply networks"])
    need = NeedFactory(title="Paediatric nurse", skills=["paediatric nursing"])
    services.embed_pending()
    assert services.serving_model_name() == OLD

    # The operator sets APP_MATCHING_MODEL to the new model and restarts.
    services.set_embedder(new_model)
    assert services.serving_model_name() == OLD
    update = services.model_update_progress()
    assert update == services.ModelUpdate(model=NEW, serving=OLD, done=0, total=4)
    ranking = services.rank_for_need(need)
    assert ranking.ready and ranking.embedded == ranking.total == 3
    assert ranking.rows[0].profile.id == nurse.id

    # One worker pass re-embeds one batch; a profile created meanwhile gets old vectors too.
    current_app.config["MATCHING_EMBED_BATCH_LIMIT"] = 2
    late = make_candidate(headline="Midwife")
    services.reembed_stale()
    assert services.count_pending(OLD) == (0, 0)
    assert services.serving_model_name() == OLD
    update = services.model_update_progress()
    assert update is not None and (update.done, update.total) == (2, 5)
    assert f"re-embedding for model {NEW}: 2 of 5 documents done" in caplog.text
    ranking = services.rank_for_need(need)
    assert ranking.embedded == ranking.total == 4
    assert late.id in {r.profile.id for r in ranking.rows}

    # The need itself is among the first re-embedded, but rankings do not switch half-way.
    assert services.web_matcher().embedder.model_name == OLD

    services.reembed_stale()
    assert services.serving_model_name() == OLD  # 4 of 5 documents
    services.reembed_stale()
    assert services.count_pending(NEW) == (0, 0)
    assert services.serving_model_name() == NEW
    assert services.model_update_progress() is None
    assert f"re-embedding for model {NEW} complete" in caplog.text
    matcher, pool = services.candidate_pool()
    assert matcher.embedder.model_name == NEW
    assert pool.embedded == pool.total == 4
    ranking = services.rank_for_need(need)
    assert ranking.ready and ranking.rows[0].profile.id == nurse.id


def test_a_fresh_install_serves_the_configured_model_with_its_progress(
    app_context: Flask, new_model: PackagedEmbedder
) -> None:
    services.set_embedder(new_model)
    make_candidate()
    need = NeedFactory()
    assert services.serving_model_name() == NEW
    assert services.model_update_progress() is None  # no previous model: today's progress
    assert not services.rank_for_need(need).ready


def test_the_serving_decision_is_asked_again_after_the_recheck_delay(
    app_context: Flask, new_model: PackagedEmbedder
) -> None:
    services.set_embedder(HashingEmbedder())
    make_candidate()
    services.embed_pending()
    services.set_embedder(new_model)
    assert services.serving_model_name(now=0.0) == OLD
    services.embed_pending()  # another process (the worker) completes the new model
    assert services.serving_model_name(now=1.0) == OLD
    assert services.serving_model_name(now=services.SERVING_RECHECK_SECONDS + 1) == NEW


def test_staff_see_the_model_update_progress_above_the_ranking(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    new_model: PackagedEmbedder,
) -> None:
    logged_in("rca_staff")
    with app.app_context():
        services.set_embedder(HashingEmbedder())
        make_candidate(full_name="Aline Rwandan", headline="Paediatric nurse")
        need_id = NeedFactory(title="Paediatric nurse").id
        services.embed_pending()
        db.session.commit()
        services.set_embedder(new_model)
    html = client.get(f"/matching/needs/{need_id}/candidates").get_data(as_text=True)
    assert "Aline Rwandan" in html  # ranked with the previous model's vectors
    assert 'id="model-update"' in html
    assert "0 of 2 profiles and needs prepared" in html
    with app.app_context():
        services.embed_pending()
        db.session.commit()
        services.set_embedder(new_model)  # a fresh process: decides again
    html = client.get(f"/matching/needs/{need_id}/candidates").get_data(as_text=True)
    assert "Aline Rwandan" in html and 'id="model-update"' not in html
