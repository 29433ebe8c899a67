"""Configuration: production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
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


def test_production_starts_with_secret_key_and_database() -> None:
    result = _start({"SECRET_KEY": "x" * 48, "DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/x"})
    assert result.returncode == 0, result.stderr


def test_production_cookies_are_secure() -> None:
    from config.settings import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.PERMANENT_SESSION_LIFETIME.total_seconds() <= 12 * 3600
