"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py "app:create_app('production')"`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
# The web processes never load the embedding model at start-up; preload keeps memory shared.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Start loading this worker's candidate index at boot, in a background thread.

    Each worker holds its own index and /readyz answers 503 "loading" until the worker that
    answers has one; starting at boot makes every worker ready without waiting to be probed or
    making the first ranked list wait for the build.
    """
    from app.ranking.services import ensure_candidate_index

    try:
        with worker.wsgi.app_context():
            ensure_candidate_index()
    except Exception:  # an unreachable database: /readyz says so, and the next probe retries
        worker.log.exception("could not start loading the candidate index")
