"""The route × role access-control matrix: every endpoint of the app, every role, one expectation.

`MATRIX` below is the one source of truth. Each row is an endpoint (a `name[variant]` key adds a
second row for the same endpoint with other URL parameters), each column a role of the sample
world built by `tests/factories/matrix.py`:

    professional        owns the sample profile, CV, placement, inbox entry, thread, survey draft
    other_professional  a professional with a profile of their own
    member_a            admin member of institution A (owns the draft and the open need)
    member_b            admin member of institution B (has its own draft need)
    rca_staff, admin    staff accounts (two-factor is off in TestConfig)

Expected values: a status code, `LOGIN` (302 to /auth/login; the API answers 401 instead), or
`ACT` on mutating routes (POST/PATCH) for the roles who may act: the request is sent with an
empty form after every denial has been checked, and must be neither refused (401/403/404, a
redirect to log in) nor a 500. Denied mutating requests must leave the database unchanged, and
no refused response may contain the sample objects' private details.

URL parameters: `<int:name>` takes `world.ids[name]` unless the row maps it to another sample
object (`params`); `need_id` is A's DRAFT need, so members of B must get 404. `<token>` gets an
invalid token (the page's invalid-token behaviour, never a 500).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from typing import Any, NamedTuple

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from tests.conftest import login
from tests.factories import matrix as sample
from tests.factories.matrix import ANONYMOUS, ROLES, World, build_world

LOGIN = "login"  # anonymous: 302 to the log-in page (401 under /api/)
ACT = "act"  # a mutating route the role may use: anything but a refusal or a 500
INVALID_TOKEN = "invalid-token-0000"


class Row(NamedTuple):
    """Expected outcome per role (in `ROLES` order), then the URL parameters to use."""

    anonymous: int | str
    professional: int | str
    other_professional: int | str
    member_a: int | str
    member_b: int | str
    rca_staff: int | str
    admin: int | str
    params: dict[str, Any] = {}

    def expected(self, role: str) -> int | str:
        return getattr(self, role)


def staff_only(ok: int | str = 200) -> Row:
    return Row(LOGIN, 403, 403, 403, 403, ok, ok)


def admin_only(ok: int | str = 200) -> Row:
    return Row(LOGIN, 403, 403, 403, 403, 403, ok)


def professionals_only(ok: int | str = 200) -> Row:
    """A professional's own pages (their own profile): both professionals get in."""
    return Row(LOGIN, ok, ok, 403, 403, 403, 403)


def members_only(ok: int | str = 200) -> Row:
    return Row(LOGIN, 403, 403, ok, ok, 403, 403)


def signed_in(ok: int | str = 200) -> Row:
    return Row(LOGIN, ok, ok, ok, ok, ok, ok)


def everyone(ok: int | str = 200) -> Row:
    return Row(ok, ok, ok, ok, ok, ok, ok)


# Row parameters: URL argument → sample object (a key of world.ids) or literal value.
DRAFT = {"need_id": "need_id"}  # A's draft need (the default)
OPEN = {"need_id": "open_need_id"}  # A's open need
B_DRAFT = {"need_id": "need_b_id"}  # B's draft need
PENDING = {"institution_id": "pending_institution_id"}
BROADCAST = {"entry_id": "inbox_entry_id"}
DIRECT = {"entry_id": "dm_entry_id"}
EDU = {"entry_id": "education_id"}
EXP = {"entry_id": "experience_id"}
ACCEPT = {"action": "accept"}
SHORTLIST = {**OPEN, "action": "shortlist"}
TABLE = {"table": "members_by_gender"}
CSV = {"fmt": "csv"}

