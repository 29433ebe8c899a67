"""Consent means what it says: a professional who withdraws "match me and let institutions contact
me" leaves the ranked list on the very next request, although the cached index is older than the
decision (its background rebuild is held back here), and comes back as soon as they give it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.institutions.models import Institution
from app.matching import HashingEmbedder
from app.ranking import services
from tests.conftest import login
from tests.factories.institutions import add_institution_for
from tests.factories.needs import NeedFactory
from tests.factories.ranking import make_candidate


@pytest.fixture()
def stale_app(app_factory: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> Any:
    """An app whose index refreshes in the background, with the rebuild never running: every
    request after the first is served from the index built before any consent change."""
    app = app_factory(MATCHING_INDEX_REFRESH="background")
    held: list[Any] = []
    monkeypatch.setattr(services, "_rebuild_in_background", lambda app, stamp: held.append(stamp))
    return app, held


def _world(app: Flask, member_id: int) -> dict[str, Any]:
    with app.app_context():
        services.set_embedder(HashingEmbedder())
        institution = db.session.get(Institution, add_institution_for(member_id))
        aline = make_candidate(full_name="Aline Withdraws", gender="female")
        bruno = make_candidate(full_name="Bruno Stays", gender="male")
        need = NeedFactory(institution=institution, mode="remote")
        services.embed_pending()
        db.session.commit()
        return {
            "need": need.id,
            "aline": (aline.id, aline.public_id, aline.user.email),
            "bruno": bruno.id,
        }


def _set_matching_consent(app: Flask, email: str, granted: bool) -> None:
    """Through the professional's own consent page, as a member would."""
    client = app.test_client()
    assert login(client, email).status_code == 302
    data = {"matching": "y"} if granted else {}
    response = client.post("/profile/edit/consent", data={**data, "statistics": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)


def _ranked(client: FlaskClient, need_id: int) -> str:
    response = client.get(f"/matching/needs/{need_id}/candidates")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_withdrawal_and_regrant_show_on_the_next_request(
    stale_app: Any, make_user: Callable[..., Any]
) -> None:
    app, held = stale_app
    member = make_user("institution_member")
    world = _world(app, member.id)
    aline_id, aline_public, aline_email = world["aline"]
    client = app.test_client()
    assert login(client, member.email).status_code == 302

    page = _ranked(client, world["need"])  # builds the index inline (the first one)
    assert "Aline Withdraws" in page and "Bruno Stays" in page
    assert client.get(f"/profile/p/{aline_public}").status_code == 200  # a ranked candidate

    _set_matching_consent(app, aline_email, granted=False)
    page = _ranked(client, world["need"])
    assert held, "the index rebuild was requested, and held back: the index is stale"
    assert "Aline Withdraws" not in page and "Bruno Stays" in page
    assert f"/candidates/{aline_public}/" not in page
    # Not ranked any more: no reason left for the institution to see her.
    assert client.get(f"/profile/p/{aline_public}").status_code == 404
    assert client.get(f"/profile/{aline_id}").status_code == 404
    invite = client.post(f"/matching/needs/{world['need']}/candidates/{aline_public}/invite")
    assert invite.status_code == 404
    with app.test_request_context():
        assert services.count_ranked_candidates([world["need"]])[world["need"]] == 1

    _set_matching_consent(app, aline_email, granted=True)
    page = _ranked(client, world["need"])
    assert "Aline Withdraws" in page and "Bruno Stays" in page
    assert client.get(f"/profile/p/{aline_public}").status_code == 200
    with app.test_request_context():
        assert services.count_ranked_candidates([world["need"]])[world["need"]] == 2


def test_a_grant_after_the_index_was_built_ranks_at_once(
    stale_app: Any, make_user: Callable[..., Any]
) -> None:
    """A professional who had refused when the index was built is ranked on the next request
    once they agree (the index column says no; the database says yes)."""
    app, held = stale_app
    member = make_user("institution_member")
    world = _world(app, member.id)
    _, _, aline_email = world["aline"]
    _set_matching_consent(app, aline_email, granted=False)
    client = app.test_client()
    login(client, member.email)
    assert "Aline Withdraws" not in _ranked(client, world["need"])  # built without her
    _set_matching_consent(app, aline_email, granted=True)
    assert "Aline Withdraws" in _ranked(client, world["need"])
    assert held
