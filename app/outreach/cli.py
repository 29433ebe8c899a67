"""`flask outreach ...`: outreach maintenance and the delivery benchmark."""

from __future__ import annotations

from flask.cli import AppGroup

outreach_cli = AppGroup("outreach", help="Outreach: messages, outbox and benchmark.")
