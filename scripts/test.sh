#!/usr/bin/env bash
# Installs what is missing, starts a local RabbitMQ and PostgreSQL on
# loopback, builds, runs the fuzz targets and the whole suite with ctest, and
# stops both servers again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/rabbitmq.sh start
trap 'bash scripts/rabbitmq.sh stop; bash scripts/postgres.sh stop' EXIT
bash scripts/postgres.sh start
export STEWARD_TEST_AMQP_URL=${STEWARD_TEST_AMQP_URL:-rabbit://guest:guest@127.0.0.1:5672/steward-test}
export STEWARD_TEST_PG_URL=${STEWARD_TEST_PG_URL:-$(bash scripts/postgres.sh url)}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
# The libFuzzer targets (clang, ASan, UBSan), each for a bounded time, and
# every crash found so far replayed (tests/fuzz).
bash scripts/fuzz.sh
# One test at a time: the broker tests share one RabbitMQ, and one of them restarts it.
ctest --test-dir build --output-on-failure --timeout 600
