"""`flask users create-staff` / `create-admin`: verified staff accounts under the sign-up policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.passwords import verify_password
from app.extensions import db

PASSPHRASE = "ministry staff passphrase here"


def _accounts(app: Flask, email: str) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(select(User).where(User.email == email)))


@pytest.mark.parametrize(
    ("command", "role"), [("create-staff", "rca_staff"), ("create-admin", "admin")]
)
def test_create_command_makes_a_verified_account_of_its_role(
    app: Flask, command: str, role: str
) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", command, "Grace@RCA.gov.rw", "--password", PASSPHRASE, "--name", "Grace"]
    )
    assert result.exit_code == 0, result.output
    (user,) = _accounts(app, "grace@rca.gov.rw")  # stored lower-cased
    assert (user.role, user.full_name, user.is_verified) == (role, "Grace", True)
    with app.app_context():
        assert verify_password(user.password_hash, PASSPHRASE)
    assert user.email in result.output and str(user.id) in result.output


def test_create_staff_asks_for_the_password_twice_without_echo(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create-staff", "prompted@rca.gov.rw"],
        input=f"{PASSPHRASE}\n{PASSPHRASE}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSPHRASE not in result.output
    assert len(_accounts(app, "prompted@rca.gov.rw")) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", "too common"),
        ("Password123!", "too common"),
        ("short pw", "at least 10 characters"),
        ("x" * 1025, "at most"),
    ],
)
@pytest.mark.parametrize("command", ["create-staff", "create-admin"])
def test_create_commands_apply_the_sign_up_password_policy(
    app: Flask, command: str, password: str, message: str
) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", command, "weak@rca.gov.rw", "--password", password]
    )
    assert result.exit_code != 0
    assert message in result.output
    assert _accounts(app, "weak@rca.gov.rw") == []


def test_create_staff_refuses_a_taken_email(app: Flask, make_user: Callable[..., Any]) -> None:
    existing = make_user("professional")
    result = app.test_cli_runner().invoke(
        args=["users", "create-staff", existing.email.upper(), "--password", PASSPHRASE]
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(User).where(User.email == existing.email)
        )
        stored = db.session.get(User, existing.id)
    assert count == 1 and stored is not None and stored.role == "professional"
