"""Every route states who may enter: a view without an access rule cannot ship."""

from __future__ import annotations

from flask import Flask

from app.auth.access import ACCESS_ATTRIBUTE


def test_every_endpoint_declares_its_access_rule(app: Flask) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, ACCESS_ATTRIBUTE):
            missing.append(f"{rule.endpoint} ({rule.rule})")
    assert missing == [], "Views without public/signed_in/roles_required: " + ", ".join(missing)
