"""`make serve-prod` refuses, before starting anything, when production is not configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 48


def _serve_prod(**environment: str) -> subprocess.CompletedProcess[str]:
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(
        ["bash", "config/serve-prod.sh", str(Path(sys.executable).parent)],
        cwd=ROOT,
        env={**keep, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("environment", "reason"),
    [
        ({"DATABASE_URL": "postgresql+psycopg://u@h/d"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": SECRET}, "DATABASE_URL must be set in production."),
        (
            {"SECRET_KEY": SECRET, "DATABASE_URL": "postgresql+psycopg://u@h/d"},
            "RATELIMIT_STORAGE_URI must name a shared store",
        ),
        (
            {
                "SECRET_KEY": SECRET,
                "DATABASE_URL": "postgresql+psycopg://u@h/d",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            },
            "RATELIMIT_STORAGE_URI does not answer",
        ),
    ],
)
def test_serve_prod_refuses_with_the_reason(environment: dict[str, str], reason: str) -> None:
    result = _serve_prod(**environment)

    assert result.returncode == 2
    assert "serve-prod: refusing to start:" in result.stderr
    assert reason in result.stderr
    assert "alembic" not in result.stderr  # stopped before `db upgrade`
