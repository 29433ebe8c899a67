"""Time sign-up, password reset, failed log-in and a new confirmation link, existing vs unknown.

The answers are compared byte for byte by tests/auth/test_enumeration.py; this script only
prints the mean and median time of each pair, with the production argon2 parameters, a file
SQLite database and a real SMTP server on localhost (so the emails cost what a local relay costs).
Nothing is asserted: record the output in docs/security.md.

    .venv/bin/python scripts/bench_enumeration.py            # 30 rounds of each
    .venv/bin/python scripts/bench_enumeration.py --rounds 100
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from app.auth.models import Role
from app.auth.services import create_staff_account, register_user
from app.extensions import db
from tests.support.smtp import SMTPServer

KNOWN = "known.member@example.org"
WRONG = "not the right password at all"
PASSWORD = "a long enough passphrase 42"  # noqa: S105 (a throwaway benchmark account)


def _ms(call: Callable[[int], object], i: int) -> float:
    start = time.perf_counter()
    call(i)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    server = SMTPServer()
    server.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-enum-"))
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'bench.db'}",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        INSTANCE_DIR=workdir,
        UPLOAD_DIR=workdir / "uploads",
        # Production hashing (config/settings.py BaseConfig), not the cheap test parameters.
        ARGON2_TIME_COST=3,
        ARGON2_MEMORY_COST=65536,
        ARGON2_PARALLELISM=4,
        # Many failures on one address: keep it below the lockout so both sides stay comparable.
        LOGIN_LOCKOUT_THRESHOLD=10**9,
    )
    with app.test_request_context():  # the verification link needs a request to build its URL
        db.create_all()
        # Unconfirmed, so the resend form has a link to send it.
        register_user(KNOWN, PASSWORD, Role.PROFESSIONAL, full_name="Known Member")
        create_staff_account("warm@example.org", PASSWORD, Role.RCA_STAFF)  # warm the hasher
        db.session.commit()
    client = app.test_client()

    def signup(email: str) -> None:
        data = {
            "account_type": "professional",
            "full_name": "Ada Uwase",
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "accept_privacy": "y",
        }
        assert client.post("/auth/signup", data=data).status_code == 302

    def login(email: str) -> None:
        data = {"email": email, "password": WRONG}
        assert client.post("/auth/login", data=data).status_code == 401

    def reset(email: str) -> None:
        assert client.post("/auth/reset", data={"email": email}).status_code == 302

    def resend(email: str) -> None:
        assert client.post("/auth/verify/resend", data={"email": email}).status_code == 302

    pairs: list[tuple[str, Callable[[int], object], Callable[[int], object]]] = [
        (
            "log-in, wrong password",
            lambda i: login(KNOWN),
            lambda i: login(f"nobody{i}@example.org"),
        ),
        ("sign-up", lambda i: signup(KNOWN), lambda i: signup(f"newcomer{i}@example.org")),
        ("password reset", lambda i: reset(KNOWN), lambda i: reset(f"nobody{i}@example.org")),
        (
            "confirmation link",
            lambda i: resend(KNOWN),
            lambda i: resend(f"none{i}@example.org"),
        ),
    ]
    print(f"{args.rounds} rounds each, alternating; times in ms (mean / median)")
    print(f"{'form':24} {'existing email':>18} {'unknown email':>18}")
    for name, existing, unknown in pairs:
        # Interleaved so both sides share any drift of the machine's load.
        known_times: list[float] = []
        unknown_times: list[float] = []
        for i in range(args.rounds):
            known_times.append(_ms(existing, i))
            unknown_times.append(_ms(unknown, i))
        print(
            f"{name:24} "
            f"{statistics.mean(known_times):8.1f} / {statistics.median(known_times):6.1f}  "
            f"{statistics.mean(unknown_times):8.1f} / {statistics.median(unknown_times):6.1f}"
        )
    server.stop()


if __name__ == "__main__":
    main()
