"""Configuration: production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SETTINGS = {
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "APP_ALLOW_MEMORY_RATELIMIT",
}
GOOD = {
    "SECRET_KEY": "x" * 48,
    "DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/x",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
}


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in STARTUP_SETTINGS}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app('production')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _start({"DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_secret_key_database_and_shared_rate_limit_store() -> None:
    result = _start(GOOD)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("storage", [None, "", "memory://", "MEMORY://"])
def test_production_refuses_in_memory_rate_limit_storage(storage: str | None) -> None:
    env = {k: v for k, v in GOOD.items() if k != "RATELIMIT_STORAGE_URI"}
    if storage is not None:
        env["RATELIMIT_STORAGE_URI"] = storage
    result = _start(env)
    assert result.returncode != 0
    assert "RATELIMIT_STORAGE_URI" in result.stderr
    assert "APP_ALLOW_MEMORY_RATELIMIT" in result.stderr  # the message names the override


def test_production_starts_with_memory_rate_limit_when_explicitly_allowed() -> None:
    env = {k: v for k, v in GOOD.items() if k != "RATELIMIT_STORAGE_URI"}
    result = _start(env | {"APP_ALLOW_MEMORY_RATELIMIT": "1"})
    assert result.returncode == 0, result.stderr


def test_memory_rate_limit_storage_is_recognised() -> None:
    from config.settings import uses_memory_ratelimit

    assert uses_memory_ratelimit(None) and uses_memory_ratelimit("memory://")
    assert uses_memory_ratelimit(" Memory:// ")
    assert not uses_memory_ratelimit("redis://127.0.0.1:6379/0")
    assert not uses_memory_ratelimit("memcached://127.0.0.1:11211")


def test_production_cookies_are_secure() -> None:
    from config.settings import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.PERMANENT_SESSION_LIFETIME.total_seconds() <= 12 * 3600
