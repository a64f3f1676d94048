#!/usr/bin/env bash
# The benchmark, in one command: installs what is missing, builds release
# binaries, starts a local RabbitMQ, and for each size (1k, 10k, 100k leases
# and as many instances) loads the store, starts stewardd on SQLite and
# RabbitMQ, and measures recovery, memory, HTTP reads, durable writes and
# notification ingest, each against its limit measured in the same run on
# the same machine:
#   reads   a bare Boost.Beast server (bench-bare-server) answering the very
#           body stewardd answered, same io threads, same wrk settings
#   writes  the store's raw group-commit rate (bench-load-store --insert-rate)
#   ingest  a rabbitmq-c consumer that only acks (bench/ingest.sh)
# Then, once: 100k lease starts falling due within 10 s (timer lateness, from
# the event log), and 1,000 SSE subscribers at 1,000 events/s (bench-sse).
# The tables go to bench/results/latest.md and to stdout.
#   STEWARD_BENCH_SIZES="1000 10000 100000"  STEWARD_BENCH_SECONDS=10
#   STEWARD_BENCH_INGEST=200000 (notifications)  STEWARD_BENCH_TIMERS=100000
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/setup.sh bench
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSTEWARD_TESTS=OFF -DSTEWARD_BENCH=ON >/dev/null
cmake --build build-release --target stewardd bench-bare-server bench-load-store \
  bench-timer-lateness bench-ingest bench-sse bench-document-memory -j "$(nproc)"
STEWARD_TEST_VHOST=steward-bench bash scripts/rabbitmq.sh start

sizes=${STEWARD_BENCH_SIZES:-"1000 10000 100000"}
seconds=${STEWARD_BENCH_SECONDS:-10}
io_threads=2
wrk_args=(-t2 -c32 -d"${seconds}s" --latency)
port=18181
bare_port=18182
token=bench-staff-token
amqp=rabbit://guest:guest@127.0.0.1:5672/steward-bench
bin=$root/build-release
work=$(mktemp -d /tmp/steward-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
json_field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# wrk, reduced to "requests/s p50 p99 non-2xx".
measure() {
  wrk "${wrk_args[@]}" -H "X-Auth-Token: $token" "$@" | awk '
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2}
    /^ +99%/ {p99 = $2}
    /Non-2xx/ {bad = $NF}
    END {printf "%d %s %s %d\n", rps, p50, p99, bad}'
}

