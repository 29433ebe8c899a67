"""Composing messages: Markdown → sanitised HTML, placeholders, links, the per-member rendering.

The Markdown is rendered once with the placeholders left in place, sanitised with an allow-list
(nh3), and each member's values are substituted afterwards (HTML-escaped in the HTML part), so
neither staff Markdown nor a member's own name can inject markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from flask_babel import gettext as _
from markdown_it import MarkdownIt

from app.errors import DomainError

PLACEHOLDERS = (
    "first_name",
    "full_name",
    "country",
    "city",
    "unsubscribe_url",
    "unsubscribe_all_url",
    "preferences_url",
    "inbox_url",
)
PLACEHOLDER_RE = re.compile(r"\{([^{}\s]*)\}")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


class InvalidMessage(DomainError):
    """The message cannot be sent as written (unknown placeholder, bad link...)."""


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "html": False turns raw HTML in the source into text; nh3 then enforces the allow-list.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def render_markdown(source: str) -> str:
    """Render staff Markdown to HTML that keeps only the allow-listed tags and attributes."""
    raw = _markdown().render(source or "")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


def check_placeholders(text: str, field: str) -> None:
    """Raise InvalidMessage (on `field`) for the first placeholder that is not known."""
    for match in PLACEHOLDER_RE.finditer(text or ""):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise InvalidMessage(
                _(
                    "Unknown placeholder {%(name)s}. Available: %(names)s.",
                    name=name,
                    names=", ".join("{" + p + "}" for p in PLACEHOLDERS),
                ),
                field=field,
            )


def parse_links(text: str, field: str = "links") -> list[dict[str, str]]:
    """Parse "Label | https://..." lines into links; only http(s) URLs with a host are accepted."""
    links: list[dict[str, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        label, sep, url = line.rpartition("|")
        label, url = label.strip(), url.strip()
        parts = urlsplit(url)
        if not sep or not label or parts.scheme not in {"http", "https"} or not parts.netloc:
            raise InvalidMessage(
                _(
                    "Line %(n)s: write each link as “Label | https://address” "
                    "(http or https only).",
                    n=number,
                ),
                field=field,
            )
        links.append({"label": label[:120], "url": url[:500]})
    return links


def links_as_text(links: list[dict[str, str]]) -> str:
    return "\n".join(f"{link['label']} | {link['url']}" for link in links)


def substitute(text: str, values: Mapping[str, str], *, escape: bool) -> str:
    """Replace {name} (and its URL-encoded form %7Bname%7D in hrefs) with the member's values."""

    def value(name: str) -> str:
        raw = values.get(name, "")
        return html.escape(raw, quote=True) if escape else raw

    result = PLACEHOLDER_RE.sub(
        lambda m: value(m.group(1)) if m.group(1) in values else m.group(0), text
    )
    if escape:
        result = re.sub(
            r"%7B([a-z_]+)%7D",
            lambda m: value(m.group(1)) if m.group(1) in values else m.group(0),
            result,
        )
    return result


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def render_for_member(
    subject: str, body: str, links: list[dict[str, str]], values: Mapping[str, str]
) -> RenderedMessage:
    """Return the subject, plain text and safe HTML body for one member (placeholders filled)."""
    body_html = _cached_markdown(body)
    return RenderedMessage(
        subject=substitute(subject, values, escape=False).replace("\n", " ").strip(),
        text=substitute(body, values, escape=False),
        html=substitute(body_html, values, escape=True),
    )


@lru_cache(maxsize=64)
def _cached_markdown(body: str) -> str:
    return render_markdown(body)
