#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster, then remove the cluster.
# initdb refuses root, so as root the cluster runs as the `postgres` user.
set -euo pipefail

find_bin() {
  for dir in /usr/lib/postgresql/15/bin /usr/local/pgsql/bin; do
    [ -x "$dir/$1" ] && { echo "$dir/$1"; return; }
  done
  command -v "$1" || true
}
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "PostgreSQL 15 server not found: installing postgresql-15" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
  else
    echo "PostgreSQL 15 server binaries (initdb, pg_ctl) not found" >&2; exit 1
  fi
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

tmp=$(mktemp -d /tmp/srbgov-pg.XXXXXX)
chmod 755 "$tmp"
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  as_pg "$PG_CTL" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

as_pg "$INITDB" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_CTL" -D "$tmp/data" -l "$tmp/server.log" -w -o \
  "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
  start >/dev/null
echo "PostgreSQL $("$PG_CTL" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway, $tmp)"
DATABASE_URL="postgres://postgres@127.0.0.1:$port/srbgov" "$@"
