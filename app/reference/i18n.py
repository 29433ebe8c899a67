"""Optional lazy translation marker that works with or without Flask-Babel."""

from __future__ import annotations

try:  # Flask-Babel is optional so the reference data stays usable in scripts and benchmarks.
    from flask_babel import lazy_gettext as _flask_lazy_gettext
except ImportError:  # pragma: no cover - depends on the environment
    _flask_lazy_gettext = None


def lazy_gettext(s: str) -> str:
    """Mark s for translation, lazily translated when Flask-Babel is available."""
    if _flask_lazy_gettext is None:
        return s
    return _flask_lazy_gettext(s)  # type: ignore[no-any-return]
