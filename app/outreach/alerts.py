"""Opportunity alerts: one per professional and need (unique), now or in a weekly digest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.outreach import preferences
from app.outreach.models import (
    AlertFrequency,
    Channel,
    DeliveryPreference,
    InboxEntry,
    InboxKind,
    OpportunityAlert,
    OutboxEmail,
    OutboxStatus,
    Topic,
)
from app.outreach.urls import external_url


def _need_link(need: Any) -> str | None:
    try:
        return external_url("needs.detail", need_id=need.id)
    except Exception:
        return None


def _frequencies(user_ids: set[int]) -> dict[int, AlertFrequency]:
    rows = db.session.execute(
        select(DeliveryPreference.user_id, DeliveryPreference.frequency).where(
            DeliveryPreference.topic == Topic.OPPORTUNITIES,
            DeliveryPreference.channel == Channel.EMAIL,
        )
    ).all()
    return {uid: AlertFrequency(freq) for uid, freq in rows if uid in user_ids}


def _unsubscribe_links(user_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """The footer links of an alert or digest, and its RFC 8058 one-click headers."""
    url = external_url(
        "outreach.unsubscribe",
        token=preferences.unsubscribe_token(user_id, Topic.OPPORTUNITIES),
    )
    links = {
        "unsubscribe_url": url,
        "unsubscribe_all_url": external_url(
            "outreach.unsubscribe",
            token=preferences.unsubscribe_token(user_id, preferences.ALL_TOPICS),
        ),
        "preferences_url": external_url("outreach.preference_centre"),
    }
    return links, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def send_opportunity_alerts(
    need: Any,
    ranked_professional_ids: Sequence[int],
    *,
    scores: Mapping[int, float] | None = None,
    now: datetime | None = None,
) -> int:
    """Alert the ranked professionals (profile ids, best first) about a newly opened need.

    Only those who consented to "opportunities" are alerted, only when their score (if given)
    reaches OUTREACH_STRONG_MATCH_SCORE, and never twice for the same need. Returns how many
    alerts were created. Flushes; the caller commits.
    """
    from app.profiles.models import Profile

    now = now or utcnow()
    threshold = float(current_app.config["OUTREACH_STRONG_MATCH_SCORE"])
    wanted = [
        pid for pid in ranked_professional_ids if scores is None or scores.get(pid, 0) >= threshold
    ]
    if not wanted:
        return 0
    user_by_profile = dict(
        db.session.execute(select(Profile.id, Profile.user_id).where(Profile.id.in_(wanted))).all()
    )
    user_ids = {user_by_profile[pid] for pid in wanted if pid in user_by_profile}
    already = set(
        db.session.scalars(
            select(OpportunityAlert.user_id).where(
                OpportunityAlert.need_id == need.id, OpportunityAlert.user_id.in_(user_ids)
            )
        )
    )
    reach = preferences.reach_for(Topic.OPPORTUNITIES, user_ids - already)
    frequencies = _frequencies(user_ids)
    users = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids - already)))
    }
    link = _need_link(need)
    title = str(getattr(need, "title", "") or _("A new opportunity"))[:200]
    alerts, inbox, outbox = [], [], []
    for uid in sorted(user_ids - already):
        member = reach[uid]
        user = users.get(uid)
        if user is None or not user.is_enabled or not (member.in_app or member.email):
            continue
        frequency = frequencies.get(uid, AlertFrequency.IMMEDIATE)
        immediate = frequency == AlertFrequency.IMMEDIATE or not member.email
        alerts.append(
            {
                "user_id": uid,
                "need_id": need.id,
                "title": title,
                "link_url": link,
                "frequency": frequency.value,
                "created_at": now,
                "delivered_at": now if immediate else None,
            }
        )
        if member.in_app:
            inbox.append(
                {
                    "user_id": uid,
                    "kind": InboxKind.ALERT.value,
                    "subject": title,
                    "body": _("A new need matches your profile: %(title)s", title=title),
                    "link_url": link,
                    "visible_at": now,
                    "created_at": now,
                }
            )
        if member.email and frequency == AlertFrequency.IMMEDIATE and user.is_verified:
            links, headers = _unsubscribe_links(uid)
            with force_locale(user.locale or "en"):
                text = render_template(
                    "mail/outreach_alert.txt",
                    user=user,
                    alerts=[{"title": title, "link_url": link}],
                    **links,
                )
                subject = _("New opportunity: %(title)s", title=title)
            outbox.append(
                {
                    "idempotency_key": f"alert-n{need.id}-u{uid}",
                    "user_id": uid,
                    "to_address": user.email,
                    "topic": Topic.OPPORTUNITIES.value,
                    "subject": subject[:200],
                    "text_body": text,
                    "headers": headers,
                    "status": OutboxStatus.QUEUED.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
    if alerts:
        db.session.execute(insert(OpportunityAlert), alerts)
    if inbox:
        db.session.execute(insert(InboxEntry), inbox)
    if outbox:
        db.session.execute(insert(OutboxEmail), outbox)
    db.session.flush()
    return len(alerts)


def send_weekly_digests(now: datetime) -> int:
    """Queue one digest email per professional with undelivered weekly alerts; return the count."""
    pending = db.session.scalars(
        select(OpportunityAlert)
        .where(OpportunityAlert.delivered_at.is_(None))
        .order_by(OpportunityAlert.user_id, OpportunityAlert.id)
    ).all()
    by_user: dict[int, list[OpportunityAlert]] = defaultdict(list)
    for alert in pending:
        by_user[alert.user_id].append(alert)
    if not by_user:
        return 0
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(by_user)))}
    reach = preferences.reach_for(Topic.OPPORTUNITIES, by_user)
    queued = 0
    for uid, alerts in by_user.items():
        user = users.get(uid)
        for alert in alerts:
            alert.delivered_at = now
        if user is None or not reach[uid].email or not user.is_verified:
            continue
        links, headers = _unsubscribe_links(uid)
        with force_locale(user.locale or "en"):
            text = render_template(
                "mail/outreach_alert.txt",
                user=user,
                alerts=[{"title": a.title, "link_url": a.link_url} for a in alerts],
                **links,
            )
            subject = _("Your weekly opportunities on Umuhuza")
        db.session.add(
            OutboxEmail(
                idempotency_key=f"digest-u{uid}-a{alerts[-1].id}",
                user_id=uid,
                to_address=user.email,
                topic=Topic.OPPORTUNITIES.value,
                subject=subject,
                text_body=text,
                headers=headers,
                next_attempt_at=now,
            )
        )
        queued += 1
    db.session.flush()
    return queued
