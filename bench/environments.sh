#!/usr/bin/env bash
# Environment reads (Murano's API) against their bar: the real murano-api
# answers about 250 shows/s and 100 lists/s with 10 environments on this
# machine (REFERENCE.md); Steward must answer at least 100 times that. Starts
# stewardd on its embedded defaults, creates 10 environments of one
# project, each with a session and an application, and runs wrk on a show
# and on the list; then, as the limit of this machine in the same run, a
# bare Boost.Beast server (bench-bare-server, same io threads) answering
# the very body of each, under the same wrk settings.
#   STEWARD_BENCH_BIN=<build dir> with daemon/stewardd and bench/bench-bare-server
#   already built (unset: installs what is missing and builds build-release)
#   STEWARD_BENCH_SECONDS=10
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STEWARD_BENCH_BIN:-build-release}
if [ -z "${STEWARD_BENCH_BIN:-}" ]; then  # as bench/run.sh builds them
  bash scripts/setup.sh bench
  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSTEWARD_TESTS=OFF -DSTEWARD_BENCH=ON >/dev/null
  cmake --build build-release --target stewardd bench-bare-server -j "$(nproc)"
fi
seconds=${STEWARD_BENCH_SECONDS:-10}
port=18191
token=bench-project-token
project=bcd23f91658347efb748a5708df7ebe3  # web-shop, sim/default_workload.json
work=$(mktemp -d /tmp/steward-bench-env.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "{\"$token\": {\"user_id\": \"bench\", \"projects\": {\"$project\": \"admin\"}}}" \
  >"$work/tokens.json"
"$bin/daemon/stewardd" --state_dir "$work" --log_level warning --api-bind_port "$port" \
  --api-workers 2 --auth-tokens_file "$work/tokens.json" \
  --simulator-default_duration 0 >"$work/out" 2>"$work/log" &
pid=$!
api=http://127.0.0.1:$port
call() { curl -sf -H "X-Auth-Token: $token" -H "Content-Type: application/json" "$@"; }
until call "$api/v1/environments" >/dev/null; do sleep 0.05; done
first=
for i in $(seq 1 10); do
  id=$(call -X POST -d "{\"name\": \"env-$i\"}" "$api/v1/environments" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  session=$(call -X POST "$api/v1/environments/$id/configure" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  call -X POST -H "X-Configuration-Session: $session" \
    -d "{\"name\": \"app-$i\", \"?\": {\"id\": \"app-$i\", \"type\": \"io.murano.apps.Telnet\"}}" \
    "$api/v1/environments/$id/services" >/dev/null
  first=${first:-$id}
done

# wrk reduced to "requests/s p50 p99 non-2xx".
measure() {
  wrk -t2 -c32 -d"${seconds}s" --latency -H "X-Auth-Token: $token" "$1" | awk '
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2}
    /^ +99%/ {p99 = $2}
    /Non-2xx/ {bad = $NF}
    END {printf "%d %s %s %d\n", rps, p50, p99, bad}'
}
bare_limit() { # body file
  "$bin/bench/bench-bare-server" 18192 2 "$1" >/dev/null &
  local bare=$!
  until curl -sf "http://127.0.0.1:18192/" >/dev/null; do sleep 0.05; done
  measure "http://127.0.0.1:18192/"
  kill "$bare"; wait "$bare" 2>/dev/null || true
}
read -r show_rps show_p50 show_p99 show_bad < <(measure "$api/v1/environments/$first")
read -r list_rps list_p50 list_p99 list_bad < <(measure "$api/v1/environments")
call "$api/v1/environments/$first" >"$work/show.json"
call "$api/v1/environments" >"$work/list.json"
kill "$pid"; wait "$pid" 2>/dev/null || true
pid=
read -r show_bare _ < <(bare_limit "$work/show.json")
read -r list_bare _ < <(bare_limit "$work/list.json")
echo "| read | requests/s | p50 | p99 | non-2xx | bar (100 x murano-api) | bare Beast, same body |"
echo "|---|---|---|---|---|---|---|"
echo "| environment show | $show_rps | $show_p50 | $show_p99 | $show_bad | 25000 | $show_bare |"
echo "| environment list (10) | $list_rps | $list_p50 | $list_p99 | $list_bad | 10000 | $list_bare |"
