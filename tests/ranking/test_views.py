"""The ranked-candidates page, the dashboard panel and `flask matching evaluate`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import User
from app.extensions import db
from app.institutions.models import Institution
from app.matching import CountingEmbedder, HashingEmbedder
from app.needs.models import Need, NeedStatus
from app.ranking import services
from tests.factories.institutions import add_institution_for
from tests.factories.needs import NeedFactory
from tests.factories.ranking import make_candidate


def _world(app: Flask, owner_id: int | None = None, embed: bool = True) -> dict[str, Any]:
    """Three candidates and one on-site need of the owner's institution (or a new one)."""
    with app.app_context():
        counter = CountingEmbedder(HashingEmbedder())
        services.set_embedder(counter)
        institution_id = add_institution_for(owner_id) if owner_id else None
        rw = make_candidate(full_name="Aline Rwandan", country="RW", gender="female")
        ca = make_candidate(
            full_name="Bruno Canadian", headline="Paediatric nurse educator", gender="male"
        )
        make_candidate(
            full_name="Chris Remote",
            headline="Accountant",
            skills=["IFRS reporting"],
            mode="remote",
        )
        fields: dict[str, Any] = (
            {"institution": db.session.get(Institution, institution_id)} if institution_id else {}
        )
        need = NeedFactory(
            title="Paediatric nurse",
            mode="onsite",
            skills=[("paediatric nursing", "must"), ("hospital accreditation", "must")],
            **fields,
        )
        if embed:
            services.embed_pending()
        db.session.commit()
        counter.texts_encoded = 0
        return {"need": need.id, "rw": rw.id, "ca": ca.id, "counter": counter}


