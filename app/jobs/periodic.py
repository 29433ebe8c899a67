"""Periodic work of other features, imported lazily: a feature not built yet is skipped."""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta
from typing import Any

from app.database import utcnow
from app.jobs.registry import periodic

log = logging.getLogger("umuhuza.worker")


def _call_if_present(module_name: str, function_name: str) -> None:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        log.debug("%s is not built yet; skipping %s", module_name, function_name)
        return
    function = getattr(module, function_name, None)
    if function is None:
        log.debug("%s.%s is not built yet; skipping", module_name, function_name)
        return
    function(utcnow())


@periodic("expire-needs", every=timedelta(hours=1))
def expire_needs(payload: dict[str, Any]) -> None:
    # TODO(needs): app.needs.services.expire_needs(now) is being written; this runs it once built.
    _call_if_present("app.needs.services", "expire_needs")


@periodic("profile-reconfirmation", every=timedelta(days=1))
def send_reconfirmation_requests(payload: dict[str, Any]) -> None:
    # TODO(profiles): runs app.profiles.services.send_reconfirmation_requests(now) once it exists.
    _call_if_present("app.profiles.services", "send_reconfirmation_requests")


@periodic("re-embedding", every=timedelta(minutes=10))
def reembed_stale(payload: dict[str, Any]) -> None:
    # TODO(ranking): re-embed profiles and needs whose text changed, once ranking provides it.
    _call_if_present("app.ranking.services", "reembed_stale")
