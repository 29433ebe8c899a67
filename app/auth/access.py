"""The one place where access to views is declared and checked.

Every view carries an access rule (public, signed_in or roles_required); a test walks the URL map
and refuses any endpoint without one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from app.auth.models import Role
from app.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

ACCESS_ATTRIBUTE = "access_rule"


def public(view: F) -> F:
    """Anyone may enter, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, ("public",))
    return view


def signed_in(view: F) -> F:
    """Any signed-in account may enter; anonymous visitors are sent to log in."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTRIBUTE, ("signed_in",))
    return wrapper  # type: ignore[return-value]


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Only accounts holding one of the roles may enter (admin counts as staff).

    Anonymous visitors are redirected to log in; signed-in accounts of another role get 403.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, ("roles", *sorted(str(role) for role in roles)))
        return wrapper  # type: ignore[return-value]

    return decorator


staff_required = roles_required(Role.RCA_STAFF)
admin_required = roles_required(Role.ADMIN)
