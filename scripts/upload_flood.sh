#!/usr/bin/env bash
# Issue 10 item 5, reproduced against a real server (docs/uploads.md): a throwaway SQLite
# file, one county, `manage.py runserver`, then three concurrent anonymous tips each
# with a 6300×6300 black PNG while a staff-like writer takes the write lock every 50 ms.
# usage: scripts/upload_flood.sh [CHECKOUT] [PORT]   (CHECKOUT defaults to this one)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$here}; port=${2:-8799}
tmp=$(mktemp -d /tmp/srbgov-flood.XXXXXX)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
export SRBGOV_FIELD_KEY=${SRBGOV_FIELD_KEY:-dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=}
export SRBGOV_TIPS_KEY=${SRBGOV_TIPS_KEY:-dGVzdC10aXBzLWtleS0zMi1ieXRlcy1sb25nLi4uLi4=}
export SECRET_KEY=${SECRET_KEY:-upload-flood-throwaway-secret}
export DATABASE_URL=sqlite:///$tmp/db.sqlite3 PRIVATE_MEDIA_ROOT=$tmp/private
py=$here/.venv/bin/python
cd "$src"
$py manage.py migrate -v0
echo 'from srbgov.areas.models import Area; Area.objects.create(code="522731000000", name="示范县", level="county")' \
  | $py manage.py shell -v0
$py manage.py runserver --noreload --insecure 127.0.0.1:$port > "$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$port/report/" && break; sleep 1; done
$py "$here/scripts/upload_flood.py" "http://127.0.0.1:$port" "$tmp/db.sqlite3"
echo "server log: $(grep -c 'database is locked' "$tmp/server.log" || true) × database is locked"
