"""HTTP views of the api feature: a versioned, read-mostly JSON API on the site's session."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException

from app.api import serializers
from app.api.services import InvalidPayload, update_profile_from_json
from app.auth.access import public, roles_required, signed_in, staff_required
from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db, limiter, login_manager
from app.insights import reports
from app.insights.forms import PeriodForm
from app.needs import access as need_access
from app.needs import queries as need_queries
from app.needs.forms import BrowseForm
from app.needs.models import Need
from app.profiles import services as profiles
from app.reference.skills import suggest

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Every API route shares one per-client rate limit (APP_API_RATE_LIMIT).
limiter.shared_limit(lambda: str(current_app.config["API_RATE_LIMIT"]), scope="api")(bp)

# The one place where the API answers 401 instead of redirecting to the log-in page: with no
# login view for this blueprint, Flask-Login's unauthorized() (called by the access decorators)
# aborts with 401, which the handler below renders as JSON.
login_manager.blueprint_login_views[bp.name] = None  # type: ignore[assignment]

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


class MalformedBody(DomainError):
    """The body is not JSON, or not a JSON object (400 through the app's JSON error handler)."""


def _error(code: int, message: str, fields: dict[str, str] | None = None) -> ResponseReturnValue:
    body: dict[str, Any] = {"code": code, "title": _title(code), "message": message}
    if fields:
        body["fields"] = fields
    return jsonify(error=body), code


def _title(code: int) -> str:
    return {
        400: _("Bad request"),
        401: _("Authentication required"),
        415: _("Unsupported media type"),
    }.get(code, _("Error"))


@bp.errorhandler(401)
def _unauthorized(error: HTTPException) -> ResponseReturnValue:
    return _error(401, _("Log in to use this part of the API."))


@bp.errorhandler(415)
def _unsupported(error: HTTPException) -> ResponseReturnValue:
    return _error(415, _("Send the body as JSON with Content-Type: application/json."))


@bp.errorhandler(InvalidPayload)
def _invalid(error: InvalidPayload) -> ResponseReturnValue:
    return _error(400, error.message, error.errors)


def _form_errors(form: Any) -> dict[str, str]:
    return {name: str(messages[0]) for name, messages in form.errors.items() if messages}


def _positive_int(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = f"1–{maximum}" if maximum else "≥ 1"
        raise InvalidPayload({name: _("Use a whole number (%(range)s).", range=limit)})
    return value


def _json_body() -> dict[str, Any]:
    if request.mimetype != "application/json":
        abort(415)
    try:
        payload = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        payload = None
        message = _("The body is not valid JSON.")
    else:
        message = _("The body must be a JSON object.")
    if not isinstance(payload, dict):
        raise MalformedBody(message)
    return payload


# --------------------------------------------------------------------------- needs


@bp.get("/needs")
@public
def needs() -> ResponseReturnValue:
    form = BrowseForm(request.args)
    if not form.validate():
        raise InvalidPayload(_form_errors(form))
    page = _positive_int("page", 1)
    per_page = _positive_int("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    filters = need_queries.NeedFilters(
        q=form.q.data or "",
        sector=form.sector.data or "",
        mode=form.mode.data or "",
        district=form.district.data or "",
        available_from=form.available_from.data,
        available_to=form.available_to.data,
        languages=[c for c in form.languages.data or [] if c],
        skills=[s for s in (form.skills.data or "").split(",") if s.strip()],
    )
    pagination = db.paginate(
        need_queries.search_needs(filters), page=page, per_page=per_page, error_out=False
    )
    return jsonify(
        data=[serializers.need_summary(need) for need in pagination.items],
        meta={
            "page": page,
            "per_page": per_page,
            "total": pagination.total,
            "pages": pagination.pages,
        },
        links={
            "self": url_for("api.needs", **(request.args.to_dict(flat=False) | {"page": page})),
            "next": url_for("api.needs", **(request.args.to_dict(flat=False) | {"page": page + 1}))
            if pagination.has_next
            else None,
            "prev": url_for("api.needs", **(request.args.to_dict(flat=False) | {"page": page - 1}))
            if pagination.has_prev
            else None,
        },
    )


@bp.get("/needs/<int:need_id>")
@public
def need(need_id: int) -> ResponseReturnValue:
    item = db.session.get(Need, need_id)
    if item is None or not need_access.can_view_need(current_user, item):
        abort(404)
    with_contact = need_access.can_see_need_contact(current_user, item)
    return jsonify(data=serializers.need_detail(item, with_contact=with_contact))


# --------------------------------------------------------------------------- me


@bp.get("/me")
@signed_in
def me() -> ResponseReturnValue:
    data: dict[str, Any] = {"account": serializers.account(current_user)}
    if current_user.role == Role.PROFESSIONAL:
        profile = profiles.get_profile(current_user)
        data["profile"] = serializers.own_profile(profile) if profile else None
    # Unsafe methods need this token in an X-CSRFToken header.
    return jsonify(data=data, csrf_token=generate_csrf())


@bp.patch("/me/profile")
@roles_required(Role.PROFESSIONAL)
def update_profile() -> ResponseReturnValue:
    payload = _json_body()
    profile = profiles.get_or_create_profile(current_user)
    try:
        ignored = update_profile_from_json(profile, payload)
    except InvalidPayload:
        db.session.rollback()
        raise
    db.session.commit()
    return jsonify(data=serializers.own_profile(profile), ignored_fields=ignored)


# --------------------------------------------------------------------------- vocabulary


@bp.get("/skills/suggest")
@public
def skills_suggest() -> ResponseReturnValue:
    query = (request.args.get("q") or "")[:100]
    limit = _positive_int("limit", 10, 25)
    # Any language finds a skill; each is shown by its label in the page's language.
    language = str(get_locale() or "en")
    return jsonify(data=suggest(query, limit=limit, language=language) if query.strip() else [])


# --------------------------------------------------------------------------- insights


@bp.get("/insights/summary")
@staff_required
def insights_summary() -> ResponseReturnValue:
    form = PeriodForm(request.args)
    if not form.validate():
        raise InvalidPayload(_form_errors(form))
    return jsonify(data=reports.summary(form.period()))
