"""HTTP views of the health feature: /healthz (the process answers) and /readyz (it can serve)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from app.auth.access import public
from app.extensions import limiter
from app.health import services

bp = Blueprint("health", __name__)

# Probes are polled every few seconds by machines: never rate-limited, never cached, and they
# neither read nor write the session (no cookie is set).
_NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
@public
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """Liveness: this process answers HTTP. Touches nothing else, so a database outage does not
    get every worker restarted by the process manager."""
    return jsonify(status="ok"), 200, _NO_STORE


@bp.get("/readyz")
@public
@limiter.exempt
def readyz() -> ResponseReturnValue:
    """Readiness: 200 once the database answers at the migrations' head and the index is in."""
    readiness = services.check_readiness()
    body: dict[str, object] = {"status": readiness.status, "checks": readiness.checks}
    if not readiness.ready:
        body["failing"] = readiness.failing
        return jsonify(body), 503, _NO_STORE
    return jsonify(body), 200, _NO_STORE
