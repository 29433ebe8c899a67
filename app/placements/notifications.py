"""Placement notifications: ONE function, `notify`, and the batch that turns bursts into digests.

Debounce choice: bulk actions run inside `batched()`; every notice raised inside is held per
recipient and delivered when the block ends: one notice as itself, several as ONE digest. A
time-based debounce (queue + flush after N seconds) would need a queue table and a worker tick
for every transition and would still split a burst that straddles the window; the batch is
exact, synchronous and testable, and a single transition is simply a batch of one.

Delivery (`_deliver`) writes an in-app inbox entry and a transactional email to the outbox of
app/outreach (the worker sends it). Switching channels later is a change to `_deliver` only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth.models import User
from app.database import utcnow
from app.extensions import db


@dataclass(frozen=True, slots=True)
class Notice:
    recipient: User
    subject: str
    body: str
    link: str


_batch: ContextVar[list[Notice] | None] = ContextVar("placement_notice_batch", default=None)


def notify(recipient: User, subject: str, body: str, link: str) -> None:
    """Tell one person about a placement (inbox + email), now or at the end of the batch."""
    notice = Notice(recipient, subject, body, link)
    pending = _batch.get()
    if pending is None:
        _deliver(recipient, [notice])
    else:
        pending.append(notice)


@contextmanager
def batched() -> Iterator[None]:
    """Hold notices raised inside; then send one message (or one digest) per recipient."""
    if _batch.get() is not None:  # nested: the outer batch delivers
        yield
        return
    pending: list[Notice] = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    by_recipient: dict[int, list[Notice]] = {}
    for notice in pending:
        by_recipient.setdefault(notice.recipient.id, []).append(notice)
    for notices in by_recipient.values():
        _deliver(notices[0].recipient, notices)


def _deliver(recipient: User, notices: list[Notice]) -> None:
    from app.outreach.models import InboxEntry, InboxKind, OutboxEmail

    locale = recipient.locale or "en"
    with force_locale(locale):
        if len(notices) == 1:
            subject = notices[0].subject
            body = notices[0].body
            link = notices[0].link
        else:
            subject = _("%(n)s updates on placements", n=len(notices))
            body = "\n".join(f"• {n.body}" for n in notices)
            link = notices[0].link
        text = render_template(
            "mail/placement_update.txt", recipient=recipient, notices=notices, subject=subject
        )
    db.session.add(
        InboxEntry(
            user_id=recipient.id,
            kind=InboxKind.ALERT,
            subject=subject[:200],
            body=body,
            link_url=link[:500],
        )
    )
    db.session.add(
        OutboxEmail(
            idempotency_key=f"placement-{uuid.uuid4().hex}",
            user_id=recipient.id,
            to_address=recipient.email,
            subject=subject[:200],
            text_body=text,
            next_attempt_at=utcnow(),
        )
    )