# The limit for a read: the bare server answering `body_file`.
bare_limit() {
  "$bin/bench/bench-bare-server" "$bare_port" "$io_threads" "$1" >/dev/null &
  local pid=$!
  until curl -sf "http://127.0.0.1:$bare_port/" >/dev/null; do sleep 0.05; done
  measure "http://127.0.0.1:$bare_port/"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

start_stewardd() { # state_dir
  "$bin/daemon/stewardd" --state_dir "$1" --log_level warning \
    --api-bind_port "$port" --api-workers "$io_threads" \
    --auth-tokens_file "$work/tokens.json" \
    --messaging-transport_url "$amqp" --messaging-consumer_queue "bench.$(basename "$1")" \
    --simulator-default_duration 0 >"$1/stewardd.out" 2>"$1/stewardd.log" &
  echo $!
}

wait_get() { # path: until it answers 200
  until curl -sf -H "X-Auth-Token: $token" "http://127.0.0.1:$port$1" >/dev/null; do sleep 0.05; done
}

echo "{\"$token\": {\"user_id\": \"bench\", \"staff\": true}}" >"$work/tokens.json"

# The limit for durable writes, and the memory of an empty stewardd.
insert_rate=$("$bin/bench/bench-load-store" "$work/rate.db" --insert-rate 50000 |
              sed 's/.*"insert_rate":\([0-9.]*\).*/\1/')
mkdir -p "$work/empty"
pid=$(start_stewardd "$work/empty"); pids+=("$pid")
wait_get /readyz; sleep 3
base_rss=$(rss_kb "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true
rabbitmqctl -q -n rabbit@localhost delete_queue -p steward-bench bench.empty >/dev/null

rows=()
trees_by_size=()
for n in $sizes; do
  dir=$work/n$n
  mkdir -p "$dir"
  echo "bench: $n leases and $n instances"
  "$bin/bench/bench-load-store" "$dir/steward.db" --leases "$n" --instances "$n" >/dev/null
  doc_bytes=$(sqlite3 "$dir/steward.db" \
    "select cast(avg(length(document)) as int) from entities where kind in ('lease','instance')")
  trees=""
  for kind in lease instance; do
    m=$("$bin/bench/bench-document-memory" "$dir/steward.db" "$kind")
    trees+="$kind $(json_field text_bytes <<<"$m" | cut -d. -f1) B as text, $(json_field held_bytes <<<"$m" | cut -d. -f1) B held; "
  done
  lease=$(sqlite3 "$dir/steward.db" "select id from entities where kind='lease' limit 1")
  page="/api/instances/?project_name=shop&state=Online&o=-hostname&page_size=20"

  # Recovery: the median of three starts (one start varies by a second on a
  # shared machine), the first two on copies of the store, since a start
  # changes it (due events run, the cloud reports); the last one goes on.
  starts=()
  for attempt in 1 2 3; do
    run_dir=$dir
    if [ "$attempt" -lt 3 ]; then
      run_dir=$dir-try$attempt
      mkdir -p "$run_dir"
      cp "$dir"/steward.db* "$run_dir/"
    fi
    began=$(now)
    pid=$(start_stewardd "$run_dir"); pids+=("$pid")
    wait_get "/v1/leases/$lease"
    wait_get "/api/instances/?page_size=1"
    starts+=("$(printf '%.2f' "$(echo "$(now) - $began" | bc)")")
    if [ "$attempt" -lt 3 ]; then
      kill "$pid"; wait "$pid" 2>/dev/null || true
      rabbitmqctl -q -n rabbit@localhost delete_queue -p steward-bench "bench.$(basename "$run_dir")" >/dev/null
      rm -rf "$run_dir"
    fi
  done
  sorted=($(printf '%s\n' "${starts[@]}" | sort -n))
  recovery="${sorted[1]} (${sorted[0]}-${sorted[2]})"
  sleep 3
  per_entity=$(( ($(rss_kb "$pid") - base_rss) * 1024 / (2 * n) ))

  curl -sf -H "X-Auth-Token: $token" "http://127.0.0.1:$port/v1/leases/$lease" >"$dir/lease.json"
  curl -sf -H "X-Auth-Token: $token" "http://127.0.0.1:$port$page" >"$dir/page.json"
  read -r lease_rps lease_p50 lease_p99 _ < <(measure "http://127.0.0.1:$port/v1/leases/$lease")
  read -r page_rps page_p50 page_p99 _ < <(measure "http://127.0.0.1:$port$page")

  for h in compute-1 compute-2 compute-3 compute-4; do
    curl -sf -X POST -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
      -d "{\"name\": \"$h\"}" "http://127.0.0.1:$port/v1/os-hosts" >/dev/null
  done
  read -r post_rps _ post_p99 post_bad < <(measure -s "$root/bench/post_lease.lua" \
    -H 'Content-Type: application/json' "http://127.0.0.1:$port/v1/leases")
  # Last: it changes the instances' states, which the page reads filter on.
  read -r ingest_rate null_ingest_rate ingest_pct < <(
    bin=$bin amqp=$amqp db=$dir/steward.db pid=$pid queue="bench.$(basename "$dir")" \
    count="${STEWARD_BENCH_INGEST:-200000}" bash "$root/bench/ingest.sh")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # Its queue would collect the next run's notifications.
  rabbitmqctl -q -n rabbit@localhost delete_queue -p steward-bench "bench.$(basename "$dir")" >/dev/null

  read -r bare_lease_rps _ _ _ < <(bare_limit "$dir/lease.json")
  read -r bare_page_rps _ _ _ < <(bare_limit "$dir/page.json")
  pct() { echo "$(( 100 * $1 / ($2 > 0 ? $2 : 1) ))%"; }
  rows+=("| $n + $n | $recovery s | $per_entity B ($doc_bytes B stored) | $lease_rps, $lease_p50 / $lease_p99 | $(pct "$lease_rps" "$bare_lease_rps") of $bare_lease_rps | $page_rps, $page_p50 / $page_p99 | $(pct "$page_rps" "$bare_page_rps") of $bare_page_rps | $post_rps, p99 $post_p99 ($post_bad refused) | $(pct "$post_rps" "${insert_rate%.*}") of ${insert_rate%.*} | $ingest_rate | $ingest_pct% of $null_ingest_rate |")
  trees_by_size+=("| $n + $n | ${trees%; } |")
done

# Timers: leases whose starts fall due evenly within 10 s, each on a host of
# its own (so that nothing but its timer decides when it starts), loaded
# before stewardd starts; then how late each start was, from the event log.
timers=${STEWARD_BENCH_TIMERS:-100000}
dir=$work/timers
mkdir -p "$dir"
echo "bench: $timers lease starts falling due within 10 s"
"$bin/bench/bench-load-store" "$dir/steward.db" --timers "$timers" --due-in 30 --window 10 >/dev/null
pid=$(start_stewardd "$dir"); pids+=("$pid")
started() { sqlite3 "$dir/steward.db" "select count(*) from events where type = 'lease.event.start_lease'"; }
deadline=$((SECONDS + 200))
until [ "$(started)" -ge "$timers" ] || [ $SECONDS -ge $deadline ]; do sleep 1; done
sleep 3  # a start recorded twice would be in by now
kill "$pid"; wait "$pid" 2>/dev/null || true
rabbitmqctl -q -n rabbit@localhost delete_queue -p steward-bench bench.timers >/dev/null
lateness=$("$bin/bench/bench-timer-lateness" "$dir/steward.db" "$timers")
timer_row="| $timers starts due within 10 s | $(json_field p50_ms <<<"$lateness") ms | $(json_field p99_ms <<<"$lateness") ms | $(json_field max_ms <<<"$lateness") ms | $(json_field lost <<<"$lateness") | $(json_field twice <<<"$lateness") |"

# SSE: 1,000 subscribers on /v1/events while 1,000 leases a second are
# created (bench/sse.sh), on a stewardd of its own; a descriptor per client.
echo "bench: 1000 SSE subscribers, 1000 events/s"
ulimit -n 4096 2>/dev/null || true
mkdir -p "$work/sse"
pid=$(start_stewardd "$work/sse"); pids+=("$pid")
wait_get /readyz
read -r sse_p50 sse_p99 sse_max sse_missed sse_delivered sse_expected sse_rate < <(
  bin=$bin port=$port token=$token clients=1000 rate=1000 seconds=$seconds bash "$root/bench/sse.sh")
kill "$pid"; wait "$pid" 2>/dev/null || true
rabbitmqctl -q -n rabbit@localhost delete_queue -p steward-bench bench.sse >/dev/null
sse_row="| 1000 subscribers, 1000 events/s asked, ${sse_rate%.*}/s made | $sse_p50 ms | $sse_p99 ms | $sse_max ms | $sse_delivered of $sse_expected | $sse_missed |"

mkdir -p bench/results
{
  echo "Steward benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)"
  echo "wrk ${wrk_args[*]}; stewardd and the bare server with $io_threads io threads; SQLite, RabbitMQ."
  echo
  echo "| leases + instances | recovery | memory per entity | GET /v1/leases/{id}: req/s, p50 / p99 | of bare Beast | instances page: req/s, p50 / p99 | of bare Beast | POST /v1/leases: req/s | of raw group commit | ingest: notifications/s | of the null consumer |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| leases + instances | one document |"
  echo "|---|---|"
  printf '%s\n' "${trees_by_size[@]}"
  echo
  echo "| timers | lateness p50 | p99 | max | lost | twice |"
  echo "|---|---|---|---|---|---|"
  echo "$timer_row"
  echo
  echo "| SSE | latency p50 | p99 | max | delivered | missed |"
  echo "|---|---|---|---|---|---|"
  echo "$sse_row"
} | tee bench/results/latest.md