def test_owner_sees_ranked_candidates_with_explanations(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    world = _world(app, member.id)
    response = client.get(f"/matching/needs/{world['need']}/candidates")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Aline Rwandan" in html and "Bruno Canadian" in html
    assert "Chris Remote" not in html  # remote-only: filtered out, and not shown to institutions
    assert "Covers 1 of 2 must-have skills; missing: hospital accreditation" in html
    assert "paediatric nursing ≈ paediatric nursing (1.00)" in html
    assert "Gender balance" in html
    assert 'id="filtered-out"' not in html
    # The profile cards carry no contact details.
    assert "@example.org" not in html.split('<ol class="stack"')[1]


def test_staff_see_filtered_out_candidates_with_reasons(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    world = _world(app)
    html = client.get(f"/matching/needs/{world['need']}/candidates").get_data(as_text=True)
    assert 'id="filtered-out"' in html
    assert "Chris Remote" in html and "Works remote; the need is on site." in html


def test_other_organisation_gets_404_and_professional_403(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    owner = make_user("institution_member")
    world = _world(app, owner.id)
    other = logged_in("institution_member")
    with app.app_context():
        add_institution_for(other.id)
    assert client.get(f"/matching/needs/{world['need']}/candidates").status_code == 404
    client.post("/auth/logout")
    professional_client = app.test_client()
    pro = make_user("professional")
    from tests.conftest import login

    login(professional_client, pro.email)
    assert professional_client.get(f"/matching/needs/{world['need']}/candidates").status_code == 403


def test_filters_apply_without_encoding(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    world = _world(app, member.id)
    response = client.get(f"/matching/needs/{world['need']}/candidates?country=RW&mode=onsite")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Aline Rwandan" in html and "Bruno Canadian" not in html
    assert world["counter"].texts_encoded == 0
    bad = client.get(
        f"/matching/needs/{world['need']}/candidates?available_from=2027-05-01&available_to=2027-01-01"
    )
    assert bad.status_code == 400
    assert "The end date must be on or after the start date." in bad.get_data(as_text=True)


def test_progress_state_while_vectors_are_missing(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    world = _world(app, member.id, embed=False)
    html = client.get(f"/matching/needs/{world['need']}/candidates").get_data(as_text=True)
    assert "Ranking in progress: 0 of 3 profiles embedded." in html
    assert 'data-poll="15"' in html  # app.js reloads once ranked (no meta refresh: WCAG 2.2.1)
    assert world["counter"].texts_encoded == 0


def test_balanced_query_flag_is_shown(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    world = _world(app, member.id)
    html = client.get(f"/matching/needs/{world['need']}/candidates?balanced=y").get_data(
        as_text=True
    )
    assert "Balanced mode" in html


def test_dashboard_lists_recommended_needs(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    pro = logged_in("professional")
    with app.app_context():
        services.set_embedder(HashingEmbedder())
        make_candidate(user=db.session.get(User, pro.id))
        need = NeedFactory(title="Paediatric nurse trainer", skills=["paediatric nursing"])
        services.embed_pending()
        db.session.commit()
        need_id = need.id
    html = client.get("/profile/").get_data(as_text=True)
    assert f'href="/needs/{need_id}"' in html
    assert "Paediatric nurse trainer" in html


def test_dashboard_follows_a_new_and_a_closed_need(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    pro = logged_in("professional")
    with app.app_context():
        services.set_embedder(HashingEmbedder())
        make_candidate(user=db.session.get(User, pro.id))
        first = NeedFactory(title="Paediatric nurse trainer", skills=["paediatric nursing"])
        services.embed_pending()
        db.session.commit()
        first_id = first.id
    assert "Paediatric nurse trainer" in client.get("/profile/").get_data(as_text=True)
    with app.app_context():
        second = NeedFactory(title="Neonatal ward mentor", skills=["paediatric nursing"])
        services.embed_pending()
        closed = db.session.get(Need, first_id)
        assert closed is not None
        closed.status = NeedStatus.CLOSED
        db.session.commit()
        second_id = second.id
    html = client.get("/profile/").get_data(as_text=True)
    assert "Neonatal ward mentor" in html and f'href="/needs/{second_id}"' in html
    assert "Paediatric nurse trainer" not in html


def _tiny_judged_set(folder: Path) -> None:
    candidates = [
        {"id": "c1", "headline": "Paediatric nurse", "skills": [{"name": "paediatric nursing"}]},
        {"id": "c2", "headline": "Accountant", "skills": [{"name": "IFRS reporting"}]},
        {"id": "c3", "headline": "Civil engineer", "skills": [{"name": "bridge design"}]},
    ]
    needs = [
        {"id": "n1", "title": "Nurse trainer", "required_skills": [{"name": "paediatric nursing"}]},
        {"id": "n2", "title": "Auditor", "required_skills": [{"name": "IFRS reporting"}]},
    ]
    judgments = [
        {"need": "n1", "candidate": "c1", "relevance": 2},
        {"need": "n2", "candidate": "c2", "relevance": 2},
    ]
    for name, rows in (("candidates", candidates), ("needs", needs), ("judgments", judgments)):
        (folder / f"{name}.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")


def test_cli_evaluate_prints_json_for_every_method(app: Flask, tmp_path: Path) -> None:
    _tiny_judged_set(tmp_path)
    result = app.test_cli_runner().invoke(
        args=["matching", "evaluate", "--data", str(tmp_path), "--json", "--embedder", "hashing"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(data) == {"lexical", "dense", "skills", "hybrid"}
    for metrics in data.values():
        assert set(metrics) == {"ndcg@10", "mrr", "recall@10", "recall@50", "map"}


def test_owner_shortlists_a_ranked_candidate(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    from sqlalchemy import select

    from app.placements.models import Placement

    member = logged_in("institution_member")
    world = _world(app, member.id)
    page = client.get(f"/matching/needs/{world['need']}/candidates").get_data(as_text=True)
    assert ">Shortlist</button>" in page and ">Invite</button>" in page
    with app.app_context():
        from app.profiles.models import Profile

        candidate = db.session.get(Profile, world["ca"])
        assert candidate is not None
        public_id = candidate.public_id
    # The form carries the random public id; a row id is not a profile's address here.
    assert f"/candidates/{public_id}/invite" in page
    assert (
        client.post(f"/matching/needs/{world['need']}/candidates/{world['ca']}/invite").status_code
        == 404
    )
    response = client.post(
        f"/matching/needs/{world['need']}/candidates/{public_id}/invite",
        data={"next": f"/matching/needs/{world['need']}/candidates"},
    )
    assert response.status_code == 302
    with app.app_context():
        placement = db.session.scalar(select(Placement).where(Placement.need_id == world["need"]))
        assert placement is not None and placement.status == "invited"
        assert placement.profile_id == world["ca"]


def test_changed_pool_is_reindexed_in_the_background(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    import time

    app = app_factory(MATCHING_INDEX_REFRESH="background")
    world = _world(app)
    with app.test_request_context():
        _, first = services.candidate_pool()
        assert first.embedded == 3
        make_candidate(full_name="Dora Late", headline="Paediatric nurse")
        services.embed_pending()
        db.session.commit()
        _, served = services.candidate_pool()
        assert served is first  # the request is answered from the previous index at once
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with app.test_request_context():
            _, pool = services.candidate_pool()
        if pool.embedded == 4:
            break
        time.sleep(0.1)
    assert pool.embedded == 4, "the background rebuild did not publish the new index"
    assert world["counter"].texts_encoded >= 0


def test_page_shows_gender_composition_of_top_10_page_and_pool(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    world = _world(app, member.id)
    html = client.get(f"/matching/needs/{world['need']}/candidates").get_data(as_text=True)
    section = html.split('id="fairness"')[1].split("</section>")[0]
    rows = {
        group: [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for group, row in re.findall(r'<tr data-group="(\w+)">(.*?)</tr>', section, re.S)
    }
    # One woman and one man pass the on-site need's filters (the remote accountant does not):
    # each is half of the top 10, of this page and of the pool.
    assert rows == {"female": ["1 (50%)", "1", "1 (50%)"], "male": ["1 (50%)", "1", "1 (50%)"]}


def test_unverified_organisation_sees_no_ranked_candidates(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    """Who may see a professional (docs/security.md): not an organisation RCA has not verified,
    even for its own need; the need page says why instead of linking."""
    member = logged_in("institution_member")
    world = _world(app, member.id)
    with app.app_context():
        need = db.session.get(Need, world["need"])
        assert need is not None
        need.institution.status = "pending"
        db.session.commit()
    assert client.get(f"/matching/needs/{world['need']}/candidates").status_code == 404
    page = client.get(f"/needs/{world['need']}").get_data(as_text=True)
    assert 'id="ranking-after-verification"' in page
    assert f"/matching/needs/{world['need']}/candidates" not in page
