#!/usr/bin/env bash
# Serve the web app and, when it exists, the background worker; stop both together.
set -euo pipefail
bin="$1"; host="$2"; port="$3"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if "$bin/flask" --app app worker --help >/dev/null 2>&1; then
  "$bin/flask" --app app worker &
  pids+=($!)
fi
"$bin/flask" --app app run --host "$host" --port "$port" --no-reload &
pids+=($!)
wait -n "${pids[@]}"
