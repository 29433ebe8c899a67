"""`flask worker` that kills itself with SIGKILL at an exact point of the send loop (crash tests).

    python -m tests.jobs.crashing_worker (accepted|marked) N [worker options]

`accepted`: die after the SMTP server accepted the N-th message, before its "sent" mark is
committed (the one window SMTP leaves open); `marked`: die right after the N-th mark is committed.
"""

from __future__ import annotations

import os
import signal
import sys

from flask.cli import main as flask_main

from app.outreach.delivery import HOOKS


def main() -> None:
    point, after, *options = sys.argv[1:]
    if point not in ("accepted", "marked"):
        raise SystemExit(f"unknown point {point!r}")
    seen = 0

    def die_at_the_nth_row(row_id: int) -> None:
        nonlocal seen
        seen += 1
        if seen >= int(after):
            os.kill(os.getpid(), signal.SIGKILL)

    setattr(HOOKS, point, die_at_the_nth_row)
    sys.argv = ["flask", "--app", "app", "worker", *options]
    flask_main()


if __name__ == "__main__":
    main()
