"""The design system's components as the browser renders them, on real pages, against the tokens.

test_design_system.py checks the identity, the tokens on :root, the landing page's width and the
needs list's empty state; here each component is checked where the app uses it:

- cards: surface, border, radius, shadow and padding come from the tokens, the same on two pages;
- tables: styled header cells, scoped headers and an accessible name, and a wide table scrolls
  inside its own container on a phone (by keyboard too) while the page does not scroll sideways;
- badges: every status badge says its status in words, with 4.5:1 contrast or more;
- buttons: token colours, a 44 px touch target on a phone (the menu's links and the language
  buttons too), the focus ring when reached by Tab;
- forms: every control has a visible label; an error sits next to its field, is announced
  (aria-invalid, aria-describedby) and uses the error colour;
- empty states: a message and the action to take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    PHONE,
    VIEWPORTS,
    Viewport,
    log_in_with_form,
    primary_button,
    screenshot,
    sideways_overflow,
    tab_until,
)
from tests.factories.auth import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

# An address with no place to break: the members table is wider than a phone.
LONG_EMAIL = "marie-claire.uwimanimpaye-nyirahabimana@kabgayi-district-referral-hospital.rw"
NEED_TITLE = "Design-system hospital logistics mentor"


@dataclass(frozen=True)
class World:
    staff: str
    member: str  # of a verified institution with one need; the long address
    newcomer: str  # of a verified institution without needs
    draft_survey: int


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> World:
    from app.auth.models import User
    from app.database import utcnow
    from app.institutions.models import Institution
    from app.surveys.models import SurveyStatus
    from app.surveys.services import save_question
    from tests.factories.institutions import add_institution_for
    from tests.factories.needs import NeedFactory
    from tests.factories.surveys import SurveyFactory

    staff = live_server.make_user(role="rca_staff", email="design.staff@rca.rw")
    member = live_server.make_user(role="institution_member", email=LONG_EMAIL)
    newcomer = live_server.make_user(role="institution_member", email="design.new@butaro.rw")
    live_server.make_user(email="design.disabled@example.org", is_enabled=False)
    with live_server.app.app_context():
        try:
            institution_id = add_institution_for(member["id"], name="Kabgayi Design Hospital")
            add_institution_for(newcomer["id"], name="Butaro Design Hospital")
            NeedFactory(institution=db.session.get(Institution, institution_id), title=NEED_TITLE)
            draft = SurveyFactory(title="Design draft survey", created_by_id=staff["id"])
            SurveyFactory(title="Design open survey", status=SurveyStatus.OPEN, opened_at=utcnow())
            SurveyFactory(
                title="Design closed survey", status=SurveyStatus.CLOSED, closed_at=utcnow()
            )
            db.session.flush()
            for text in ("How often do you visit Rwanda?", "What would help you?"):
                save_question(
                    draft,
                    None,
                    kind="single",
                    text=text,
                    choices_en="Often\nRarely",
                    is_required=True,
                )
            db.session.commit()
            assert db.session.get(User, member["id"]) is not None
            return World(staff["email"], member["email"], newcomer["email"], draft.id)
        finally:
            db.session.remove()


def _signed_in(open_page: Any, email: str, viewport: Viewport) -> Page:
    page: Page = open_page(viewport)
    log_in_with_form(page, email, DEFAULT_PASSWORD)
    return page


# --- Computed styles ---------------------------------------------------------------------------

_RESOLVE = """(pairs) => {
  const probe = document.createElement("div");
  document.body.append(probe);
  const values = pairs.map(([property, value]) => {
    probe.style[property] = value;
    return getComputedStyle(probe)[property];
  });
  probe.remove();
  return values;
}"""


def _tokens(page: Page, **wanted: tuple[str, str]) -> dict[str, str]:
    """Resolve tokens as the browser computes them: name=(css property, 'var(--token)')."""
    values = page.evaluate(_RESOLVE, [list(pair) for pair in wanted.values()])
    return dict(zip(wanted, values, strict=True))


def _colours(page: Page) -> dict[str, str]:
    return _tokens(
        page,
        brand=("color", "var(--c-brand)"),
        brand_dark=("color", "var(--c-brand-dark)"),
        surface=("color", "var(--c-surface)"),
        border=("color", "var(--c-border)"),
        text=("color", "var(--c-text)"),
        muted=("color", "var(--c-muted)"),
        error=("color", "var(--c-error)"),
        focus=("color", "var(--c-focus)"),
        accent=("color", "var(--c-accent)"),
        white=("color", "#fff"),
    )


_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _rgba(css: str) -> tuple[float, float, float, float]:
    match = _RGB.fullmatch(css.strip())
    assert match, f"not an rgb() colour: {css!r}"
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def _over(top: str, below: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = _rgba(top)
    return (r * a + below[0] * (1 - a), g * a + below[1] * (1 - a), b * a + below[2] * (1 - a))


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, backgrounds: list[str]) -> float:
    """WCAG contrast of a text colour over its stack of backgrounds (nearest first)."""
    below: tuple[float, float, float] = (255.0, 255.0, 255.0)  # the canvas
    for layer in reversed(backgrounds):
        below = _over(layer, below)
    lighter, darker = sorted(
        (_luminance(_over(foreground, below)), _luminance(below)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


# --- Cards -------------------------------------------------------------------------------------

_CARDS = """() => Array.from(document.querySelectorAll("main .card")).map((card) => {
  const s = getComputedStyle(card);
  return {
    background: s.backgroundColor,
    border: [s.borderTopWidth, s.borderTopStyle, s.borderTopColor,
             s.borderBottomWidth, s.borderLeftColor, s.borderRightColor].join(" "),
    radius: [s.borderTopLeftRadius, s.borderTopRightRadius,
             s.borderBottomLeftRadius, s.borderBottomRightRadius].join(" "),
    padding: [s.paddingTop, s.paddingRight, s.paddingBottom, s.paddingLeft].join(" "),
    shadow: s.boxShadow,
  };
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_cards_take_surface_border_radius_and_padding_from_the_tokens(
    live_server: LiveServer, open_page: Any, world: World, viewport: Viewport
) -> None:
    page = open_page(viewport)
    seen: dict[str, list[dict[str, str]]] = {}
    for path in ("/", "/needs/"):
        page.goto(path)
        seen[path] = page.evaluate(_CARDS)
        assert sideways_overflow(page) <= 0, f"{path} scrolls sideways at {viewport.width}px"
    assert len(seen["/"]) >= 3 and len(seen["/needs/"]) >= 2, seen  # filters and one need

    # Cards lose some padding on a phone (--space-4 instead of --space-5).
    space = "var(--space-4)" if viewport.mobile else "var(--space-5)"
    t = _tokens(
        page,
        surface=("backgroundColor", "var(--c-surface)"),
        border=("borderTopColor", "var(--c-border)"),
        radius=("borderTopLeftRadius", "var(--radius)"),
        padding=("paddingTop", space),
        shadow=("boxShadow", "var(--shadow)"),
    )
    expected = {
        "background": t["surface"],
        "border": f"1px solid {t['border']} 1px {t['border']} {t['border']}",
        "radius": " ".join([t["radius"]] * 4),
        "padding": " ".join([t["padding"]] * 4),
        "shadow": t["shadow"],
    }
    assert t["padding"] == ("16px" if viewport.mobile else "24px"), t
    assert t["radius"] == "10px", t
    for path, cards in seen.items():
        for card in cards:
            assert card == expected, f"a card on {path} differs from the tokens"
    screenshot(page, "design-cards", viewport)
    assert not live_server.csp_errors, live_server.csp_errors


# --- Tables ------------------------------------------------------------------------------------

_TABLES = """() => Array.from(document.querySelectorAll("main table")).map((table) => {
  const named = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id))
    .filter(Boolean).map((el) => el.textContent.trim()).join(" ");
  const caption = table.querySelector(":scope > caption");
  const scopes = (selector) => Array.from(table.querySelectorAll(selector))
    .map((th) => th.getAttribute("scope"));
  return {
    name: (caption ? caption.textContent.trim() : "") || table.getAttribute("aria-label") || ""
      || named(table.getAttribute("aria-labelledby") || ""),
    columnHeaders: scopes("thead th"),
    rowHeaders: scopes("tbody th"),
    th: Array.from(table.querySelectorAll("thead th")).map((th) => {
      const s = getComputedStyle(th);
      return [s.fontSize, s.fontWeight, s.color, s.borderBottomStyle, s.borderBottomColor,
              s.textAlign];
    }),
  };
})"""

_WRAPS = """() => Array.from(document.querySelectorAll("main .table-wrap")).map((wrap) => ({
  overflowX: getComputedStyle(wrap).overflowX,
  scrolls: wrap.scrollWidth > wrap.clientWidth,
  focusable: wrap.tabIndex >= 0,
}))"""


def _check_tables(page: Page) -> list[dict[str, Any]]:
    """Every table of the page: a name, scoped headers, header cells styled by the tokens."""
    t = _tokens(
        page,
        size=("fontSize", "var(--fs-small)"),
        muted=("color", "var(--c-muted)"),
        border=("borderBottomColor", "var(--c-border)"),
    )
    tables: list[dict[str, Any]] = page.evaluate(_TABLES)
    assert tables, f"no table on {page.url}"
    for table in tables:
        assert table["name"], f"a table on {page.url} has no caption or aria-label: {table}"
        assert table["columnHeaders"] and set(table["columnHeaders"]) == {"col"}, table
        assert set(table["rowHeaders"]) <= {"row"}, table
        for th in table["th"]:
            header = [t["size"], "600", t["muted"], "solid", t["border"], "left"]
            assert th == header, (page.url, th)
    return tables


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_tables_are_labelled_styled_and_scroll_inside_their_container(
    live_server: LiveServer, open_page: Any, world: World, viewport: Viewport
) -> None:
    page = _signed_in(open_page, world.member, viewport)
    page.goto("/institutions/dashboard")
    expect(page.locator("main table").first).to_contain_text(NEED_TITLE)
    expect(page.locator("main table").last).to_contain_text(LONG_EMAIL)
    assert len(_check_tables(page)) == 2

    wraps = page.evaluate(_WRAPS)
    assert all(w["overflowX"] == "auto" and w["focusable"] for w in wraps), wraps
    members = page.locator("main .table-wrap").last
    if viewport.mobile:
        # The members table is wider than the phone: it scrolls in its box, not the page.
        assert wraps[-1]["scrolls"], wraps
        members.focus()  # a focusable region: the keyboard scrolls it too
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelectorAll('main .table-wrap')[1].scrollLeft > 0"
        )
    else:
        assert not any(w["scrolls"] for w in wraps), wraps
    assert sideways_overflow(page) <= 0, f"the dashboard scrolls sideways at {viewport.width}px"
    screenshot(page, "design-tables", viewport)

    staff = _signed_in(open_page, world.staff, viewport)
    staff.goto("/surveys/staff")
    _check_tables(staff)
    assert sideways_overflow(staff) <= 0, f"the survey list scrolls sideways at {viewport.width}px"
    assert not live_server.csp_errors, live_server.csp_errors


# --- Badges ------------------------------------------------------------------------------------

_BADGES = """() => Array.from(document.querySelectorAll("main .badge"))
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      layers.push(getComputedStyle(node).backgroundColor);
    }
    return {
      variant: (el.className.match(/badge--\\w+/) || ["badge"])[0],
      text: el.innerText.trim(),
      color: getComputedStyle(el).color,
      layers,
    };
  })"""


def test_status_badges_say_their_status_in_words_with_enough_contrast(
    live_server: LiveServer, open_page: Any, world: World
) -> None:
    page = _signed_in(open_page, world.staff, DESKTOP)
    found: dict[str, set[str]] = {}
    for path, statuses in (
        ("/surveys/staff", {"Draft", "Open", "Closed"}),
        ("/staff/users", {"Enabled", "Disabled"}),
        (f"/surveys/staff/{world.draft_survey}", {"Required", "Single choice"}),
    ):
        page.goto(path)
        badges = page.evaluate(_BADGES)
        texts = {b["text"] for b in badges}
        assert statuses <= texts, (path, texts)
        for badge in badges:
            assert badge["text"], f"a badge on {path} has no text, only a colour: {badge}"
            ratio = contrast(badge["color"], badge["layers"])
            assert ratio >= 4.5, f"{badge['variant']} {badge['text']!r} on {path}: {ratio:.2f}:1"
            found.setdefault(badge["variant"], set()).add(badge["text"])
    # Every variant was seen, and no two statuses share a text: the words carry the meaning.
    variants = {"badge", "badge--ok", "badge--warn", "badge--error", "badge--muted"}
    assert variants <= set(found), found
    assert found["badge--ok"].isdisjoint(found["badge--warn"] | found["badge--error"]), found
    screenshot(page, "design-badges", DESKTOP)
    assert not live_server.csp_errors, live_server.csp_errors


# --- Buttons -----------------------------------------------------------------------------------

_BUTTONS = """() => Array.from(document.querySelectorAll("main .btn:not(.btn--link)"))
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
      text: el.innerText.trim(),
      cls: el.className,
      height: box.height,
      width: box.width,
      background: s.backgroundColor,
      color: s.color,
      border: s.borderTopColor,
    };
  })"""

# The header's targets: the menu's links (and its log-out button) and the language buttons.
_HEADER_TARGETS = """() => Array.from(
    document.querySelectorAll("header .nav__link, header .lang__btn"))
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    const box = el.getBoundingClientRect();
    return { text: el.innerText.trim(), cls: el.className, height: box.height, width: box.width };
  })"""

_RING = """() => {
  const s = getComputedStyle(document.activeElement);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow];
}"""


def _assert_ring(page: Page, colours: dict[str, str]) -> None:
    style, width, colour, offset, shadow = page.evaluate(_RING)
    assert (style, width, colour, offset) == ("solid", "3px", colours["focus"], "2px")
    assert shadow.startswith(colours["accent"]), shadow  # the gold halo around the ring


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_buttons_use_token_colours_touch_targets_and_focus_ring(
    live_server: LiveServer, open_page: Any, world: World, viewport: Viewport
) -> None:
    page = _signed_in(open_page, world.staff, viewport)
    page.goto(f"/surveys/staff/{world.draft_survey}")
    colours = _colours(page)
    buttons = page.evaluate(_BUTTONS)
    kinds = {k: [b for b in buttons if f"btn--{k}" in b["cls"]] for k in ("primary", "secondary")}
    assert kinds["primary"] and kinds["secondary"], buttons
    assert any("btn--small" in b["cls"] for b in buttons), "the question actions are small buttons"
    for button in kinds["primary"]:
        assert (button["background"], button["color"]) == (colours["brand"], colours["white"])
    for button in kinds["secondary"]:
        assert (button["background"], button["color"], button["border"]) == (
            colours["surface"],
            colours["brand_dark"],
            colours["brand"],
        ), button
    for button in buttons:
        if "btn--danger" in button["cls"]:
            assert (button["background"], button["color"]) == (colours["error"], colours["white"])
        assert contrast(button["color"], [button["background"]]) >= 4.5, button
        if viewport.mobile:  # --tap: a finger-sized target, small buttons included
            assert button["height"] >= 44 and button["width"] >= 44, button
    if viewport.mobile:  # the menu (opened from its button) and the language switcher too
        page.locator("header .menu__toggle").click()
        targets = page.evaluate(_HEADER_TARGETS)
        assert {"nav__link", "lang__btn"} <= {t["cls"].split()[0] for t in targets}, targets
        assert len(targets) >= 13, targets  # the button, staff's entries, log out, 3 languages
        for target in targets:
            assert target["height"] >= 44 and target["width"] >= 44, target

    # Reached by Tab, a primary then a secondary button show the ring and its halo.
    tab_until(page, primary_button)
    _assert_ring(page, colours)
    page.goto(f"/surveys/staff/{world.draft_survey}")
    tab_until(page, lambda f: "btn--secondary" in f["cls"])
    _assert_ring(page, colours)
    assert sideways_overflow(page) <= 0, f"the survey page scrolls sideways at {viewport.width}px"
    screenshot(page, "design-buttons", viewport)
    assert not live_server.csp_errors, live_server.csp_errors


# --- Forms -------------------------------------------------------------------------------------

_CONTROLS = """() => {
  document.querySelectorAll("main details").forEach((d) => { d.open = true; });
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== "hidden";
  };
  const skip = ["hidden", "submit", "button", "reset", "image"];
  return Array.from(document.querySelectorAll("main input, main select, main textarea"))
    .filter((el) => !skip.includes(el.type) && shown(el))
    .map((el) => ({
      id: el.id,
      type: el.type,
      labels: Array.from(el.labels || []).filter(shown).map((l) => l.innerText.trim())
        .filter(Boolean),
    }));
}"""


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/auth/signup", None),
        ("/needs/", None),
        ("/needs/new", "member"),
        ("/surveys/staff/new", "staff"),
        ("/outreach/segments/new", "staff"),
    ],
    ids=["signup", "needs-filters", "need-form", "survey-form", "segment-form"],
)
def test_every_form_control_has_a_visible_label(
    live_server: LiveServer, open_page: Any, world: World, path: str, who: str | None
) -> None:
    page = open_page(PHONE) if who is None else _signed_in(open_page, getattr(world, who), PHONE)
    page.goto(path)
    controls = page.evaluate(_CONTROLS)
    assert len(controls) >= 2, controls
    unlabelled = [c for c in controls if not c["labels"]]
    assert not unlabelled, f"controls on {path} without a visible label: {unlabelled}"
    assert not live_server.csp_errors, live_server.csp_errors


