"""No 5xx from hostile input, anywhere (issue 16, point 3).

Walks the WHOLE url_map (web and API), as anonymous and as each role of the access-matrix world
(professional, institution member, staff, admin), and sends hostile values:

- in every path converter: 0, -1, 2**31 (beyond a PostgreSQL INTEGER id), 2**64, NUL,
  a lone surrogate (as its UTF-8 bytes), over-long strings;
- in every query parameter the view code reads (found by reading the source of each view module:
  `request.args.get("...")`, `_positive_int("...")`, the fields of a form built from
  `request.args`) plus common ones (page, q, sort, status, next, lang), all at once and one by
  one, including raw invalid UTF-8 in the query string; only for the roles that get past the
  door on a plain GET (for the others the view's code never runs);
- to every mutating route: hostile values in every field its forms declare, and JSON bodies
  that are not an object, are nested 10,000 deep, or carry NUL, lone surrogates, huge numbers.

Every answer must be 2xx/3xx/4xx. New routes and parameters are covered without editing this
file. One client per role, one app, one world: the whole walk is a single test.
"""

from __future__ import annotations

import inspect
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from wtforms.fields.core import UnboundField

from tests.conftest import login
from tests.factories.matrix import ADMIN, ANONYMOUS, MEMBER_A, PROFESSIONAL, STAFF, build_world

FUZZ_ROLES = (ANONYMOUS, PROFESSIONAL, MEMBER_A, STAFF, ADMIN)
COMMON_PARAMS = ("page", "per_page", "q", "sort", "status", "next", "lang", "limit")
# Endpoints that would end the fuzzing client's own session (log-out, account deletion);
# they are still walked with hostile path and JSON values by the anonymous client.
SESSION_ENDING = {"auth.logout", "privacy.delete_account"}
# A readiness probe answers 503 by design while the app is not ready (in tests: no Alembic
# version row, since the schema is created with create_all); only a 503 is accepted there.
READINESS = {"health.readyz"}

BIG = str(2**64)
HUGE = "1" + "0" * 30
INT_PATH_VALUES = ["0", "-1", str(2**31), BIG]
TEXT_PATH_VALUES = ["a%00b", "%ED%A0%80", "x" * 5000]
# Raw query values (already percent-encoded where needed; "\xff" is sent as a raw byte).
QUERY_VALUES = [
    "-1",
    str(2**63 - 1),  # fits the drivers, but not an id column nor OFFSET (page x per_page)
    BIG,
    "a%00b",
    "%ED%A0%80",  # a lone surrogate (U+D800) in UTF-8 form
    "\xff",
    "x" * 5000,
]
# One-by-one values: the classes most likely to crash a single parameter's parsing.
SINGLE_QUERY_VALUES = ["-1", str(2**31)]  # 2**31: beyond a PostgreSQL INTEGER id
FORM_VALUES = [str(2**31), HUGE, "a\x00b", "x" * 20000]
DEEP = "[" * 10000 + "]" * 10000
JSON_BODIES = [
    "[]",
    '"a string"',
    "42",
    "null",
    "true",
    DEEP,
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"headline": "a\\u0000b", "bio": "\\ud800"}',
    '{"headline": ' + BIG + ', "skills": [' + HUGE + "]}",
    '{"headline": "' + "x" * 100000 + '"}',
    "{not json",
    '{"a": 1}' + "\x00",
]

_ARG = re.compile(r"<(?:(?P<converter>[^:>]+):)?(?P<name>\w+)>")
_PARAM_PATTERNS = [
    re.compile(r"""(?:args|values)\.get(?:list)?\(\s*["'](\w+)["']"""),
    re.compile(r"""args\[\s*["'](\w+)["']\s*\]"""),
    re.compile(r"""_positive_int\(\s*["'](\w+)["']"""),
]
_ARGS_FORM = re.compile(r"([\w.]+)\(\s*(?:MultiDict\()?request\.args")
_FORM_CLASS = re.compile(r"\b([A-Z]\w*Form)\(")
_READS_JSON = re.compile(r"get_json|_json_body|request\.json")
_FORM_FIELD = re.compile(r"""request\.(?:form|values)\.get(?:list)?\(\s*["'](\w+)["']""")


