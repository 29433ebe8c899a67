"""Browser fixtures: Debian's chromium driven by Playwright, and the app served on a free port.

The live app is built once per module on a temporary SQLite file (the browser tests run on SQLite
only), with CSRF on (real forms), rate limits off and mail delivered to the local aiosmtpd server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from app import create_app
from app.extensions import db
from tests.e2e.support import (
    AXE_JS,
    AXE_MISSING,
    AXE_PATH,
    AXE_SKIPPED_IN,
    PAGE_WEIGHT_BUDGET_KB,
    PAGE_WEIGHT_RESULTS,
    PAGE_WEIGHTS,
    PROJECT_ROOT,
    Viewport,
)
from tests.support.smtp import SMTPServer, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _run_script(name: str) -> str:
    """Run one of scripts/ensure_*.sh and return what it said (it always exits 0)."""
    completed = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / name)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return (completed.stdout + completed.stderr).strip()


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed on first use; the browser tests skip only when that fails."""
    if not CHROMIUM.exists():
        said = _run_script("ensure_chromium.sh")
        if not CHROMIUM.exists():
            pytest.skip(f"chromium is not installed and could not be installed: {said}")
    return CHROMIUM


@pytest.fixture(scope="session")
def axe_available() -> bool:
    """Whether axe-core is on disk (installed from npm by scripts/ensure_axe.sh on first use).

    Without it the accessibility tests skip and the journeys run without their axe checks, which
    the terminal summary says; in CI (CI=true) a missing axe-core fails the browser tests instead.
    """
    if not AXE_JS.exists():
        said = _run_script("ensure_axe.sh")
        if not AXE_JS.exists():
            reason = said or "scripts/ensure_axe.sh could not install axe-core"
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail(f"axe-core is required in CI (CI=true): {reason}")
            AXE_MISSING.append(reason)
    return AXE_JS.exists()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show the page weights measured and any accessibility checks skipped, after the run."""
    if PAGE_WEIGHT_RESULTS:
        terminalreporter.section("page weights (first visit, empty cache)")
        for weight in PAGE_WEIGHT_RESULTS:
            terminalreporter.write_line(
                f"{weight.name:>8} {weight.path:<12} {weight.kilobytes:6.1f} KB"
                f" (budget {PAGE_WEIGHT_BUDGET_KB:.0f} KB, {len(weight.resources)} requests)"
            )
        terminalreporter.write_line(f"details: {PAGE_WEIGHTS.relative_to(PROJECT_ROOT)}")
    if AXE_MISSING:
        terminalreporter.section("accessibility checks skipped", yellow=True)
        terminalreporter.write_line(f"axe-core is not installed: {AXE_MISSING[0]}", yellow=True)
        if AXE_SKIPPED_IN:
            terminalreporter.write_line(
                "journeys that ran without axe checks: " + ", ".join(AXE_SKIPPED_IN), yellow=True
            )


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Keep the test output free of one access-log line per request."""


def _compile_catalogues(target: Path) -> str:
    """Compile the .po catalogues into target, so the browser sees exactly what the .po says."""
    source = PROJECT_ROOT / "app" / "translations"
    for po in source.glob("*/LC_MESSAGES/messages.po"):
        locale = po.parent.parent.name
        out = target / locale / "LC_MESSAGES"
        out.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        with (out / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=True)  # as `make translations` does
    return str(target)


@dataclass
class LiveServer:
    """The app listening on 127.0.0.1:<port>, and a way to open browser pages on it."""

    app: Flask
    url: str
    browser: Any
    axe_available: bool
    contexts: list[Any] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)

    def new_page(self, viewport: Viewport, locale: str = "en-GB", javascript: bool = True) -> Any:
        """A page in a fresh browser context (no cookies, no cache) at a viewport size."""
        context = self.browser.new_context(
            base_url=self.url,
            viewport={"width": viewport.width, "height": viewport.height},
            is_mobile=viewport.mobile,
            has_touch=viewport.mobile,
            locale=locale,
            java_script_enabled=javascript,
        )
        self.contexts.append(context)
        if self.axe_available:
            # axe-core is served from the app's own origin: the CSP (script-src 'self') stays on
            # and still guards the app's pages, and nothing is injected inline.
            context.route(
                f"{self.url}{AXE_PATH}",
                lambda route: route.fulfill(
                    path=str(AXE_JS), content_type="application/javascript; charset=utf-8"
                ),
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", self._watch_console)
        return page

    def _watch_console(self, message: Any) -> None:
        # The app's pages must work under their own CSP: any refusal is a bug.
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def in_app(self, work: Callable[[], Any]) -> Any:
        """Run work in the app's context, commit, and leave no transaction open (SQLite locks)."""
        with self.app.app_context():
            try:
                result = work()
                db.session.commit()
                return result
            finally:
                db.session.remove()

    def make_user(self, role: str = "professional", **fields: Any) -> Any:
        """Create a verified account directly in the database; return email and password."""
        from tests.factories.auth import DEFAULT_PASSWORD, UserFactory

        with self.app.app_context():
            user = UserFactory(role=role, **fields)
            db.session.commit()
            account = {"email": user.email, "password": DEFAULT_PASSWORD, "id": user.id}
            db.session.remove()
        return account

    def close_contexts(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()
        self.csp_errors.clear()


@pytest.fixture(scope="module")
def live_server(
    browser: Any,
    axe_available: bool,
    smtp_server: SMTPServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("live")
    port = free_port()
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'live.db'}",
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        UPLOAD_DIR=workdir / "uploads",
        INSTANCE_DIR=workdir,
        APP_BASE_URL=f"http://127.0.0.1:{port}",
        BABEL_TRANSLATION_DIRECTORIES=_compile_catalogues(workdir / "translations"),
    )
    with app.app_context():
        db.create_all()
    server: BaseWSGIServer = make_server(
        "127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    live = LiveServer(
        app=app, url=f"http://127.0.0.1:{port}", browser=browser, axe_available=axe_available
    )
    yield live
    live.close_contexts()
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture()
def open_page(live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Open pages for one test; their browser contexts are closed after it."""
    yield live_server.new_page
    live_server.close_contexts()
