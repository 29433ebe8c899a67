"""HTTP views of the surveys feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
