"""Password hashing (argon2id) and the password policy (length, common passwords)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _cached_hasher(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=4)
def _cached_hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return True when the password matches the hash; never raises for a bad hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with weaker parameters than the current ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


# A dummy hash verified when no account matches, so a log-in takes as long either way.
def burn_verification_time(password: str) -> None:
    """Spend the time of one verification, so timing does not reveal whether an email exists."""
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-for-timing")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords from zxcvbn's frequency lists, plus local favourites."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    local = {"umuhuza2026", "rwanda2026!", "kigali12345", "murakoze123", "password123!"}
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(local)


def is_common_password(password: str) -> bool:
    """Return True when the password (case-insensitive) is on the common-passwords list."""
    candidate = password.strip().lower()
    if candidate in common_passwords():
        return True
    # "password1234" is as weak as "password": strip trailing digits and symbols and look again.
    stripped = candidate.rstrip("0123456789!@#$%^&*?.")
    return len(stripped) >= 4 and stripped in common_passwords() and len(set(candidate)) < 8


def password_problem(password: str) -> str | None:
    """Return why the password breaks the policy (length, common password), or None if it passes.

    The one policy for sign-up, reset, change, staff accounts made by an admin and the CLI.
    """
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    maximum = current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(n)s characters.", n=minimum)
    if len(password) > maximum:
        return _("Use at most %(n)s characters.", n=maximum)
    if is_common_password(password):
        return _("This password is too common. A few unrelated words make a strong passphrase.")
    return None
