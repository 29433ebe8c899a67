"""Helpers for the browser tests: viewports, screenshots, axe, page weight, the French catalogue."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from playwright.sync_api import Page, Response

from tests.support.smtp import MailSink

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PAGE_WEIGHTS = ARTIFACTS / "page-weights.txt"
FRENCH_PO = PROJECT_ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
AXE_JS = PROJECT_ROOT / "tests" / "e2e" / ".npm" / "node_modules" / "axe-core" / "axe.min.js"
# Same-origin path the browser context serves axe.min.js from (see LiveServer.new_page).
AXE_PATH = "/__axe.js"
PAGE_WEIGHT_BUDGET_KB = 200.0


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


PHONE = Viewport("phone", 390, 844, mobile=True)
# The narrowest phone the platform is built for (360 CSS px: most budget Android phones); the page
# sweep runs at this size, so no page may scroll sideways on it.
SMALL_PHONE = Viewport("phone-360", 360, 740, mobile=True)
DESKTOP = Viewport("desktop", 1280, 800, mobile=False)
VIEWPORTS = (PHONE, DESKTOP)


def screenshot(page: Page, name: str, viewport: Viewport, full_page: bool = True) -> Path:
    """Save a screenshot (of the full page, or of the screen as the person sees it) as
    test-artifacts/screenshots/<name>-<viewport>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport.name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sideways_overflow(page: Page) -> float:
    """How far the page scrolls sideways, in CSS pixels (0 or less: it does not).

    Measured against the layout viewport (documentElement.clientWidth): with a phone's emulation,
    window.innerWidth grows to the content's width when the page overflows, so a check against it
    could never fail on a phone."""
    return float(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def open_menu(page: Page) -> None:
    """Open the header's menu when it is folded behind its "Menu" button (on a phone)."""
    toggle = page.locator("header .menu__toggle")
    if toggle.is_visible() and page.locator("header details.menu[open]").count() == 0:
        toggle.click()


# --- Mail --------------------------------------------------------------------------------------


def wait_for_mail(sink: MailSink, address: str, timeout: float = 10.0) -> Any:
    """Return the newest message delivered to an address, waiting for it to arrive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = sink.to(address)
        if messages:
            return messages[-1]
        time.sleep(0.05)
    raise AssertionError(f"no email reached {address} within {timeout} s")


def link_in(text: str, base_url: str) -> str:
    """Return the first link to the live server in a message's text."""
    match = re.search(re.escape(base_url) + r"/\S+", text)
    assert match, f"no link to {base_url} in:\n{text}"
    return match.group(0)


# --- Keyboard ----------------------------------------------------------------------------------

_FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    value: el.value || "",
    href: el.getAttribute("href") || "",
    type: el.getAttribute("type") || "",
    cls: typeof el.className === "string" ? el.className : "",
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
          || style.boxShadow !== "none",
  };
}"""


def focused_element(page: Page) -> dict[str, Any]:
    """The focused element, and whether it shows a focus indicator (a 2px+ outline or a shadow)."""
    # After a navigation the URL changes before the stylesheet has applied; reading computed
    # styles then would see the browser's 1px default ring instead of the app's own.
    page.wait_for_load_state("load")
    return page.evaluate(_FOCUSED)


def assert_focus_ring(page: Page) -> dict[str, Any]:
    """The focused element, which must not be the body and must show a focus indicator."""
    focused = focused_element(page)
    assert focused["tag"] != "body", "focus was lost"
    assert focused["ring"], f"no visible focus indicator on {focused}"
    return focused


def tab_until(page: Page, matches: Any, limit: int = 60, key: str = "Tab") -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element matches; each stop must show a ring."""
    focused: dict[str, Any] = {}
    for _ in range(limit):
        page.keyboard.press(key)
        focused = focused_element(page)
        if focused["tag"] == "body":  # past the last stop, focus leaves for the browser's UI
            continue
        assert focused["ring"], f"no visible focus indicator on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"{key} never reached the element (last focus: {focused})")


def by_id(element_id: str) -> Any:
    """A tab_until matcher: the element with this id."""
    return lambda f: f["id"] == element_id


def primary_button(focused: dict[str, Any]) -> bool:
    """A tab_until matcher: a primary button."""
    return focused["tag"] == "button" and "btn--primary" in focused["cls"]


def log_in_by_keyboard(page: Page, email: str, password: str) -> None:
    """On the login page: Tab to each field, type, Tab to the primary button, press Enter."""
    tab_until(page, by_id("email"))
    page.keyboard.type(email)
    tab_until(page, by_id("password"))
    page.keyboard.type(password)
    tab_until(page, primary_button)
    page.keyboard.press("Enter")


def log_in_with_form(page: Page, email: str, password: str) -> None:
    """Log in through the plain login form (works with JavaScript off); wait for the header's
    logout form, which only a signed-in page has."""
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form[method=post] button[type=submit]").click()
    page.locator("header form[action$='/auth/logout']").wait_for(state="attached")


# --- Accessibility (axe-core) ------------------------------------------------------------------

BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Why axe-core could not be installed (empty when it is available), and the tests whose
# accessibility checks were therefore skipped: shown in the terminal summary.
AXE_MISSING: list[str] = []
AXE_SKIPPED_IN: list[str] = []

