"""Topic × channel preferences, their defaults, and signed unsubscribe tokens.

Without an explicit choice: in-app is on; email follows the privacy consent given at sign-up
(opportunities ← "matching", the other topics ← "newsletters"). Transactional mail (verification,
password reset, placement steps, direct messages about a placement) never reads these preferences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from app.auth.models import User
from app.auth.tokens import make_token, read_token
from app.database import utcnow
from app.extensions import db
from app.outreach.models import (
    AlertFrequency,
    Channel,
    DeliveryPreference,
    InboxEntry,
    InboxKind,
    OutboxEmail,
    OutboxStatus,
    Topic,
)
from app.privacy.models import ConsentKind, ConsentRecord

TOPIC_LABELS = {
    Topic.OPPORTUNITIES: _l("Opportunities matching my profile"),
    Topic.NEWS: _l("RCA news"),
    Topic.SURVEYS: _l("Surveys"),
    Topic.EVENTS: _l("Events"),
}
CHANNEL_LABELS = {Channel.EMAIL: _l("Email"), Channel.IN_APP: _l("In-app inbox")}
UNSUBSCRIBE_PURPOSE = "outreach-unsubscribe"
ALL_TOPICS = "all"


def consent_kind_for(topic: Topic) -> ConsentKind:
    return ConsentKind.MATCHING if topic == Topic.OPPORTUNITIES else ConsentKind.NEWSLETTERS


@dataclass(frozen=True, slots=True)
class Reach:
    """Which channels one member accepts for one topic."""

    in_app: bool
    email: bool


def _latest_consents(kind: ConsentKind, user_ids: set[int] | None) -> dict[int, bool]:
    # Consent records are append-only, so the highest id per member is their latest decision.
    latest_ids = select(func.max(ConsentRecord.id)).where(ConsentRecord.kind == kind)
    if user_ids is not None and len(user_ids) <= 500:
        latest_ids = latest_ids.where(ConsentRecord.user_id.in_(user_ids))
    query = select(ConsentRecord.user_id, ConsentRecord.granted).where(
        ConsentRecord.id.in_(latest_ids.group_by(ConsentRecord.user_id))
    )
    return {user_id: bool(granted) for user_id, granted in db.session.execute(query)}


def reach_for(topic: Topic, user_ids: Iterable[int]) -> dict[int, Reach]:
    """Return each member's channels for a topic, in bulk (two queries whatever the count)."""
    ids = set(user_ids)
    query = select(
        DeliveryPreference.user_id, DeliveryPreference.channel, DeliveryPreference.is_enabled
    ).where(DeliveryPreference.topic == topic)
    if len(ids) <= 500:
        query = query.where(DeliveryPreference.user_id.in_(ids))
    explicit: dict[tuple[int, str], bool] = {
        (user_id, str(channel)): bool(enabled)
        for user_id, channel, enabled in db.session.execute(query)
    }
    consents = _latest_consents(consent_kind_for(topic), ids)
    result: dict[int, Reach] = {}
    for user_id in ids:
        in_app = explicit.get((user_id, Channel.IN_APP.value), True)
        email = explicit.get((user_id, Channel.EMAIL.value), consents.get(user_id, False))
        result[user_id] = Reach(in_app=in_app, email=email)
    return result


def preference_grid(user: User) -> dict[tuple[Topic, Channel], bool]:
    """Return the member's effective choice for every topic × channel."""
    grid: dict[tuple[Topic, Channel], bool] = {}
    for topic in Topic:
        reach = reach_for(topic, [user.id])[user.id]
        grid[(topic, Channel.IN_APP)] = reach.in_app
        grid[(topic, Channel.EMAIL)] = reach.email
    return grid


def alert_frequency(user_id: int) -> AlertFrequency:
    row = db.session.scalar(
        select(DeliveryPreference).where(
            DeliveryPreference.user_id == user_id,
            DeliveryPreference.topic == Topic.OPPORTUNITIES,
            DeliveryPreference.channel == Channel.EMAIL,
        )
    )
    return AlertFrequency(row.frequency) if row else AlertFrequency.IMMEDIATE


