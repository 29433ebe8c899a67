#!/usr/bin/env bash
# Make sure axe-core (the accessibility rules engine) is available to the browser tests, installed
# from the npm registry into tests/e2e/.npm (git-ignored) and served to the page from that file.
# Idempotent and quiet; always exits 0 and says why when it cannot install, so the accessibility
# checks can skip with that reason.
set -u
cd "$(dirname "$0")/.."

PREFIX=tests/e2e/.npm
AXE="$PREFIX/node_modules/axe-core/axe.min.js"
if [ -s "$AXE" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure_axe: npm is not available; accessibility checks will skip." >&2
  exit 0
fi
mkdir -p "$PREFIX"
log=$(mktemp)
if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$PREFIX" axe-core@4 >"$log" 2>&1; then
  echo "ensure_axe: npm could not install axe-core; accessibility checks will skip. Last lines:" >&2
  tail -n 5 "$log" >&2
fi
rm -f "$log"
exit 0