# fmt: off
#                                         anon   pro    other  mem_a  mem_b  staff  admin
MATRIX: dict[str, Row] = {
    # -------------------- JSON API
    "api.insights_summary":           Row(401,   403,   403,   403,   403,   200,   200),
    "api.me":                         Row(401,   200,   200,   200,   200,   200,   200),
    "api.need":                       Row(404,   404,   404,   200,   404,   200,   200, DRAFT),
    "api.need[open]":                 Row(200,   200,   200,   200,   200,   200,   200, OPEN),
    "api.needs":                      everyone(200),
    "api.skills_suggest":             everyone(200),
    "api.update_profile":             Row(401,   ACT,   ACT,   403,   403,   403,   403),
    # -------------------- accounts
    "auth.account":                   signed_in(200),
    "auth.change_email":              signed_in(ACT),
    "auth.change_password":           signed_in(ACT),
    "auth.check_email":               everyone(200),
    "auth.confirm_email_change":      everyone(302),
    "auth.login":                     Row(200,   302,   302,   302,   302,   302,   302),
    "auth.logout":                    signed_in(ACT),
    "auth.request_reset":             everyone(200),
    "auth.resend_verification":       everyone(ACT),
    "auth.reset_password":            everyone(302),
    "auth.signup":                    Row(200,   302,   302,   302,   302,   302,   302),
    "auth.twofactor_disable":         signed_in(ACT),
    "auth.twofactor_manage":          signed_in(200),
    "auth.twofactor_regenerate":      signed_in(ACT),
    "auth.twofactor_setup":           Row(302,   200,   200,   200,   200,   200,   200),
    "auth.twofactor_verify":          everyone(302),
    "auth.verify_email":              everyone(302),
    # -------------------- health probes (public; the test schema is made by create_all, so
    # readiness reports "migrations not applied": tests/health proves the 200)
    "health.healthz":                 everyone(200),
    "health.readyz":                  everyone(503),
    # -------------------- home
    "home.dashboard":                 signed_in(302),
    "home.index":                     everyone(200),
    "home.privacy":                   everyone(200),
    "home.set_language":              everyone(ACT),
    # -------------------- insights (aggregates)
    "insights.export":                Row(LOGIN, 403,   403,   403,   403,   200,   200, TABLE),
    "insights.index":                 staff_only(200),
    # -------------------- institutions (A = member_a's)
    "institutions.accept_invitation": Row(LOGIN, 403,   403,   ACT,   ACT,   403,   403),
    "institutions.approve":           staff_only(ACT)._replace(params=PENDING),
    "institutions.dashboard":         members_only(200),
    "institutions.detail":            Row(LOGIN, 403,   403,   200,   404,   200,   200),
    "institutions.direct_publishing": staff_only(ACT),
    "institutions.invite":            members_only(ACT),
    "institutions.join":              everyone(302),
    "institutions.register":          members_only(302),  # both already belong to one
    "institutions.reject":            staff_only(ACT)._replace(params=PENDING),
    "institutions.remove_member":     Row(LOGIN, 403,   403,   ACT,   404,   403,   403),
    "institutions.staff_queue":       staff_only(200),
    # -------------------- needs (need_id = A's draft)
    "needs.close":                    Row(LOGIN, 403,   403,   ACT,   404,   ACT,   ACT, DRAFT),
    "needs.create":                   members_only(200),
    "needs.detail":                   Row(404,   404,   404,   200,   404,   200,   200, DRAFT),
    "needs.detail[open]":             everyone(200)._replace(params=OPEN),
    "needs.detail[b]":                Row(404,   404,   404,   404,   200,   200,   200, B_DRAFT),
    "needs.edit":                     Row(LOGIN, 403,   403,   200,   404,   200,   200, DRAFT),
    "needs.edit[open]":               Row(LOGIN, 403,   403,   200,   404,   200,   200, OPEN),
    "needs.fill":                     Row(LOGIN, 403,   403,   ACT,   404,   ACT,   ACT, DRAFT),
    "needs.index":                    everyone(200),
    # members may not publish directly (staff have not allowed organisation A): 403 NotAllowed
    "needs.publish":                  Row(LOGIN, 403,   403,   403,   404,   ACT,   ACT, DRAFT),
    "needs.return_to_draft":          staff_only(ACT)._replace(params=OPEN),
    "needs.review":                   staff_only(200),
    "needs.skills_suggest":           everyone(200),
    "needs.staff_list":               staff_only(200),
    "needs.submit":                   Row(LOGIN, 403,   403,   ACT,   404,   403,   403, DRAFT),
    # -------------------- outreach (professional's inbox/thread)
    "outreach.conversation":          Row(LOGIN, 200,   404,   200,   404,   200,   200),
    "outreach.conversations":         signed_in(200),
    "outreach.edit_message":          staff_only(200),
    "outreach.edit_segment":          staff_only(200),
    "outreach.inbox":                 signed_in(200),
    "outreach.inbox_entry":           Row(LOGIN, 200,   404,   404,   404,   404,   404, BROADCAST),
    "outreach.inbox_entry[direct]":   Row(LOGIN, 200,   404,   404,   404,   404,   404, DIRECT),
    "outreach.message_detail":        staff_only(200),
    "outreach.messages":              staff_only(200),
    # B has no reason to see the professional (docs/security.md): the user id reveals nothing.
    "outreach.new_conversation":      Row(LOGIN, 403,   403,   200,   404,   200,   200),
    "outreach.new_message":           staff_only(200),
    "outreach.new_segment":           staff_only(200),
    "outreach.preference_centre":     signed_in(200),
    "outreach.resend_failed":         staff_only(ACT),
    "outreach.segment_list":          staff_only(200),
    "outreach.send":                  staff_only(ACT),
    "outreach.test_send":             staff_only(ACT),
    "outreach.unschedule":            staff_only(ACT),
    "outreach.unsubscribe":           everyone(404),
    "outreach.unsubscribe_post":      everyone(404),
    # -------------------- placements (professional × A's open need)
    "placements.act":                 Row(LOGIN, ACT,   404,   ACT,   404,   ACT,   ACT, ACCEPT),
    "placements.add_note":            staff_only(ACT),
    "placements.detail":              Row(LOGIN, 200,   404,   200,   404,   200,   200),
    "placements.export_csv":          staff_only(200),
    "placements.index":               Row(LOGIN, 200,   200,   200,   200,   302,   302),
    "placements.interest":            Row(LOGIN, 404,   404,   403,   403,   403,   403, DRAFT),
    "placements.interest[open]":      Row(LOGIN, ACT,   ACT,   403,   403,   403,   403, OPEN),
    "placements.interview_outcome":   Row(LOGIN, 403,   403,   ACT,   404,   ACT,   ACT),
    "placements.outcome":             Row(LOGIN, 403,   403,   ACT,   404,   ACT,   ACT),
    "placements.shortlist":           Row(LOGIN, 403,   403,   ACT,   404,   ACT,   ACT, OPEN),
    "placements.staff_pipeline":      staff_only(200),
    # -------------------- privacy centre (user_id = a spare account)
    "privacy.delete_account":         signed_in(ACT),
    "privacy.export":                 signed_in(ACT),
    "privacy.staff_erase":            staff_only(200),
    "privacy.staff_export":           staff_only(ACT),
    "privacy.your_data":              signed_in(200),
    # -------------------- profiles (the professional's)
    "profiles.add_education":         professionals_only(ACT),
    "profiles.add_experience":        professionals_only(ACT),
    "profiles.add_language":          professionals_only(ACT),
    "profiles.add_skill":             professionals_only(ACT),
    "profiles.add_window":            professionals_only(ACT),
    "profiles.confirm":               professionals_only(ACT),
    "profiles.confirm_link":          everyone(400),
    "profiles.dashboard":             professionals_only(200),
    "profiles.dismiss_duplicate":     staff_only(ACT),
    "profiles.download_cv":           Row(LOGIN, 200,   404,   404,   404,   200,   200),
    "profiles.duplicates":            staff_only(200),
    "profiles.edit_availability":     professionals_only(200),
    "profiles.edit_background":       professionals_only(200),
    "profiles.edit_consent":          professionals_only(200),
    "profiles.edit_education":        Row(LOGIN, 200,   404,   403,   403,   403,   403, EDU),
    "profiles.edit_experience":       Row(LOGIN, 200,   404,   403,   403,   403,   403, EXP),
    "profiles.edit_identity":         professionals_only(200),
    "profiles.edit_interests":        professionals_only(200),
    "profiles.edit_languages":        professionals_only(200),
    "profiles.edit_location":         professionals_only(200),
    "profiles.edit_skills":           professionals_only(200),
    "profiles.merge_duplicate":       staff_only(ACT),
    # A sees the professional through their placement; B (verified, no reason) does not.
    "profiles.card":                  Row(LOGIN, 200,   404,   200,   404,   200,   200),
    "profiles.card_photo":            Row(LOGIN, 200,   404,   200,   404,   200,   200),
    "profiles.photo":                 Row(LOGIN, 200,   404,   200,   404,   200,   200),
    "profiles.remove_education":      Row(LOGIN, ACT,   404,   403,   403,   403,   403, EDU),
    "profiles.remove_experience":     Row(LOGIN, ACT,   404,   403,   403,   403,   403, EXP),
    "profiles.remove_language":       Row(LOGIN, ACT,   404,   403,   403,   403,   403),
    "profiles.remove_skill":          Row(LOGIN, ACT,   404,   403,   403,   403,   403),
    "profiles.remove_window":         Row(LOGIN, ACT,   404,   403,   403,   403,   403),
    "profiles.review_cv":             Row(LOGIN, 200,   404,   403,   403,   403,   403),
    "profiles.cv_progress":           Row(LOGIN, 302,   404,   403,   403,   403,   403),  # read
    "profiles.cv_status":             Row(LOGIN, 200,   404,   403,   403,   403,   403),
    "profiles.suggest_skills":        signed_in(200),
    "profiles.upload_cv":             professionals_only(200),
    "profiles.view":                  Row(LOGIN, 200,   404,   200,   404,   200,   200),
    "profiles.wizard":                professionals_only(302),  # to the first unfinished step
    # -------------------- ranking (need_id = A's draft)
    "ranking.candidates":             Row(LOGIN, 403,   403,   200,   404,   200,   200, DRAFT),
    "ranking.candidates[open]":       Row(LOGIN, 403,   403,   200,   404,   200,   200, OPEN),
    # The sample professional gave no consent to be matched: not in A's ranked list, so 404.
    "ranking.shortlist":              Row(LOGIN, 403,   403,   404,   404,   ACT,   ACT, SHORTLIST),
    # -------------------- staff back office (user_id = a spare account)
    "staff.accounts":                 admin_only(200),
    "staff.audit":                    admin_only(200),
    "staff.change_role":              admin_only(ACT),
    "staff.dashboard":                staff_only(200),
    "staff.disable_user":             admin_only(ACT),
    "staff.enable_user":              admin_only(ACT),
    "staff.reset_two_factor":         admin_only(ACT),
    "staff.user_detail":              staff_only(200),
    "staff.users":                    staff_only(200),
    # -------------------- surveys (open, identified; the professional is invited)
    "surveys.answer":                 Row(LOGIN, 200,   404,   404,   404,   404,   404),
    "surveys.answer_token":           everyone(404),
    "surveys.close_survey":           staff_only(ACT),
    "surveys.delete_question":        staff_only(ACT),
    "surveys.duplicate":              staff_only(ACT),
    "surveys.edit_question":          staff_only(200),
    "surveys.edit_survey":            staff_only(200),
    "surveys.export":                 staff_only(200)._replace(params=CSV),
    "surveys.index":                  signed_in(200),
    "surveys.move_question":          staff_only(ACT),
    "surveys.new_question":           staff_only(200),
    "surveys.new_survey":             staff_only(200),
    "surveys.open_survey":            staff_only(ACT),
    "surveys.preview":                staff_only(200),
    "surveys.remind":                 staff_only(ACT),
    "surveys.reorder":                staff_only(ACT),
    "surveys.results_page":           staff_only(200),
    "surveys.staff_detail":           staff_only(200),
    "surveys.staff_list":             staff_only(200),
    # Only for a survey the visitor could answer (the sample survey invites the professional).
    "surveys.thanks":                 Row(404,   200,   404,   404,   404,   404,   404),
}
# fmt: on

