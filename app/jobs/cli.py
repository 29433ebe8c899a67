"""`flask worker`: run background jobs and deliver the email outbox."""

from __future__ import annotations

import logging
import signal

import click
from flask.cli import with_appcontext

from app.jobs.worker import Worker


@click.command("worker")
@click.option("--once", is_flag=True, help="Process what is due now, then exit.")
@click.option(
    "--worker-id", default=None, help="Name written into claimed rows (default host:pid)."
)
@with_appcontext
def worker_command(once: bool, worker_id: str | None) -> None:
    """Run the background worker (jobs, schedules, email outbox) until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("umuhuza").setLevel(logging.INFO)
    worker = Worker(worker_id)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    total = worker.run(once=once)
    click.echo(f"Worker {worker.worker_id}: {total} items processed.")
