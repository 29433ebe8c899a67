#!/usr/bin/env bash
# Production on one server (`make serve-prod`): check the settings, migrate, then run gunicorn
# (config/gunicorn.conf.py) and the background worker; stop both together.
# Settings come from the environment (config/.env.example); APP_ENV is forced to production.
set -euo pipefail
bin="${1:-.venv/bin}"
export APP_ENV=production

# Refuse before starting anything, with the app's own reason (ProductionConfig.validate: SECRET_KEY,
# DATABASE_URL, a shared rate-limit store), and check that the Redis store answers.
if ! reason="$("$bin/python" - <<'PY' 2>&1
import sys

from config.settings import ConfigurationError, get_config, uses_memory_ratelimit

config = get_config("production")
try:
    config.validate()
except ConfigurationError as exc:
    sys.exit(str(exc))
uri = config.RATELIMIT_STORAGE_URI
if not uses_memory_ratelimit(uri) and uri.startswith(("redis://", "rediss://")):
    import redis

    try:
        redis.Redis.from_url(uri, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        sys.exit(f"the rate-limit store RATELIMIT_STORAGE_URI does not answer: {exc}")
PY
)"; then
  echo "serve-prod: refusing to start: ${reason}" >&2
  echo "serve-prod: set the variables of config/.env.example in the environment (README, Production)." >&2
  exit 2
fi

"$bin/flask" --app app db upgrade

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # gunicorn finishes its requests (graceful_timeout) and the worker its current item.
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT INT TERM
"$bin/flask" --app app worker &
pids+=($!)
"$bin/gunicorn" -c config/gunicorn.conf.py "app:create_app('production')" &
pids+=($!)
echo "serve-prod: gunicorn on ${GUNICORN_BIND:-127.0.0.1:8000} (probes: /healthz, /readyz) and the worker; Ctrl-C stops both"
# Either one ending (a crash, a refused start) stops the other: never a web server without worker.
wait -n "${pids[@]}"
