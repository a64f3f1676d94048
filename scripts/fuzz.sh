#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan and UBSan) in
# build-fuzz, fuzzes each for a bounded time from a copy of its seed corpus,
# then replays every reproducer in tests/fuzz/regressions/<target>/.
#   scripts/fuzz.sh                        # every target, STEWARD_FUZZ_SECONDS (12) each
#   scripts/fuzz.sh fuzz_host_filter       # only the targets named
# A crash leaves its input in build-fuzz/crashes/<target>/; minimize it with
#   build-fuzz/tests/fuzz/<target> -minimize_crash=1 -runs=20000 <crash file>
# and keep it in tests/fuzz/regressions/<target>/ as a regression test.
set -uo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_http_request fuzz_api_documents fuzz_lease_dates fuzz_host_filter
             fuzz_oslo_decode fuzz_nova_payload)
targets=("${@:-${all_targets[@]}}")
seconds=${STEWARD_FUZZ_SECONDS:-12}   # six targets stay under two minutes in all
jobs=${STEWARD_FUZZ_JOBS:-$(nproc)}

bash scripts/setup.sh fuzz || exit 1
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DSTEWARD_FUZZ=ON -DSTEWARD_TESTS=OFF \
  -DSTEWARD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
nice -n 15 cmake --build build-fuzz -j "$jobs" --target "${targets[@]}" || exit 1

# UBSan prints no stack by default; a report without one says little.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work   # fuzz_http_request's state dir goes there too
# The sanitizer's verdict and the project's frames of the stack, not libFuzzer's.
summary() {
  grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_|.*runtime error|    #[0-9]+ )' "$1" \
    | grep -vE 'fuzzer::|__sanitizer|pthread_kill|raise|abort|_start|libc' | cut -c1-240 | head -14
}
passed=0
failed=0
for t in "${targets[@]}"; do
  bin=build-fuzz/tests/fuzz/$t
  crashes=build-fuzz/crashes/$t
  mkdir -p "$crashes" "$work/$t"
  # A copy: what the run adds to its corpus is not kept.
  cp tests/fuzz/corpus/"$t"/* "$work/$t/"
  # -timeout above fuzz_http_request's own 20 s bound on one response, so
  # that a hang is reported by the target, with what it waited for.
  "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$work/$t" >"$work/$t.log" 2>&1
  fuzz_rc=$?
  regressions=(tests/fuzz/regressions/"$t"/*)
  replay_rc=0
  if [ -e "${regressions[0]}" ]; then
    "$bin" -rss_limit_mb=2048 -timeout=30 "${regressions[@]}" >"$work/$t.replay.log" 2>&1
    replay_rc=$?
  else
    regressions=()
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$')
  if [ "$fuzz_rc" -eq 0 ] && [ "$replay_rc" -eq 0 ]; then
    echo "fuzz: $t passed (${runs:-?} runs in ${seconds}s, ${#regressions[@]} regressions)"
    passed=$((passed + 1))
    continue
  fi
  failed=$((failed + 1))
  if [ "$fuzz_rc" -ne 0 ]; then
    echo "fuzz: $t FAILED while fuzzing (exit $fuzz_rc); input kept in $crashes/"
    summary "$work/$t.log"
  fi
  if [ "$replay_rc" -ne 0 ]; then
    # The binary stops at the first reproducer that still fails: the last one it ran.
    echo "fuzz: $t FAILED on its regressions (exit $replay_rc) at" \
      "$(grep -o '^Running: .*' "$work/$t.replay.log" | tail -1 | cut -c10-)"
    summary "$work/$t.replay.log"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
