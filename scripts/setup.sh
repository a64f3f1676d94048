#!/usr/bin/env bash
# Installs the Debian packages Steward needs that are not there yet.
#   scripts/setup.sh build   # compiler, CMake, libraries
#   scripts/setup.sh test    # the above, plus RabbitMQ, PostgreSQL, the OpenStack clients the tests drive,
#                            # and the npm `eventsource` package (in tests/tools/node_modules)
#   scripts/setup.sh bench   # build, plus RabbitMQ, PostgreSQL, wrk and the sqlite3 shell
#   scripts/setup.sh fuzz    # build, plus clang and its libFuzzer and sanitizer runtimes
set -euo pipefail
build_packages=(g++ cmake make libcaf-dev librabbitmq-dev nlohmann-json3-dev libboost-dev
                libgtest-dev libsqlite3-dev libpq-dev)
test_packages=(rabbitmq-server postgresql python3-oslo.messaging python3-blazarclient python3-muranoclient
               nodejs)
bench_packages=(rabbitmq-server postgresql wrk sqlite3 bc)
# -fsanitize=fuzzer links libclang_rt.fuzzer from libclang-rt-14-dev (only
# recommended by clang, so named); the standalone libfuzzer-14-dev is not needed.
fuzz_packages=(clang libclang-rt-14-dev)

wanted=("${build_packages[@]}")
case "${1:-build}" in
  test) wanted+=("${test_packages[@]}" "${fuzz_packages[@]}") ;;
  bench) wanted+=("${bench_packages[@]}") ;;
  fuzz) wanted+=("${fuzz_packages[@]}") ;;
esac
missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The npm EventSource client a test reads an event stream with (npm, not
# Debian, has it); pinned, and fetched once.
tools="$(dirname "$0")/../tests/tools"
if [ "${1:-build}" = test ] && [ ! -f "$tools/node_modules/eventsource/package.json" ]; then
  # Debian's nodejs comes without npm; NodeSource's has it (and conflicts with Debian's npm).
  command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  echo "setup: installing the npm eventsource package into tests/tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-save eventsource@2.0.2 >/dev/null
fi
