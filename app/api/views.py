"""HTTP views of the api feature."""

from __future__ import annotations

from flask import Blueprint, current_app

from app.extensions import limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Every API route shares one per-client rate limit (APP_API_RATE_LIMIT).
limiter.limit(lambda: str(current_app.config["API_RATE_LIMIT"]))(bp)
