#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (Playwright drives /usr/bin/chromium;
# `playwright install` is never used: it downloads a browser build). Idempotent and quiet; says why
# when it cannot install and exits 0, so the browser tests can skip with that reason; in CI
# (CI=true) it exits 1 instead, because CI must run the browser tests.
set -u

give_up() {
  case "${CI:-}" in
    1|true|TRUE|yes) echo "ensure_chromium: CI=true, so this is an error." >&2; exit 1 ;;
  esac
  exit 0
}

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available; browser tests will skip." >&2
  give_up
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure_chromium: $CHROMIUM is missing and installing it needs root; browser tests will skip." >&2
    give_up
  fi
fi

log=$(mktemp)
install() {
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium >"$log" 2>&1
}
if ! install; then
  # A stale package index is the usual reason: refresh it once and try again.
  $SUDO apt-get update -q >>"$log" 2>&1
  install
fi

if [ -x "$CHROMIUM" ]; then
  rm -f "$log"
  exit 0
fi
echo "ensure_chromium: could not install chromium; browser tests will skip. Last lines of apt-get:" >&2
tail -n 5 "$log" >&2
rm -f "$log"
give_up
