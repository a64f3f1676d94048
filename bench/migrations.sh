#!/usr/bin/env bash
# A tenant's migration between the simulated clouds against its bar: 1,000
# servers with zero simulated delays in under 10 s, and 100 clients on its
# event stream each getting every event in order. Starts stewardd on a
# generated workload (a source cloud of 20 hosts with the tenant's 1,000
# servers, an empty destination of 20 hosts), begins the migration, and
# reads its stream (GET /events/{id}) with `clients` curl processes that
# connect right after the POST (a stream replays from its first event).
# Prints the time from the POST to the last client's end, the events each
# client got, and whether every client got the very same events in order.
#   STEWARD_BENCH_BIN=<build dir> with daemon/stewardd already built
#   (unset: installs what is missing and builds build-release)
#   servers=1000 clients=100 parallel=100
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STEWARD_BENCH_BIN:-build-release}
if [ -z "${STEWARD_BENCH_BIN:-}" ]; then  # as bench/run.sh builds them
  bash scripts/setup.sh bench
  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DSTEWARD_TESTS=OFF -DSTEWARD_BENCH=ON >/dev/null
  cmake --build build-release --target stewardd -j "$(nproc)"
fi
servers=${servers:-1000}
clients=${clients:-100}
parallel=${parallel:-100}
port=18192
token=bench-staff-token
work=$(mktemp -d /tmp/steward-bench-migration.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  jobs -p | xargs -r kill 2>/dev/null || true
  [ -n "${STEWARD_BENCH_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 - "$servers" >"$work/workload.json" <<'PY'
import json, sys
n = int(sys.argv[1])
hosts = lambda prefix: [{"name": "%s-%02d" % (prefix, i), "vcpus": 64, "memory_mb": 262144,
                         "local_gb": 5000} for i in range(20)]
flavor = lambda uuid: [{"uuid": uuid, "name": "m1.small", "cores": 1, "ram": 2048, "disk": 20480}]
image = lambda uuid: [{"uuid": uuid, "name": "cirros", "os": "Cirros"}]
src = {"uuid": "c0" * 16, "name": "default", "hosts": hosts("src"), "flavors": flavor("f0" * 16),
       "templates": image("a0" * 16)}
dst = {"uuid": "c1" * 16, "name": "destination", "hosts": hosts("dst"),
       "flavors": flavor("f1" * 16), "templates": image("a1" * 16)}
project = "b0" * 16
instances = [{"uuid": "%032x" % (i + 1), "cloud": "default", "host": "src-%02d" % (i % 20),
              "display_name": "vm-%04d" % i, "project": project, "flavor": "f0" * 16,
              "template": "a0" * 16, "state": "active"} for i in range(n)]
print(json.dumps({"clouds": [src, dst],
                  "customers": [{"uuid": "e0" * 16, "name": "Bench", "abbreviation": "B"}],
                  "project_groups": [],
                  "projects": [{"uuid": project, "name": "big", "customer": "e0" * 16,
                                "clouds": ["c0" * 16]}],
                  "instances": instances}))
PY
echo "{\"$token\": {\"user_id\": \"bench\", \"staff\": true}}" >"$work/tokens.json"
"$bin/daemon/stewardd" --state_dir "$work" --log_level warning --api-bind_port "$port" \
  --auth-tokens_file "$work/tokens.json" --simulator-default_duration 0 \
  --simulator-usage_interval 0 --simulator-workload_file "$work/workload.json" \
  --migration-parallel_servers "$parallel" >"$work/out" 2>"$work/log" &
pid=$!
api=http://127.0.0.1:$port
call() { curl -sf -H "X-Auth-Token: $token" "$@"; }
until [ "$(call "$api/resources" 2>/dev/null | grep -o '"type":"server"' | wc -l)" -ge "$servers" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/out" "$work/log" >&2; exit 1; }
  sleep 0.1
done
start=$(date +%s.%N)
id=$(call -X POST "$api/tenants/$(printf 'b0%.0s' $(seq 16))" | sed 's/.*"id":"\([^"]*\)".*/\1/')
for c in $(seq "$clients"); do
  curl -sN -H "X-Auth-Token: $token" "$api/events/$id" >"$work/client-$c" &
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
end=$(date +%s.%N)
events=$(grep -c '^id: ' "$work/client-1" || true)
same=yes
for c in $(seq 2 "$clients"); do
  cmp -s "$work/client-1" "$work/client-$c" || same=no
done
last=$(grep '^event: ' "$work/client-1" | tail -1)
migrated=$(grep -c '^event: server migrated' "$work/client-1" || true)
printf 'servers %s, parallel %s: %.2f s from the POST to the last of %s clients; %s events each (%s servers migrated), the same in order for every client: %s; last: %s\n' \
  "$servers" "$parallel" "$(awk "BEGIN {print $end - $start}")" "$clients" "$events" "$migrated" "$same" "$last"
