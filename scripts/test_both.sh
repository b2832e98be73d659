#!/usr/bin/env bash
# Run the suite on SQLite and on a throwaway PostgreSQL 15 at the same time, one process
# each: the suite is single-threaded, so on the 2-core CI machine this halves the wall time
# (docs/architecture.md "Checks"). Each run writes its own log under var/; both logs are
# printed whole when both have ended, so that neither's output is interleaved with the
# other's, and the exit status is non-zero if either failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
started=$(date +%s)
make --no-print-directory test-sqlite >var/test-sqlite.log 2>&1 &
sqlite=$!
make --no-print-directory test-postgres >var/test-postgres.log 2>&1 &
postgres=$!
progress() { grep -o '\[ *[0-9]*%\]' "$1" | tail -1 | tr -d '[ ]' || true; }
# A line a minute, so that a slow run shows it is alive.
next=60
while kill -0 "$sqlite" 2>/dev/null || kill -0 "$postgres" 2>/dev/null; do
  sleep 5
  [ $(( $(date +%s) - started )) -lt "$next" ] && continue
  next=$(( next + 60 ))
  echo "tests running: $(( ($(date +%s) - started) / 60 )) min," \
    "SQLite $(progress var/test-sqlite.log), PostgreSQL $(progress var/test-postgres.log)"
done
wait "$sqlite"; sqlite_status=$?
wait "$postgres"; postgres_status=$?
cat var/test-sqlite.log
cat var/test-postgres.log
echo "SQLite exit $sqlite_status, PostgreSQL exit $postgres_status," \
  "$(( $(date +%s) - started )) s"
[ "$sqlite_status" = 0 ] && [ "$postgres_status" = 0 ]