_ERRORS = """() => Array.from(document.querySelectorAll("main form .error[id]")).map((error) => {
  const box = (el) => el.getBoundingClientRect();
  const block = (el) => el.closest(".field") || el.closest("fieldset");
  const described = Array.from(document.querySelectorAll("[aria-describedby]"))
    .filter((el) => el.getAttribute("aria-describedby").split(/\\s+/).includes(error.id));
  return {
    id: error.id,
    text: error.textContent.trim(),
    visible: box(error).height > 0,
    color: getComputedStyle(error).color,
    role: error.getAttribute("role"),
    described: described.map((el) => ({
      tag: el.tagName.toLowerCase(),
      id: el.id,
      invalid: el.getAttribute("aria-invalid"),
      sameBlock: block(el) === block(error),
      above: box(el).top <= box(error).top && (
        el.tagName === "FIELDSET" || box(el).bottom <= box(error).top),
      border: el.matches(".input, select, textarea")
        ? [getComputedStyle(el).borderTopColor, getComputedStyle(el).borderTopWidth] : null,
    })),
  };
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_form_errors_sit_next_to_their_fields_in_the_error_colour(
    live_server: LiveServer, open_page: Any, world: World, viewport: Viewport
) -> None:
    page = _signed_in(open_page, world.member, viewport)
    page.goto("/needs/new")
    page.locator("#title").fill("x")  # one field filled, the rest missing
    page.locator("main form[method=post] button[type=submit]:not([name])").last.click()
    expect(page.locator("#form-errors")).to_be_visible()
    error_colour = _colours(page)["error"]

    errors = page.evaluate(_ERRORS)
    ids = {e["id"] for e in errors}
    assert {"background-error", "objectives-error", "required_skills-error"} <= ids, ids
    assert "title-error" not in ids, ids
    for error in errors:
        assert error["text"] and error["visible"] and error["role"] == "alert", error
        assert error["color"] == error_colour, error
        assert error["described"], f"no field points at {error['id']} (aria-describedby)"
        for field in error["described"]:
            assert field["sameBlock"] and field["above"], (error["id"], field)
            if field["tag"] != "fieldset":
                assert field["invalid"] == "true", (error["id"], field)
            if field["border"] is not None:
                assert field["border"] == [error_colour, "2px"], (error["id"], field)
    # The field that was filled is neither marked nor described as wrong.
    expect(page.locator("#title")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title")).to_have_value("x")
    screenshot(page, "design-form-errors", viewport)
    assert sideways_overflow(page) <= 0
    assert not live_server.csp_errors, live_server.csp_errors


# --- Empty states ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_empty_needs_list_of_a_new_institution_says_what_to_do(
    live_server: LiveServer, open_page: Any, world: World, viewport: Viewport
) -> None:
    page = _signed_in(open_page, world.newcomer, viewport)
    page.goto("/institutions/dashboard")
    empty = page.locator("main .empty")
    expect(empty).to_have_count(1)
    expect(empty.locator(".empty__title")).to_have_text("No needs yet")
    expect(empty).to_contain_text("Describe what your institution needs")
    action = empty.locator("a.btn")
    expect(action).to_have_text("Write a new need")
    style = empty.evaluate(
        """(el) => [getComputedStyle(el).textAlign,
                    getComputedStyle(el.querySelector('.empty__title')).fontWeight,
                    getComputedStyle(el.querySelector('.empty__title')).color]"""
    )
    assert style == ["center", "600", _colours(page)["text"]], style
    box = action.bounding_box()
    assert box and box["height"] >= 44, box
    assert sideways_overflow(page) <= 0, f"the dashboard scrolls sideways at {viewport.width}px"
    screenshot(page, "design-empty-needs", viewport)
    action.click()
    expect(page).to_have_url(re.compile(r"/needs/new$"))
    assert not live_server.csp_errors, live_server.csp_errors
