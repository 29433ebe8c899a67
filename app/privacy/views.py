"""HTTP views of the privacy feature: consents, data export and erasure."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy-centre")