def _resolve(module: Any, dotted: str) -> Any:
    value: Any = module
    for part in dotted.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _form_fields(form_class: Any) -> set[str]:
    if not isinstance(form_class, type):
        return set()
    return {
        name
        for name in dir(form_class)
        if isinstance(getattr(form_class, name, None), UnboundField)
    }


@dataclass
class Target:
    rule: Rule
    methods: list[str]
    module_params: set[str] = field(default_factory=set)
    own_params: set[str] = field(default_factory=set)
    form_fields: set[str] = field(default_factory=set)
    reads_json: bool = False


def _source(obj: Any) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def discover(app: Flask) -> list[Target]:
    """Every rule with its methods, the query parameters of its module and view, and the fields
    of the forms its view builds."""
    targets = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        unwrapped = inspect.unwrap(view)
        module = sys.modules.get(unwrapped.__module__)
        module_source = _source(module) if module else ""
        view_source = _source(unwrapped)

        def params_in(text: str, module: Any = module) -> set[str]:
            names: set[str] = set()
            for pattern in _PARAM_PATTERNS:
                names.update(pattern.findall(text))
            for dotted in _ARGS_FORM.findall(text):
                names.update(_form_fields(_resolve(module, dotted)))
            return names

        fields: set[str] = set(_FORM_FIELD.findall(view_source))
        for name in _FORM_CLASS.findall(view_source):
            fields.update(_form_fields(_resolve(module, name)))
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        targets.append(
            Target(
                rule=rule,
                methods=methods,
                module_params=params_in(module_source) | set(COMMON_PARAMS),
                own_params=params_in(view_source),
                form_fields=fields,
                reads_json=bool(_READS_JSON.search(view_source)),
            )
        )
    return targets


def _sample(converter: str | None, name: str, ids: dict[str, int]) -> str:
    if name in ids:
        return str(ids[name])
    if converter and converter.startswith("any("):
        return converter[4:].split(",")[0].strip(" )")
    return {"table": "members_by_gender", "fmt": "csv", "filename": "css/app.css"}.get(
        name, "invalid-token-0000"
    )


def build_path(rule: Rule, ids: dict[str, int], hostile: tuple[str, str] | None = None) -> str:
    """The rule's path with sample values, one argument replaced by a raw hostile value."""

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if hostile and hostile[0] == name:
            return hostile[1]
        return _sample(match.group("converter"), name, ids)

    return _ARG.sub(fill, rule.rule)


def query(names: set[str] | list[str], value: str) -> str:
    return "&".join(f"{name}={value}" for name in sorted(names))


@dataclass
class Walk:
    count: int = 0
    failures: list[str] = field(default_factory=list)

    def send(
        self, client: FlaskClient, role: str, method: str, path: str, **kwargs: Any
    ) -> tuple[int, str] | None:
        """Send one request; record a 5xx or an exception; return (status, Location)."""
        self.count += 1
        query_string = kwargs.pop("raw_query", "")
        allow_503 = kwargs.pop("allow_503", False)
        try:
            response = client.open(
                path, method=method, environ_overrides={"QUERY_STRING": query_string}, **kwargs
            )
        except Exception as error:  # the failure is the finding
            self.failures.append(f"{role} {method} {path[:120]}?{query_string[:120]}: {error!r}")
            return None
        if response.status_code >= 500 and not (allow_503 and response.status_code == 503):
            self.failures.append(
                f"{role} {method} {path[:120]}?{query_string[:120]} "
                f"{str(kwargs.get('data', ''))[:80]!r} → {response.status_code}"
            )
        response.close()
        return response.status_code, response.headers.get("Location", "")


def refused(status: int, location: str) -> bool:
    """The role is stopped at the door (log-in, 401, 403, 404): the view's code never runs."""
    return status in {401, 403, 404} or (status == 302 and "/auth/login" in location)


