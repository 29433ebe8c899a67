"""Account services without HTTP."""

from __future__ import annotations

import pytest
from flask import Flask

from app.auth import services
from app.auth.models import Role
from app.auth.passwords import hash_password, is_common_password, verify_password
from app.errors import DomainError


def test_passwords_are_argon2id_hashes(app_context: Flask) -> None:
    hashed = hash_password("a long passphrase")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long passphrase")
    assert not verify_password(hashed, "another passphrase")
    assert not verify_password("not-a-hash", "anything")


@pytest.mark.parametrize("password", ["password", "Password1234", "qwertyuiop", "iloveyou"])
def test_common_passwords_are_recognised(password: str, app_context: Flask) -> None:
    assert is_common_password(password)


def test_passphrases_are_not_common(app_context: Flask) -> None:
    assert not is_common_password("lake kivu sunrise over gisenyi")


def test_staff_accounts_cannot_be_self_registered(app_context: Flask) -> None:
    with pytest.raises(DomainError):
        services.register_user("x@example.org", "a long passphrase", Role.RCA_STAFF)


def test_create_staff_account_is_verified(app_context: Flask) -> None:
    user = services.create_staff_account("staff@example.org", "a long passphrase", Role.ADMIN)
    assert user.is_verified and user.has_role(Role.RCA_STAFF) and user.is_staff
    with pytest.raises(services.EmailTaken):
        services.create_staff_account("STAFF@example.org", "a long passphrase", Role.RCA_STAFF)
