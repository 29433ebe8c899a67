"""Compatibility shim: the route × role access matrix now lives in test_access_matrix.py.

One source of truth: `MATRIX` (every endpoint × every role), its sample world
(tests/factories/matrix.py) and the tests that walk `app.url_map` and every cell are all in
`tests/security/test_access_matrix.py`; this module only re-exports its names.
"""

from __future__ import annotations

from tests.factories.matrix import ANONYMOUS, ROLES, build_world
from tests.security.test_access_matrix import ACT, LOGIN, MATRIX, Row, build_request

__all__ = [
    "ACT",
    "ANONYMOUS",
    "LOGIN",
    "MATRIX",
    "ROLES",
    "Row",
    "build_request",
    "build_world",
]
