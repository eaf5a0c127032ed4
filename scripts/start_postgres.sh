#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the tests and print its URL.
# Installs Debian's postgresql when no server binaries are found (needs root, as in CI).
# Usage: export HADATH_TEST_POSTGRES=$(scripts/start_postgres.sh)
set -euo pipefail
PORT="${HADATH_PG_PORT:-54329}"
DATA="${HADATH_PG_DATA:-/tmp/hadath-pg-$PORT}"

bindir() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

BIN="$(bindir || true)"
if [ -z "$BIN" ]; then
  echo "start_postgres: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null; }) >&2
  BIN="$(bindir)"
fi

# the server refuses to run as root: run it as the postgres user (or nobody)
RUNAS=""
if [ "$(id -u)" = "0" ]; then
  if id postgres >/dev/null 2>&1; then RUNAS=postgres; else RUNAS=nobody; fi
fi
as_user() { if [ -n "$RUNAS" ]; then runuser -u "$RUNAS" -- "$@"; else "$@"; fi; }

if ! as_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  [ -n "$RUNAS" ] && chown "$RUNAS" "$DATA"
  as_user "$BIN/initdb" -D "$DATA" -U hadath --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_user "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >&2
fi
as_user "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U hadath -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'hadath_test'" | grep -q 1 || \
  as_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U hadath hadath_test
echo "postgresql://hadath@127.0.0.1:$PORT/hadath_test"
