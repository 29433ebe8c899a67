#!/usr/bin/env bash
# Make sure axe-core (the accessibility rules engine) is available to the browser tests, installed
# from the npm registry into tests/e2e/.npm (git-ignored) and served to the page from that file.
# Idempotent and quiet; says why when it cannot install and exits 0, so the accessibility checks can
# skip with that reason; in CI (CI=true) it exits 1 instead, because CI must run them.
set -u

give_up() {
  case "${CI:-}" in
    1|true|TRUE|yes) echo "ensure_axe: CI=true, so this is an error." >&2; exit 1 ;;
  esac
  exit 0
}
cd "$(dirname "$0")/.."

PREFIX=tests/e2e/.npm
AXE="$PREFIX/node_modules/axe-core/axe.min.js"
if [ -s "$AXE" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure_axe: npm is not available; accessibility checks will skip." >&2
  give_up
fi
mkdir -p "$PREFIX"
log=$(mktemp)
if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$PREFIX" axe-core@4 >"$log" 2>&1; then
  echo "ensure_axe: npm could not install axe-core; accessibility checks will skip. Last lines:" >&2
  tail -n 5 "$log" >&2
fi
rm -f "$log"
if [ ! -s "$AXE" ]; then
  give_up
fi
exit 0