def set_preference(
    user_id: int,
    topic: Topic,
    channel: Channel,
    enabled: bool,
    *,
    frequency: AlertFrequency | None = None,
    source: str = "preference_centre",
) -> DeliveryPreference:
    """Record one choice (upsert); takes effect for every send evaluated afterwards."""
    row = db.session.scalar(
        select(DeliveryPreference).where(
            DeliveryPreference.user_id == user_id,
            DeliveryPreference.topic == topic,
            DeliveryPreference.channel == channel,
        )
    )
    if row is None:
        row = DeliveryPreference(user_id=user_id, topic=topic, channel=channel, is_enabled=enabled)
        db.session.add(row)
    row.is_enabled = enabled
    row.source = source
    if frequency is not None:
        row.frequency = frequency
    db.session.flush()
    return row


def save_preferences(
    user: User, choices: dict[tuple[Topic, Channel], bool], frequency: AlertFrequency
) -> None:
    """Save the whole preference centre at once."""
    for (topic, channel), enabled in choices.items():
        set_preference(
            user.id,
            topic,
            channel,
            enabled,
            frequency=frequency
            if (topic, channel) == (Topic.OPPORTUNITIES, Channel.EMAIL)
            else None,
        )
    refused = [topic for topic in Topic if not choices.get((topic, Channel.EMAIL), True)]
    if refused:
        withdraw_queued(user.id, refused, in_app=False)


def unsubscribe_token(user_id: int, topic: Topic | str) -> str:
    """A signed, non-expiring token for one member and one topic (or "all")."""
    return make_token(UNSUBSCRIBE_PURPOSE, {"u": user_id, "t": str(topic)})


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Return (user_id, topic or "all"); raises InvalidToken when tampered with."""
    payload = read_token(UNSUBSCRIBE_PURPOSE, token, None)
    return int(payload["u"]), str(payload["t"])


def unsubscribe(user_id: int, topic: str) -> list[Topic]:
    """Stop broadcast email for one topic, or every broadcast on every channel for "all".

    Takes effect at once, also for what is already queued: the member's queued broadcast emails
    of those topics are marked skipped (the worker checks consent again for rows it has already
    claimed), and with "all", broadcasts waiting for their time in the inbox are withdrawn.
    Transactional mail (rows without a topic) is untouched.
    """
    if topic == ALL_TOPICS:
        for each in Topic:
            for channel in Channel:
                set_preference(user_id, each, channel, False, source="unsubscribe")
        withdraw_queued(user_id, list(Topic), in_app=True)
        return list(Topic)
    chosen = Topic(topic)
    set_preference(user_id, chosen, Channel.EMAIL, False, source="unsubscribe")
    withdraw_queued(user_id, [chosen], in_app=False)
    return [chosen]


def skipped_reason(topic: str) -> str:
    """The reason written on a broadcast row not sent because consent was withdrawn."""
    return f"skipped: no email consent for topic {topic!r} at delivery time"


def withdraw_queued(user_id: int, topics: list[Topic], *, in_app: bool) -> int:
    """Skip the member's queued broadcast emails of these topics; return how many.

    With in_app, also delete their broadcast inbox entries not yet visible (time-zone sends and
    sends held back by the weekly limit). Flushes, never commits.
    """
    skipped = 0
    for topic in topics:
        result = db.session.execute(
            update(OutboxEmail)
            .where(
                OutboxEmail.user_id == user_id,
                OutboxEmail.topic == topic.value,
                OutboxEmail.status == OutboxStatus.QUEUED,
            )
            .values(status=OutboxStatus.SKIPPED, last_error=skipped_reason(topic.value))
            .execution_options(synchronize_session=False)
        )
        skipped += int(result.rowcount or 0)
    if in_app:
        db.session.execute(
            delete(InboxEntry)
            .where(
                InboxEntry.user_id == user_id,
                InboxEntry.kind == InboxKind.BROADCAST,
                InboxEntry.visible_at > utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return skipped
