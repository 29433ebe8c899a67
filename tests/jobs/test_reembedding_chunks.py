"""The re-embedding job commits each small chunk, so the SQLite write lock is not held while the
model encodes the rest of the backlog (web writes answered "database is locked" before)."""

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


def test_re_embedding_commits_between_chunks_and_releases_the_write_lock(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["MATCHING_EMBED_COMMIT_EVERY"] = 2
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        for n in range(5):
            make_candidate(headline=f"Paediatric nurse {n}", bio=f"Ward number {n}.")
        db.session.commit()
    real = ranking_services.embed_pending
    calls: list[dict[str, Any]] = []

    def observed(*args: Any, **kwargs: Any) -> Any:
        # Before each chunk: the previous chunk is committed, and another connection (a web
        # request) can write at once, without waiting for this job.
        state: dict[str, Any] = {"in_transaction": db.session().in_transaction()}
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
        calls.append(state)
        report = real(*args, **kwargs)
        state["documents"] = report.documents
        return report

    monkeypatch.setattr(ranking_services, "embed_pending", observed)
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
    assert [c["documents"] for c in calls] == [2, 2, 1]
    assert all(not c["in_transaction"] for c in calls[1:])
    assert all(c.get("could_write", True) for c in calls)
