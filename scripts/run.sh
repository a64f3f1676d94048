#!/usr/bin/env bash
# Installs what is missing, builds a release stewardd and runs it on its
# embedded defaults: SQLite in ./var, the in-process bus. Extra arguments go
# to stewardd (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSTEWARD_TESTS=OFF -DSTEWARD_BENCH=OFF >/dev/null
cmake --build build-release --target stewardd -j "$(nproc)"
exec ./build-release/daemon/stewardd "$@"
