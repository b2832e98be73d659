#!/usr/bin/env bash
# The browser tests drive Debian's chromium through Playwright (no browser download).
# Install it (and a CJK font for screenshots) when missing and we may.
set -euo pipefail
if command -v chromium >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "chromium not found and cannot be installed here: browser tests will be skipped" >&2
fi