def requests_for(
    target: Target, ids: dict[str, int], role: str, *, enters: bool
) -> Iterator[tuple[Any, ...]]:
    """(method, path, keyword arguments) of every hostile request for one rule and role.

    `enters` says whether the role got past the door on a plain GET of the rule; when it did
    not, the query battery is skipped for that role (the request-wide checks run before the
    door and are exercised by the roles that do enter).
    """
    rule = target.rule
    arguments = [(m.group("converter"), m.group("name")) for m in _ARG.finditer(rule.rule)]
    sample_path = build_path(rule, ids)
    methods = [
        method
        for method in target.methods
        if method == "GET" or role == ANONYMOUS or rule.endpoint not in SESSION_ENDING
    ]
    if not methods:
        return
    # Path converters (matching does not depend on the method: one method is enough).
    for converter, name in arguments:
        values = INT_PATH_VALUES if converter == "int" else TEXT_PATH_VALUES
        for value in values:
            yield methods[0], build_path(rule, ids, (name, value)), {}
    for method in methods:
        if method == "GET":
            if not enters:
                continue
            for value in QUERY_VALUES:
                yield method, sample_path, {"raw_query": query(target.module_params, value)}
            for name in sorted(target.own_params):
                for value in SINGLE_QUERY_VALUES:
                    yield method, sample_path, {"raw_query": f"{name}={value}"}
            continue
        # Mutating routes: hostile values in every field the view's forms declare.
        names = target.form_fields | {"next", "action", "page"}
        for value in FORM_VALUES:
            yield method, sample_path, {"data": dict.fromkeys(names, value)}
        # JSON: the whole battery where the view reads JSON (the API), two shapes elsewhere.
        bodies = JSON_BODIES if target.reads_json else [JSON_BODIES[0], DEEP]
        for body in bodies:
            yield method, sample_path, {"data": body, "content_type": "application/json"}


def test_no_5xx_from_hostile_input_anywhere(app: Flask) -> None:
    world = build_world(app)
    ids = dict(world.ids)
    targets = discover(app)
    assert len(targets) > 100  # the walk really sees the whole map
    assert any("user_id" in t.module_params for t in targets)  # source discovery works
    walk = Walk()
    started = time.monotonic()
    for role in FUZZ_ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            assert login(client, world.emails[role]).status_code == 302
        entered = 0
        for target in targets:
            enters = False
            allow_503 = target.rule.endpoint in READINESS
            if "GET" in target.methods:
                probe = walk.send(
                    client, role, "GET", build_path(target.rule, ids), allow_503=allow_503
                )
                enters = probe is not None and not refused(*probe)
                entered += enters
            for method, path, kwargs in requests_for(target, ids, role, enters=enters):
                walk.send(client, role, method, path, allow_503=allow_503, **kwargs)
        # Each role really reaches views (the query battery is not skipped everywhere).
        assert entered >= 10, (role, entered)
        if role != ANONYMOUS:
            # The walk stayed signed in, so the pages behind log-in were really exercised.
            assert client.get("/api/v1/me").status_code == 200, role
    elapsed = time.monotonic() - started
    print(f"\nurl-map fuzz: {walk.count} requests in {elapsed:.1f}s")
    assert not walk.failures, f"{len(walk.failures)} 5xx answers:\n" + "\n".join(walk.failures[:60])


# Focused checks of each guard, so a failure names the layer that gave way.


def test_id_beyond_an_id_column_is_a_404(client: FlaskClient) -> None:
    for value in (str(2**31), BIG, HUGE):
        assert client.get(f"/api/v1/needs/{value}").status_code == 404
        assert client.get(f"/needs/{value}").status_code == 404


def test_undecodable_query_string_is_a_400_page(client: FlaskClient) -> None:
    response = client.get("/needs/", environ_overrides={"QUERY_STRING": "q=\xff"})
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("value", ["a%00b", "%ED%A0%80", "%07", BIG])
def test_hostile_query_value_is_a_400(client: FlaskClient, value: str) -> None:
    response = client.get("/api/v1/needs", environ_overrides={"QUERY_STRING": f"q={value}"})
    assert response.status_code == 400 and response.is_json


def test_nul_in_a_form_value_is_a_400(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("body", ["[]", "null", "7", '"text"', DEEP, '{"bio": "\\ud800"}'])
def test_hostile_json_is_a_400_json_error(
    client: FlaskClient, logged_in: Callable[..., Any], body: str
) -> None:
    logged_in("professional")
    response = client.patch("/api/v1/me/profile", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]["code"] == 400


def test_huge_page_is_an_empty_page_not_an_error(client: FlaskClient) -> None:
    response = client.get(f"/api/v1/needs?page={2**63 - 1}")
    assert response.status_code == 200 and response.get_json()["data"] == []
