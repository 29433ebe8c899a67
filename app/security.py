"""Security headers on every response (CSP without inline scripts, no framing, no sniffing)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from flask import Flask, Response, abort, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter, ValidationError

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def init_security_headers(app: Flask) -> None:
    """Add the headers after every response."""

    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SECURITY_HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Pages shown to a signed-in user hold personal data: never keep them in a shared cache.
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response


_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{kind}{i}" for kind in ("COM", "LPT") for i in range(10)}
)


def safe_filename(name: str, *, default: str = "file") -> str:
    """Return a file name that cannot leave its directory or surprise a shell or a browser.

    Path parts, "..", control and non-ASCII characters, leading dots and Windows device names
    are removed: "../../etc/passwd" becomes "passwd", "C:\\x\\a b.pdf" becomes "a_b.pdf".
    """
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME_CHARS.sub("_", name).strip("._-")
    name = re.sub(r"\.{2,}", ".", name)
    stem = name.split(".", 1)[0].upper()
    if stem in _WINDOWS_DEVICE_NAMES:
        name = f"_{name}"
    return name[:120] or default


def path_inside(directory: Path, name: str) -> Path | None:
    """Return directory/name when that path really stays inside directory, else None."""
    base = directory.resolve()
    candidate = (base / name).resolve()
    return candidate if candidate.is_relative_to(base) and candidate != base else None


# A redirect target is at most this long; a longer one is refused rather than parsed.
MAX_REDIRECT_LENGTH = 2048


def local_redirect_target(target: str | None) -> str | None:
    """Return target when it is a path on this site (query and fragment kept), else None.

    The target is parsed, not pattern-matched: it must have no scheme and no host (so
    "https:evil.com", "http:/evil", "javascript:..." and "//evil" fail), its path must be
    absolute, and neither the path as sent nor its percent-decoded forms may begin with two
    slashes, hold a backslash or a dot segment ("/..//evil" collapses to "//evil" in a browser).
    Only printable ASCII is accepted: browsers drop tabs and newlines inside URLs ("/\t/evil"
    becomes "//evil") and fold some Unicode lookalikes ("\uff0f") into "/", and a real local
    URL (from url_for or a login redirect) is always percent-encoded ASCII.
    """
    if not target or len(target) > MAX_REDIRECT_LENGTH:
        return None
    if not all("!" <= char <= "~" for char in target) or "\\" in target:
        return None
    # urlsplit("///evil") reports an empty host and the path "/evil"; a browser goes to evil.
    if not target.startswith("/") or target.startswith("//"):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unbalanced "[" that looks like an IPv6 host
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    for _round in range(3):  # "%252F" decodes to "%2F", then to "/"
        if path.startswith("//") or "\\" in path or not path.isprintable():
            return None
        if any(segment in {".", ".."} for segment in path.split("/")):
            return None
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    else:
        return None
    return target


# The largest whole number a database integer of either backend holds (SQLite INTEGER and
# PostgreSQL BIGINT are 64-bit): beyond it the drivers raise instead of comparing.
MAX_DATABASE_INT = 2**63 - 1
# The largest row id: ids are INTEGER columns, 32-bit on PostgreSQL ("integer out of range").
MAX_RECORD_ID = 2**31 - 1
# Characters refused anywhere in a path, query or form value: NUL (PostgreSQL refuses it in text,
# SQLite stores it and truncates on display), other C0 controls but tab/newline/CR, and U+FFFD,
# which is what werkzeug puts in place of undecodable bytes and lone surrogates.
_HOSTILE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` that does not match a number no id column holds: a 404, not an OverflowError
    from SQLite on 2**64 nor "integer out of range" from PostgreSQL on 2**31."""

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_RECORD_ID:
            raise ValidationError()
        return number


def record_id(value: str) -> int:
    """`type=` for `request.args.get("need_id", type=record_id)`: a positive id an id column can
    hold, else ValueError (werkzeug then returns the default, usually None)."""
    number = int(value)
    if not 0 < number <= MAX_RECORD_ID:
        raise ValueError(value)
    return number


def optional_record_id(value: object) -> int | None:
    """The id in value (text or int) when an id column can hold it, else None."""
    try:
        return record_id(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def has_hostile_chars(value: str) -> bool:
    return _HOSTILE_CHARS.search(value) is not None


_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d{19,}\s*")


def is_hostile_value(value: str) -> bool:
    """True for text no field can use: hostile characters, or a whole number beyond 64 bits
    (every int() of a query or form value would overflow the database driver on it)."""
    if has_hostile_chars(value):
        return True
    return _WHOLE_NUMBER.fullmatch(value) is not None and abs(int(value)) > MAX_DATABASE_INT


def _query_is_clean(raw: bytes) -> bool:
    """True when the raw query string and every percent-decoded value are valid UTF-8 text
    without NUL or control characters."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return False
    return not any(has_hostile_chars(key) or is_hostile_value(value) for key, value in pairs)


def refuse_hostile_request() -> None:
    """Answer 400 before any view runs when the path, the query string or a form value holds
    bytes no page can use: invalid UTF-8 (request.args would raise), NUL, control characters,
    or a whole number beyond 64 bits.

    Runs first among the before-request functions so that nothing (the session check, the
    locale selector, the error page's own use of request.full_path) parses the bad query first.
    """
    if not _query_is_clean(request.query_string):
        # The error page renders request.full_path: give it a query string it can decode.
        request.query_string = b""
        abort(400)
    if has_hostile_chars(request.path):
        abort(400)
    if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        for key, value in request.form.items(multi=True):
            if has_hostile_chars(key) or is_hostile_value(value):
                abort(400)
    elif request.is_json and request.content_length != 0:
        refuse_hostile_json()


# Deeper JSON is refused: no client of ours nests more than a few levels, and the decoder
# recurses once per level (10,000 levels raise RecursionError inside Flask-WTF or the API).
MAX_JSON_DEPTH = 32


def _is_hostile_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return is_hostile_value(value)
    return isinstance(value, int) and abs(value) > MAX_DATABASE_INT


def refuse_hostile_json() -> None:
    """Answer 400 (a JSON error under /api/) unless the body is a JSON object of bounded depth
    whose keys and strings hold no NUL, control characters or lone surrogates.

    Every route sees this, not only the API: Flask-WTF reads a JSON body as form data and
    fails on a list, a number or a nesting too deep for the decoder.
    """
    from flask_babel import gettext as _

    from app.errors import DomainError

    try:
        payload = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, RecursionError):
        raise DomainError(_("The body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise DomainError(_("The body must be a JSON object."))
    stack: list[tuple[Any, int]] = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise DomainError(_("The body is not valid JSON."))
        if isinstance(value, dict):
            for key, item in value.items():
                if has_hostile_chars(key):
                    raise DomainError(_("The body is not valid JSON."))
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif _is_hostile_scalar(value):
            raise DomainError(_("The body is not valid JSON."))


def init_input_guards(app: Flask) -> None:
    """Bounded `<int:>` ids and the request-wide input check; call before blueprints register."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_request)
