#!/usr/bin/env bash
# Starts or stops a local PostgreSQL bound to loopback for the tests and
# benches: its own cluster under /tmp (trust authentication, no password),
# owned by the `postgres` user Debian's package creates.
#   scripts/postgres.sh start   # waits until it answers
#   scripts/postgres.sh stop
#   scripts/postgres.sh url     # the connection URL the tests use
set -euo pipefail
port=${STEWARD_PG_PORT:-5433}
data=${STEWARD_PG_DATA:-/tmp/steward-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_postgres() { runuser -u postgres -- "$@"; }

case "${1:-}" in
  start)
    [ -n "$bin" ] || { echo "postgres: the postgresql package is missing (scripts/setup.sh test)" >&2; exit 1; }
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data"
      chown postgres:postgres "$data"
      as_postgres "$bin/initdb" -D "$data" -A trust -U postgres --no-sync >/dev/null
    fi
    if as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "postgres: already running"
    else
      echo "postgres: starting on 127.0.0.1:$port"
      # fsync stays on: the store's durability is what the tests check.
      as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 120 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200" start >/dev/null
    fi
    echo "postgres: ready, $(bash "$0" url)"
    ;;
  stop)
    if [ -n "$bin" ] && [ -f "$data/PG_VERSION" ]; then
      as_postgres "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    echo "postgres: stopped"
    ;;
  url)
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
