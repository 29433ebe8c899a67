"""The background worker keeps stored vectors in step with profile and need texts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.jobs import worker as worker_module
from app.jobs.registry import SCHEDULES, load_worker_modules
from app.needs.models import Need, NeedStatus
from app.profiles.models import Profile
from app.profiles.services import refresh_content_hash
from app.ranking.models import DocumentVector, VectorKind
from tests.factories.needs import NeedFactory
from tests.factories.ranking import make_candidate


def _stored_hashes(kind: VectorKind) -> set[str]:
    return set(
        db.session.scalars(select(DocumentVector.content_hash).where(DocumentVector.kind == kind))
    )


def _run_worker_once(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output


def test_the_re_embedding_schedule_is_the_only_embedding_schedule() -> None:
    load_worker_modules()
    embedding = {name for name in SCHEDULES if "embed" in name}
    assert embedding == {"re-embedding"}


def test_one_worker_pass_embeds_new_and_changed_profiles_and_needs(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # TestConfig selects the hashing embedder: this checks the plumbing, not ranking quality.
    with app.app_context():
        profile = make_candidate()
        need = NeedFactory(status=NeedStatus.OPEN, title="Paediatric nurse trainer")
        db.session.commit()
        profile_id, need_id = profile.id, need.id
        assert _stored_hashes(VectorKind.CANDIDATE) == set()

    _run_worker_once(app)

    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        need = db.session.get(Need, need_id)
        assert profile is not None and need is not None
        assert profile.content_hash in _stored_hashes(VectorKind.CANDIDATE)
        assert need.content_hash in _stored_hashes(VectorKind.NEED)
        old_hash = profile.content_hash
        profile.headline = "Neonatal intensive care nurse"
        refresh_content_hash(profile)
        db.session.commit()
        new_hash = profile.content_hash
        assert new_hash != old_hash
        assert new_hash not in _stored_hashes(VectorKind.CANDIDATE)

    # The next schedule slot: the worker enqueues the re-embedding job again and runs it.
    later = utcnow() + timedelta(minutes=2)
    monkeypatch.setattr(worker_module, "utcnow", lambda: later)
    _run_worker_once(app)

    with app.app_context():
        assert new_hash in _stored_hashes(VectorKind.CANDIDATE)