# Mutating routes that end the session (or the account) of whoever calls them: sent last.
SESSION_ENDING = ("auth.logout", "privacy.delete_account")

# Details of the sample objects that no refused response may contain.
SECRETS = (
    sample.SECRET_EMAIL,
    sample.SECRET_PHONE,
    sample.SECRET_JOB_TITLE,
    sample.SECRET_CV_TEXT,
    sample.SECRET_NEED_TITLE,
    sample.SECRET_NEED_CONTACT,
    sample.SECRET_INBOX_SUBJECT,
    sample.SECRET_DM_SUBJECT,
    sample.SECRET_DM_BODY,
    sample.SECRET_SURVEY_ANSWER,
)
DENIALS = (LOGIN, 401, 403, 404)


def endpoint_of(key: str) -> str:
    """`needs.detail[open]` → `needs.detail`."""
    return key.split("[", 1)[0]


def build_request(app: Flask, key: str, world: World) -> tuple[str, str]:
    """Return (method, URL) for a table row, its parameters filled from the sample world."""
    endpoint = endpoint_of(key)
    rule = next(iter(app.url_map.iter_rules(endpoint)))
    overrides = MATRIX[key].params
    values: dict[str, Any] = {}
    for name in rule.arguments:
        given = overrides.get(name, name)
        if name == "token":
            values[name] = INVALID_TOKEN
        elif isinstance(given, str) and given in world.ids:
            values[name] = world.ids[given]
        else:
            values[name] = given
    methods = rule.methods or set()
    method = "GET" if "GET" in methods else next(iter(methods - {"HEAD", "OPTIONS"}))
    with app.test_request_context():
        return method, url_for(endpoint, **values)


