"""Redirect targets (`next=`) are parsed: only a path on this site is followed (issue 16, point 7).

One function decides (app.security.local_redirect_target); every place that follows a
user-supplied target (log-in, the two-factor step, the language switch, the ranking buttons) asks
it through app.auth.sessions.is_safe_redirect. The table below is checked against the function
and, end to end, against the log-in form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.security import local_redirect_target

HOSTILE = [
    "//evil.com",
    "///evil.com",
    "\\\\evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "https:evil.com",
    "http:/evil.com",
    "http://evil.com/",
    "HTTPS://evil.com",
    "https://evil.com@localhost/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "%2F%2Fevil.com",
    "/%2F%2Fevil.com",
    "/%2f/evil.com",
    "/%252F%252Fevil.com",
    "/%5Cevil.com",
    "/%5C%5Cevil.com",
    "\t//evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    " //evil.com",
    "//evil.com\x00",
    "/\x00/evil.com",
    "/..//evil.com",
    "/./evil.com",
    "/auth/../..//evil.com",
    "/%2e%2e//evil.com",
    "@evil.com",
    "evil.com",
    "evil.com/auth/account",
    "\uff0f\uff0fevil.com",  # fullwidth solidus
    "/\uff0fevil.com",
    "/\u2215evil.com",  # division slash
    "//evil\u3002com",  # ideographic full stop
    "/\u200b/evil.com",  # zero-width space
    "//localhost/auth/account",
    "//[::1]/auth/account",
    "/" + "a" * 3000,
    "",
]

# Good targets are kept exactly, query string and fragment included.
GOOD = [
    "/",
    "/auth/account",
    "/needs/12/candidates?page=2&sort=score",
    "/profiles/me?tab=cv#experience",
    "/search?q=infirmi%C3%A8re&lang=fr",
    "/needs/?status=open&next=%2Fauth%2Faccount",
    "/@me",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_target_is_refused(target: str) -> None:
    assert local_redirect_target(target) is None


@pytest.mark.parametrize("target", GOOD)
def test_local_target_is_kept_with_its_query(target: str) -> None:
    assert local_redirect_target(target) == target


def test_none_is_refused() -> None:
    assert local_redirect_target(None) is None


def test_table_is_large_enough() -> None:
    assert len(HOSTILE) >= 20


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_follows_a_hostile_target(
    client: FlaskClient, make_user: Callable[..., Any], target: str
) -> None:
    user = make_user("professional")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    # The request-wide guard may refuse a target with a NUL byte before the view runs.
    assert response.status_code in {302, 400}
    if response.status_code == 302:
        assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize("target", GOOD)
def test_login_follows_a_local_target(
    client: FlaskClient, make_user: Callable[..., Any], target: str
) -> None:
    user = make_user("professional")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target
