"""HTTP views of the institutions feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("institutions", __name__, url_prefix="/institutions")