def outcome_matches(expected: int | str, status: int, location: str, url: str) -> bool:
    if expected == LOGIN:
        return status == 302 and "/auth/login" in location
    if expected == ACT:
        # login_manager.unauthorized() sends to /auth/login?next=...; logging out lands there too.
        refused = status in (401, 403, 404) or (status == 302 and "/auth/login?next=" in location)
        return not refused and status < 500
    return status == expected


def describe(status: int, location: str) -> str:
    return f"{status} → {location}" if location else str(status)


def database_fingerprint() -> dict[str, str]:
    """A digest of every table's rows, to prove refused requests changed nothing."""
    digests = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        text = json.dumps(sorted(repr(tuple(row)) for row in rows))
        digests[table.name] = hashlib.sha256(text.encode()).hexdigest()
    return digests


def role_clients(app: Flask, world: World) -> dict[str, FlaskClient]:
    clients = {ANONYMOUS: app.test_client()}
    for role, email in world.emails.items():
        client = app.test_client()
        response = login(client, email)
        assert response.status_code == 302, (role, response.status_code)
        assert "/auth/" not in response.headers["Location"], (role, response.headers)
        clients[role] = client
    return clients


def iter_cells(app: Flask, world: World, *, mutating: bool) -> Iterator[tuple[str, str, str, str]]:
    for key in MATRIX:
        method, url = build_request(app, key, world)
        if (method != "GET") is mutating:
            for role in ROLES:
                yield key, role, method, url


