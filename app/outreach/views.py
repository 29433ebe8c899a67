"""HTTP views of the outreach feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("outreach", __name__, url_prefix="/outreach")
