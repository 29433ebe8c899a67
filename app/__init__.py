"""Umuhuza: the application factory."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

# Flask is imported inside create_app so that `import app.matching` (the plain matcher library)
# does not pull the web framework in through this package's __init__.
if TYPE_CHECKING:
    from flask import Flask


def create_app(config_name: str | None = None, **overrides: object) -> Flask:
    """Build the app: config → extensions → blueprints → errors → CLI."""
    from flask import Flask

    from config.settings import get_config

    app = Flask(__name__, instance_relative_config=False)
    config = get_config(config_name)
    config.validate()
    app.config.from_object(config)
    app.config.update(overrides)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)

    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, format_decimal

    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.auth import sessions
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from app.i18n import LANGUAGE_NAMES, format_kigali_and_utc, select_locale, select_timezone
    from app.security import init_input_guards, init_security_headers

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory="migrations")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    sessions.init_sessions(app)
    init_security_headers(app)
    init_input_guards(app)
    from app.auth.models import role_label

    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        role_label=role_label,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        format_kigali_and_utc=format_kigali_and_utc,
        viewer_timezone=select_timezone,
        current_locale=select_locale,
    )
    app.jinja_env.add_extension("jinja2.ext.do")


FEATURE_BLUEPRINTS = (
    "home",
    "auth",
    "staff",
    "profiles",
    "institutions",
    "needs",
    "ranking",
    "placements",
    "outreach",
    "surveys",
    "insights",
    "api",
    "privacy",
    "health",
)


def _register_blueprints(app: Flask) -> None:
    import importlib

    for feature in FEATURE_BLUEPRINTS:
        module = importlib.import_module(f"app.{feature}.views")
        app.register_blueprint(module.bp)


def _register_errors(app: Flask) -> None:
    from app.errors import register_error_handlers

    register_error_handlers(app)


def _register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.demo.cli import demo_cli

    for group in (users_cli, demo_cli):
        app.cli.add_command(group)

    from app.jobs.cli import worker_command
    from app.outreach.cli import outreach_cli

    app.cli.add_command(worker_command)
    app.cli.add_command(outreach_cli)

    from app.needs.cli import needs_cli

    app.cli.add_command(needs_cli)

    from app.profiles.cli import profiles_cli

    app.cli.add_command(profiles_cli)

    from app.placements.cli import placements_cli

    app.cli.add_command(placements_cli)

    from app.ranking.cli import matching_cli

    app.cli.add_command(matching_cli)

    from app.privacy.cli import db_backup, db_restore, privacy_cli

    for command in (privacy_cli, db_backup, db_restore):
        app.cli.add_command(command)