# --------------------------------------------------------------------------- the table is complete


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    """A new route cannot ship without its row."""
    routed = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    tabled = {endpoint_of(key) for key in MATRIX}
    assert sorted(routed - tabled) == [], "Endpoints missing from the access matrix"
    assert sorted(tabled - routed) == [], "Rows for endpoints that no longer exist"


def test_matrix_rows_are_complete() -> None:
    for key, row in MATRIX.items():
        for role in ROLES:
            value = row.expected(role)
            assert value in (LOGIN, ACT) or isinstance(value, int), (key, role, value)


# --------------------------------------------------------------------------- the walk


def test_access_matrix(app: Flask) -> None:
    world = build_world(app)
    clients = role_clients(app, world)
    mismatches: list[str] = []
    leaks: list[str] = []

    def check(key: str, role: str, method: str, url: str) -> None:
        expected = MATRIX[key].expected(role)
        response = clients[role].open(url, method=method)
        location = response.headers.get("Location", "")
        if os.environ.get("MATRIX_DUMP"):  # MATRIX_DUMP=1 pytest -s: print every cell
            print(f"CELL {key} {role} {method} {url} {describe(response.status_code, location)}")
        if expected == LOGIN and url.startswith("/api/"):
            expected = 401
        if not outcome_matches(expected, response.status_code, location, url):
            mismatches.append(
                f"{key:34} {role:19} {method:5} {url}: "
                f"got {describe(response.status_code, location)}, expected {expected}"
            )
        if expected in DENIALS:
            body = response.get_data(as_text=True)
            found = [secret for secret in SECRETS if secret in body]
            if found:
                leaks.append(f"{key} as {role}: {method} {url} shows {found}")

    # 1. Every page (GET), every role.
    for cell in iter_cells(app, world, mutating=False):
        check(*cell)

    # 2. Every mutating route, refused roles first: the database must not change.
    with app.app_context():
        before = database_fingerprint()
    allowed_cells = []
    for key, role, method, url in iter_cells(app, world, mutating=True):
        if MATRIX[key].expected(role) == ACT:
            allowed_cells.append((key, role, method, url))
        else:
            check(key, role, method, url)
    with app.app_context():
        after = database_fingerprint()
    changed = sorted(name for name in before if before[name] != after[name])

    # 3. Then the roles who may act (session-ending routes last), with an empty form.
    allowed_cells.sort(key=lambda cell: endpoint_of(cell[0]) in SESSION_ENDING)
    for key, role, method, url in allowed_cells:
        if endpoint_of(key) in SESSION_ENDING and role != ANONYMOUS:
            login(clients[role], world.emails[role])  # the previous one may have ended it
        check(key, role, method, url)

    cells = len(MATRIX) * len(ROLES)
    report = [f"{len(mismatches)} of {cells} cells differ:", *mismatches]
    report += ["Refused responses showing private data:", *leaks] if leaks else []
    report += [f"Refused mutating requests changed tables: {changed}"] if changed else []
    assert (mismatches, leaks, changed) == ([], [], []), "\n".join(report)
