"""Benchmark outreach: enqueue a broadcast to N members (time to commit), then deliver it to a
local SMTP sink (emails per second). Uses a throw-away SQLite file, or DATABASE_URL when given.

    .venv/bin/python scripts/bench_outreach.py --members 50000 --deliver 2000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--deliver", type=int, default=5_000, help="emails to deliver and time")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--batch-size", type=int, default=None, help="worker batch (default: the app's, 20)"
    )
    args = parser.parse_args()

    from sqlalchemy import func, select, update

    from app import create_app
    from app.extensions import db
    from app.jobs.worker import Worker
    from app.outreach import services
    from app.outreach.models import OutboxEmail, OutboxStatus
    from tests.factories.outreach import create_members, make_message
    from tests.support.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    overrides = {"WORKER_BATCH_SIZE": args.batch_size} if args.batch_size else {}
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url, MAIL_PORT=server.port, **overrides)
    try:
        with app.app_context():
            db.create_all()
            create_members(args.members, prefix="bench")
            db.session.commit()
            message = make_message()
            db.session.commit()
            started = time.perf_counter()
            audience = services.send_message(message)
            db.session.commit()
            enqueue = time.perf_counter() - started
            print(
                f"enqueue: {len(audience.email_ids)} emails, {len(audience.in_app_ids)} inbox "
                f"entries committed in {enqueue:.3f} s ({db.engine.dialect.name})"
            )
            # Deliver a slice (the rest is parked) to measure throughput.
            keep = select(OutboxEmail.id).order_by(OutboxEmail.id).limit(args.deliver)
            db.session.execute(
                update(OutboxEmail)
                .where(OutboxEmail.id.not_in(keep.scalar_subquery()))
                .values(status=OutboxStatus.FAILED)
            )
            db.session.commit()
            started = time.perf_counter()
            Worker("bench").run(once=True)
            elapsed = time.perf_counter() - started
            sent = db.session.scalar(
                select(func.count()).where(OutboxEmail.status == OutboxStatus.SENT)
            )
            print(
                f"deliver: {sent} emails in {elapsed:.1f} s = {sent / elapsed:.0f} emails/s "
                f"(SMTP sink received {len(server.sink.messages)}, "
                f"batches of {app.config['WORKER_BATCH_SIZE']})"
            )
            if url.startswith("sqlite"):
                db.drop_all()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
