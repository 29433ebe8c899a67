"""HTTP views of the profiles feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("profiles", __name__, url_prefix="/profile")
