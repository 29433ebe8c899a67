"""External URLs for emails built outside a request (the worker), from APP_BASE_URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of an endpoint, in or out of a request."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(str(current_app.config["APP_BASE_URL"]))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
