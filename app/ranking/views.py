"""HTTP views of the ranking feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ranking", __name__, url_prefix="/matching")
