"""The re-embedding job commits after each stored batch, so the SQLite write lock is not held
while the model encodes the rest of the backlog (web writes answered "database is locked")."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.extensions import db
from app.jobs.periodic import reembed_stale
from app.profiles.models import Profile
from app.ranking import services as ranking_services
from app.ranking.models import DocumentVector, VectorKind
from tests.factories.ranking import make_candidate


def test_re_embedding_commits_each_batch_and_releases_the_write_lock(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        for n in range(5):
            make_candidate(headline=f"Paediatric nurse {n}", bio=f"Ward number {n}.")
        db.session.commit()
    real_embed = ranking_services.embed_pending
    real_documents = ranking_services.candidate_documents
    batches: list[dict[str, Any]] = []

    def small_batches(*args: Any, **kwargs: Any) -> Any:
        return real_embed(*args, **(kwargs | {"batch_size": 2}))

    def observed_batch(*args: Any, **kwargs: Any) -> Any:
        # When a batch starts (before the model encodes it), the previous one is committed:
        # another connection (a web request) can take the write lock at once.
        state: dict[str, Any] = {"in_transaction_with_writes": bool(db.session().dirty)}
        if url.get_backend_name() == "sqlite" and url.database:
            other = sqlite3.connect(url.database, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                state["could_write"] = True
            except sqlite3.OperationalError:
                state["could_write"] = False
            finally:
                other.close()
        batches.append(state)
        return real_documents(*args, **kwargs)

    monkeypatch.setattr(ranking_services, "embed_pending", small_batches)
    monkeypatch.setattr(ranking_services, "candidate_documents", observed_batch)
    with app.app_context():
        reembed_stale({})
        stored = set(
            db.session.scalars(
                select(DocumentVector.content_hash).where(
                    DocumentVector.kind == VectorKind.CANDIDATE
                )
            )
        )
        hashes = set(db.session.scalars(select(Profile.content_hash)))
    assert hashes <= stored  # every profile embedded
    assert len(batches) == 3  # 2 + 2 + 1 profiles
    assert all(b.get("could_write", True) for b in batches), batches
    assert not any(b["in_transaction_with_writes"] for b in batches)
