"""HTTP views of the insights feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("insights", __name__, url_prefix="/insights")
