"""Domain errors raised by services, and the HTML/JSON error pages."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A business rule refused the action; the message is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class InvalidTransition(Conflict):
    """A state machine refused a transition."""


def wants_json() -> bool:
    """Return True when the client is the JSON API or asked for JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _title(code: int) -> str:
    titles = {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("File or request too large"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }
    return titles.get(code, _("Error"))


def _explanation(code: int) -> str:
    texts = {
        400: _("The request could not be understood. Please check what you entered and try again."),
        403: _("You do not have permission to open this page."),
        404: _("We could not find that page. It may have moved or never existed."),
        405: _("This page cannot be used that way."),
        409: _("The action conflicts with the current state. Reload the page and try again."),
        413: _("What you sent is larger than we accept. Files may be at most 5 MB."),
        429: _("You have made too many attempts. Please wait a moment and try again."),
        500: _(
            "An unexpected error happened on our side. It has been logged; please try again later."
        ),
    }
    return texts.get(code, _("An error occurred."))


def render_error(code: int, message: str | None = None) -> ResponseReturnValue:
    """Render an error as JSON for API clients or as a page in the site's look."""
    if wants_json():
        return jsonify(
            error={"code": code, "title": _title(code), "message": message or _explanation(code)}
        ), code
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=_title(code),
            message=message or _explanation(code),
        ),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    """Attach the error pages and the DomainError translation to the app."""

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> ResponseReturnValue:
        return render_error(
            400, _("Your form expired or was not sent from this site. Please try again.")
        )

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        response = render_error(code)
        if code == 405 and error.get_response().headers.get("Allow"):
            body, status = response  # type: ignore[misc]
            return body, status, {"Allow": error.get_response().headers["Allow"]}
        return response

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError) -> ResponseReturnValue:
        return render_error(error.status_code, error.message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error")
        from app.extensions import db

        db.session.rollback()
        return render_error(500)


def show_on_form(form: object, error: DomainError) -> None:
    """Put a service's error next to the field it names, or flash it when the form has none."""
    from flask import flash

    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        flash(error.message, "error")
        return
    # A FieldList keeps its entries' errors as lists or dicts: keep those out of the message list.
    field.errors = [*(e for e in field.errors if isinstance(e, str)), error.message]