_RUN_AXE = """
async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}
"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the current page and return every violation (any impact)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Served from the page's own origin, so the app's CSP (script-src 'self') allows it.
        page.add_script_tag(url=AXE_PATH)
    return list(page.evaluate(_RUN_AXE))


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']} -> {v['targets']}" for v in violations
    )


# --- Translations ------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class EnglishMessage:
    msgid: str
    msgstr: str
    pattern: re.Pattern[str]


def _pattern(english: str) -> re.Pattern[str]:
    """A regex matching the English text verbatim, placeholders standing for any text."""
    text = _SPACES.sub(" ", english.strip())
    body = ".+?".join(re.escape(part) for part in _PLACEHOLDER.split(text))
    start = r"\b" if re.match(r"\w", text) else ""
    end = r"\b" if re.search(r"\w$", text) else ""
    return re.compile(start + body + end)


@lru_cache(maxsize=1)
def french_catalogue() -> tuple[EnglishMessage, ...]:
    """Every English msgid of the French catalogue whose French msgstr differs from it."""
    with FRENCH_PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    # A msgid that also reads as French ("Site" in "Site web", "Comment") cannot be told apart.
    french_text = "\n".join(
        s
        for message in catalog
        if message.id
        for s in (message.string if isinstance(message.string, tuple) else (message.string,))
        if s
    )
    messages: list[EnglishMessage] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated = {s for s in strings if s}
        for english in ids:
            if english in translated:  # deliberately identical ("Umuhuza", "Sessions")
                continue
            pattern = _pattern(english)
            if pattern.search(french_text):
                continue
            messages.append(EnglishMessage(english, " | ".join(strings) or "<empty>", pattern))
    return tuple(messages)


def untranslated_english(text: str) -> list[EnglishMessage]:
    """The catalogue messages whose English text appears verbatim in a French text."""
    visible = _SPACES.sub(" ", text)
    return [m for m in french_catalogue() if m.pattern.search(visible)]


# Long reference lists (countries, ISO languages) are proper names from reference data, not from
# the catalogue: "Palestine, State of" would otherwise read as the message "State".
_VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("select").forEach((s) => { if (s.options.length > 50) s.remove(); });
  document.body.after(body);
  const text = body.innerText;
  body.remove();
  return text;
}"""


def visible_text(page: Page) -> str:
    return page.title() + "\n" + str(page.evaluate(_VISIBLE_TEXT))


# --- Page weight -------------------------------------------------------------------------------


@dataclass
class TransferLog:
    """Every response a page received, to total what went over the wire."""

    responses: list[Response] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("response", self._record)

    def _record(self, response: Response) -> None:
        self.responses.append(response)

    def sizes(self, origin: str = "") -> list[tuple[str, int]]:
        """(path, bytes over the wire: headers and body) of every response, heaviest first."""
        rows = []
        for response in self.responses:
            sizes = response.request.sizes()
            size = sizes["responseHeadersSize"] + sizes["responseBodySize"]
            rows.append((response.url.removeprefix(origin), size))
        return sorted(rows, key=lambda row: -row[1])

    def total_bytes(self) -> int:
        return sum(size for _, size in self.sizes())


@dataclass(frozen=True)
class PageWeight:
    name: str
    path: str
    kilobytes: float
    resources: tuple[tuple[str, float], ...]  # (path, KB), heaviest first


# What this pytest run measured, for the terminal summary (tests/e2e/conftest.py).
PAGE_WEIGHT_RESULTS: list[PageWeight] = []


def record_page_weight(weight: PageWeight) -> None:
    """Keep the figure for the terminal summary and write test-artifacts/page-weights.txt.

    The file is rewritten by each run (its first figure truncates it), so it always shows the
    last run's pages, each with its resources.
    """
    first = not PAGE_WEIGHT_RESULTS
    PAGE_WEIGHT_RESULTS.append(weight)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with PAGE_WEIGHTS.open("w" if first else "a", encoding="utf-8") as handle:
        if first:
            handle.write(
                f"# Page weights, first visit (empty cache), budget {PAGE_WEIGHT_BUDGET_KB:.0f} KB;"
                f" measured {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
            )
        handle.write(f"{weight.name} {weight.path}: {weight.kilobytes:.1f} KB\n")
        for path, kilobytes in weight.resources:
            handle.write(f"    {kilobytes:7.1f} KB  {path}\n")


# --- Findings ----------------------------------------------------------------------------------


@dataclass
class Findings:
    """What went wrong on each page, collected so the journey runs to the end before failing."""

    live: Any  # tests.e2e.conftest.LiveServer (conftest imports this module)
    viewport: Viewport
    name: str
    french: bool = False
    problems: list[str] = field(default_factory=list)

    def check(self, page: Page, step: str) -> None:
        screenshot(page, f"{self.name}-{step}", self.viewport)
        where = f"{step} ({page.url})"
        if self.live.axe_available:
            serious = blocking(axe_violations(page))
            if serious:
                self.problems.append(f"axe on {where}:\n{describe(serious)}")
        elif f"{self.name}-{self.viewport.name}" not in AXE_SKIPPED_IN:
            AXE_SKIPPED_IN.append(f"{self.name}-{self.viewport.name}")  # in the terminal summary
        if self.french:
            self.check_french(visible_text(page), where)

    def check_french(self, text: str, where: str) -> None:
        english = untranslated_english(text)
        if english:
            lines = "\n".join(f"  {m.msgid!r} (msgstr {m.msgstr!r})" for m in english)
            self.problems.append(f"untranslated English on {where}:\n{lines}")

    def assert_clean(self) -> None:
        problems = list(self.problems)
        if self.live.csp_errors:
            problems.append("CSP refusals:\n  " + "\n  ".join(self.live.csp_errors))
        assert not problems, "\n".join(problems)
