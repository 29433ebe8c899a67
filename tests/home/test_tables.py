"""Every data table the app renders has an accessible name and scoped header cells.

The demo data (plus a duplicate pair, an audit entry, a need revision and a failed delivery) fills
every page that shows a table; each page is fetched as the role that sees it. A screen reader
announces a table by its name (a <caption>, aria-label or aria-labelledby) and reads each cell
with its headers, which needs every <th> to say whether it heads a column or a row (scope).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import actions
from app.audit.services import record_audit
from app.auth.models import User
from app.demo.seed import (
    DEMO_ADMIN,
    DEMO_INSTITUTION,
    DEMO_PROFESSIONAL,
    DEMO_STAFF,
    demo_password,
    load_demo_data,
)
from app.extensions import db
from app.institutions.models import InstitutionMembership
from app.needs.models import Need, NeedRevision
from app.outreach.models import OutboxEmail, OutboxStatus, OutreachMessage
from app.placements.models import Placement
from app.profiles.models import DuplicateCandidate, Profile
from app.ranking.services import embed_pending
from app.surveys.models import Survey
from app.surveys.results import BAR_KINDS
from tests.conftest import login

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
VOID = frozenset(  # elements without an end tag
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)


@dataclass
class Table:
    attrs: dict[str, str]
    caption: str = ""
    scopes: list[str | None] = field(default_factory=list)


class _Tables(HTMLParser):
    """The tables of a page, and the text of every element with an id (for aria-labelledby)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id) of the open elements
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "table":
            self.tables.append(Table(values))
        elif tag == "caption":
            self._in_caption = True
        elif tag == "th" and self.tables:
            self.tables[-1].scopes.append(values.get("scope"))
        if tag not in VOID:
            self._open.append((tag, values.get("id")))
            if values.get("id"):
                self.texts[values["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        while self._open:  # close up to the matching element (HTML may leave some open)
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_caption and self.tables:
            self.tables[-1].caption += data
        for _tag, element_id in self._open:
            if element_id:
                self.texts[element_id] += data


def _name(table: Table, texts: dict[str, str]) -> str:
    labelled_by = table.attrs.get("aria-labelledby", "").split()
    return " ".join(
        part.strip()
        for part in [table.caption, table.attrs.get("aria-label", "")]
        + [texts.get(i, "") for i in labelled_by]
        if part.strip()
    )


@dataclass(frozen=True)
class _Ids:
    need: int
    message: int
    surveys: list[int]
    crosstab: str  # the census's first choice question by country


def _world(app: Flask) -> _Ids:
    """Load the demo data and add what it lacks; return the ids the page paths need."""
    with app.app_context():
        load_demo_data(professionals=40, seed=2026, echo=lambda _line: None)
        db.session.commit()
        embed_pending()  # the ranked candidates page waits for the profiles' embeddings
        staff = db.session.scalars(select(User).where(User.email == DEMO_STAFF)).one()
        first, second = db.session.scalars(select(Profile).order_by(Profile.id).limit(2))
        db.session.add(DuplicateCandidate(profile=first, other_profile=second, reason="phone"))
        record_audit(actions.PROFILE_VIEWED, target=first, subject=first.user_id, actor=staff)
        # A need of the demo member's institution with a placement, now revised.
        member = db.session.scalars(select(User).where(User.email == DEMO_INSTITUTION)).one()
        institution_id = db.session.scalars(
            select(InstitutionMembership.institution_id).where(
                InstitutionMembership.user_id == member.id
            )
        ).first()
        need = db.session.scalars(
            select(Need)
            .join(Placement, Placement.need_id == Need.id)
            .where(Need.institution_id == institution_id)
            .order_by(Need.id)
        ).first()
        assert need is not None
        db.session.add(
            NeedRevision(need_id=need.id, user_id=member.id, changes={"title": ["Old", "New"]})
        )
        message = db.session.scalars(select(OutreachMessage).order_by(OutreachMessage.id)).first()
        assert message is not None
        db.session.add(
            OutboxEmail(
                idempotency_key="tables-failed-1",
                to_address="bounced@example.org",
                message_id=message.id,
                status=OutboxStatus.FAILED,
                attempts=3,
                last_error="550 mailbox unavailable",
            )
        )
        census = db.session.scalars(
            select(Survey).where(Survey.title == "Diaspora skills census 2026")
        ).one()
        question = next(q for q in census.questions if q.kind in BAR_KINDS)
        ids = _Ids(
            need.id,
            message.id,
            list(db.session.scalars(select(Survey.id))),
            f"/surveys/staff/{census.id}/results?question={question.id}&by=country",
        )
        db.session.commit()
        return ids


def test_every_table_has_a_name_and_scoped_headers(app: Flask) -> None:
    ids = _world(app)
    # (account, method and path, the templates whose tables the page shows)
    pages: list[tuple[str, str, set[str]]] = [
        (DEMO_PROFESSIONAL, "/outreach/inbox", {"outreach/inbox.html"}),
        (DEMO_PROFESSIONAL, "/profile/edit/consent", {"profiles/consent.html"}),
        (DEMO_PROFESSIONAL, "/profile/edit/skills", {"profiles/skills.html"}),
        (DEMO_PROFESSIONAL, "/placements/", {"placements/index.html"}),
        (DEMO_INSTITUTION, "/institutions/dashboard", {"institutions/dashboard.html"}),
        (
            DEMO_INSTITUTION,
            f"/needs/{ids.need}",
            {"needs/detail.html", "placements/_for_need.html"},
        ),
        (DEMO_STAFF, f"/matching/needs/{ids.need}/candidates", {"ranking/candidates.html"}),
        (DEMO_STAFF, "/institutions/staff", {"institutions/staff_queue.html"}),
        (DEMO_STAFF, "/profile/staff/duplicates", {"profiles/duplicates.html"}),
        (DEMO_STAFF, "/outreach/messages", {"outreach/messages.html"}),
        (DEMO_STAFF, f"/outreach/messages/{ids.message}", {"outreach/message_detail.html"}),
        (DEMO_STAFF, "POST /outreach/segments/new", {"outreach/segment_form.html"}),
        (DEMO_STAFF, "/staff/users", {"staff/users.html"}),
        (DEMO_STAFF, "/placements/staff", {"placements/staff.html"}),
        (DEMO_STAFF, "/needs/staff", {"needs/staff_list.html"}),
        (DEMO_STAFF, "/surveys/staff", {"surveys/staff_list.html"}),
        (DEMO_STAFF, "/insights/", {"insights/index.html"}),
        *(
            (DEMO_STAFF, f"/surveys/staff/{survey}/results", {"surveys/results.html"})
            for survey in ids.surveys
        ),
        (DEMO_STAFF, ids.crosstab, {"surveys/results.html"}),
        (DEMO_ADMIN, "/staff/accounts", {"staff/accounts.html"}),
        (DEMO_ADMIN, "/staff/audit", {"staff/audit.html"}),
    ]
    # Every template with a table is on the list, so a new one is checked when it lands.
    with_tables = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "<table" in path.read_text(encoding="utf-8")
    }
    covered = {template for _who, _path, templates in pages for template in templates}
    assert with_tables == covered, f"pages to add for: {sorted(with_tables - covered)}"

    clients: dict[str, FlaskClient] = {}
    with app.app_context():
        password = demo_password()
    problems: list[str] = []
    seen = 0
    for email, path, templates in pages:
        if email not in clients:
            clients[email] = app.test_client()
            assert login(clients[email], email, password).status_code == 302
        client = clients[email]
        if path.startswith("POST "):  # the segment preview, with its sample of members
            response = client.post(path.removeprefix("POST "), data={"preview": "1"})
        else:
            response = client.get(path)
        assert response.status_code == 200, (email, path, response.status_code)
        parser = _Tables()
        parser.feed(response.get_data(as_text=True))
        if path == ids.crosstab:
            assert any(t.attrs.get("id") == "crosstab" for t in parser.tables), "no cross-tab"
        assert len(parser.tables) >= len(templates), f"{path}: {len(parser.tables)} tables"
        seen += len(parser.tables)
        for number, table in enumerate(parser.tables, 1):
            where = f"{path}, table {number}"
            if not _name(table, parser.texts):
                problems.append(f"{where}: no caption, aria-label or aria-labelledby")
            if not table.scopes:
                problems.append(f"{where}: no header cells")
            unscoped = [s for s in table.scopes if s not in ("col", "row", "colgroup", "rowgroup")]
            if unscoped:
                problems.append(f"{where}: {len(unscoped)} <th> without scope")
    assert not problems, "\n".join(problems)
    assert seen >= 40, seen  # the placements pipeline, insights and results have many each
