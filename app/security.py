"""Security headers on every response (CSP without inline scripts, no framing, no sniffing)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask, Response
from flask_login import current_user

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
