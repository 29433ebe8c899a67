"""When the outbox tries an email again, and which SMTP failures are worth trying again at all.

A mail relay that is down for a weekend, greylists us (451) or is overloaded (421) must not cost a
single email: such failures are retried on an exponential schedule with jitter, capped, until a
window (72 hours by default) has passed since the first attempt. Only a reply that names the
recipient as undeliverable (a 5xx answer to RCPT TO) fails the row at once: trying again would
only annoy the remote server. Pure functions, no Flask: the caller passes the settings.
"""

from __future__ import annotations

import random
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    first_seconds: float = 60.0
    max_seconds: float = 6 * 3600.0
    window: timedelta = timedelta(hours=72)


def retry_delay(attempts: int, policy: RetryPolicy, rng: random.Random | None = None) -> timedelta:
    """Return the wait after failed attempt number `attempts` (1 for the first).

    The nominal delay doubles from `first_seconds` and is capped at `max_seconds`; "equal jitter"
    then picks uniformly in [nominal / 2, nominal], so workers that failed together do not all
    come back together, and the delay never exceeds the cap.
    """
    exponent = min(max(attempts - 1, 0), 62)  # 2**62 s is past any cap; avoids float overflow
    nominal = min(policy.first_seconds * 2**exponent, policy.max_seconds)
    pick = (rng or random).uniform(0.5, 1.0)
    return timedelta(seconds=nominal * pick)


def next_attempt_at(
    attempts: int,
    first_attempt_at: datetime,
    now: datetime,
    policy: RetryPolicy,
    rng: random.Random | None = None,
) -> datetime | None:
    """Return when to try again, or None when the window since the first attempt is over."""
    if now - first_attempt_at >= policy.window:
        return None
    return now + retry_delay(attempts, policy, rng)


def is_permanent(exc: BaseException) -> bool:
    """Return True for a failure no retry can fix: a 5xx reply naming the recipient.

    smtplib raises SMTPRecipientsRefused when every recipient was refused at RCPT TO (our rows
    have one recipient); it is permanent only when the codes are 5xx (550 mailbox unknown, 553
    address not allowed, ...); 4xx there (450 mailbox busy, 451 greylisting) is transient.
    Everything else (refused connection, time-out, disconnect, a 4xx or 5xx to MAIL FROM or DATA)
    is an outage or a configuration fault on our side, which an operator can fix within the window.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= int(code) < 600 for code in codes)
    return False


def describe(exc: BaseException) -> str:
    """Return a short reason for the delivery report (class name, code and server text)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for code, reply in exc.recipients.values()
        ]
        return f"SMTPRecipientsRefused: {'; '.join(parts)}"
    return f"{type(exc).__name__}: {exc}"
