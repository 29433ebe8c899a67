"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.database import Base

# Pages beyond this one are empty for every list we have; a larger number (page=10**30) would
# overflow the OFFSET the database accepts and answer 500 instead of an empty page or a 404.
MAX_PAGE = 1_000_000


class BoundedSQLAlchemy(SQLAlchemy):
    """SQLAlchemy whose paginate() clamps the page number, for every paginated list at once."""

    def paginate(self, select: Any, *, page: int | None = None, **kwargs: Any) -> Any:
        if page is None:  # flask-sqlalchemy would read ?page= itself, unbounded
            page = request.args.get("page", 1, type=int) if has_request_context() else 1
        return super().paginate(select, page=min(page or 1, MAX_PAGE), **kwargs)


db = BoundedSQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
