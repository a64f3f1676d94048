#!/usr/bin/env bash
# The stores' raw group-commit rate, SQLite and PostgreSQL on this machine:
# `bench-load-store --insert-rate` (lease-sized writes, each a document, an
# event and an outbox row, 256 in flight) against a SQLite file and against
# a fresh database of the local PostgreSQL (scripts/postgres.sh, fsync on).
#   bash bench/store.sh            # writes=50000
#   STEWARD_BENCH_BIN=build writes=20000 bash bench/store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STEWARD_BENCH_BIN:-build-release}
if [ -z "${STEWARD_BENCH_BIN:-}" ]; then
  bash scripts/setup.sh bench
  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSTEWARD_TESTS=OFF -DSTEWARD_BENCH=ON >/dev/null
fi
cmake --build "$bin" --target bench-load-store -j "$(nproc)" >/dev/null
writes=${writes:-50000}
work=$(mktemp -d /tmp/steward-bench-store.XXXXXX)
database=steward_bench_$$
bash scripts/postgres.sh start >/dev/null
admin=$(bash scripts/postgres.sh url)
cleanup() {
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $database" >/dev/null
echo "sqlite:     $("$bin/bench/bench-load-store" "$work/s.db" --insert-rate "$writes")"
echo "postgresql: $("$bin/bench/bench-load-store" "${admin%/*}/$database" --insert-rate "$writes")"
