"""Infrastructure for the route × role access matrix (the full table is filled in by the lead).

`MATRIX` maps an endpoint to the status each role gets on GET (or the method given in
`METHODS`). `build_url` fills URL parameters with sample ids: any `<int:..._id>` gets an id that
exists for the test (see `sample_ids`), so a 404 means "object hidden", not "bad URL".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

from tests.conftest import login

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "professional", "institution_member", "rca_staff", "admin")
LOGIN = 302  # anonymous visitors are redirected to log in

# {endpoint: {role: expected status}}; the lead completes it when every feature's routes exist.
MATRIX: dict[str, dict[str, int]] = {
    "staff.dashboard": {
        ANONYMOUS: LOGIN,
        "professional": 403,
        "institution_member": 403,
        "rca_staff": 200,
        "admin": 200,
    },
    "staff.users": {
        ANONYMOUS: LOGIN,
        "professional": 403,
        "institution_member": 403,
        "rca_staff": 200,
        "admin": 200,
    },
    "staff.user_detail": {
        ANONYMOUS: LOGIN,
        "professional": 403,
        "institution_member": 403,
        "rca_staff": 200,
        "admin": 200,
    },
    "staff.audit": {
        ANONYMOUS: LOGIN,
        "professional": 403,
        "institution_member": 403,
        "rca_staff": 403,
        "admin": 200,
    },
    "staff.accounts": {
        ANONYMOUS: LOGIN,
        "professional": 403,
        "institution_member": 403,
        "rca_staff": 403,
        "admin": 200,
    },
    "privacy.your_data": {
        ANONYMOUS: LOGIN,
        "professional": 200,
        "institution_member": 200,
        "rca_staff": 200,
        "admin": 200,
    },
    "privacy.staff_erase": {
        ANONYMOUS: LOGIN,
        "professional": 403,
        "institution_member": 403,
        "rca_staff": 200,
        "admin": 200,
    },
    "auth.twofactor_manage": {
        ANONYMOUS: LOGIN,
        "professional": 200,
        "institution_member": 200,
        "rca_staff": 200,
        "admin": 200,
    },
}
METHODS: dict[str, str] = {}


def sample_ids(make_user: Callable[..., Any]) -> dict[str, int]:
    """Create the objects URLs point at and return {url parameter name: id}."""
    member = make_user("professional")
    return {"user_id": member.id}


def build_url(app: Flask, endpoint: str, ids: dict[str, int]) -> str:
    """Return the URL of endpoint with every parameter filled from ids (KeyError if missing)."""
    rules: list[Rule] = list(app.url_map.iter_rules(endpoint))
    assert rules, f"no route for {endpoint}"
    values = {name: ids[name] for name in rules[0].arguments}
    with app.test_request_context():
        return url_for(endpoint, **values)


def test_matrix_endpoints_exist(app: Flask) -> None:
    endpoints = set(app.view_functions)
    assert set(MATRIX) <= endpoints, set(MATRIX) - endpoints
    for expected in MATRIX.values():
        assert set(expected) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app: Flask, make_user: Callable[..., Any], role: str) -> None:
    ids = sample_ids(make_user)
    client = app.test_client()
    if role != ANONYMOUS:
        user = make_user(role)
        assert login(client, user.email).status_code == 302
    failures = []
    for endpoint, expected in MATRIX.items():
        url = build_url(app, endpoint, ids)
        method = METHODS.get(endpoint, "GET")
        status = client.open(url, method=method).status_code
        if status != expected[role]:
            failures.append(f"{method} {url} as {role}: {status}, expected {expected[role]}")
    assert failures == []
