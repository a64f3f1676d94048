#!/usr/bin/env bash
# The SSE measurement against a running stewardd: `clients` subscribers on
# GET /v1/events?types=lease.create while `rate` leases a second are created
# for `seconds` (bench-sse). Prints one line for run.sh to `read -r`:
#   p50_ms p99_ms max_ms missed delivered expected achieved_rate
# and bench-sse's whole JSON line on stderr. Environment:
#   bin      the release build directory (holds bench/bench-sse)      required
#   port     stewardd's HTTP port on 127.0.0.1                        required
#   token    a staff token (staff sees every event)                   required
#   clients  subscribers, default 1000
#   rate     lease creates per second, default 1000
#   seconds  length of the drive, default 10
# missed: deliveries not made by 15 s after the last create was answered; the
# JSON tells them apart: late_clients (still connected, events still coming)
# and disconnected (dropped by stewardd, e.g. its queue overflowed).
# stewardd needs no flag: it has no connection limit, and `[api] sse_queue`
# (1024 events per client) only drops a client that falls that far behind,
# which is part of what this measures. stewardd needs a descriptor per
# subscriber too: start it under `ulimit -n` of at least clients + 256.
set -euo pipefail
: "${bin:?bin: the build directory}" "${port:?port: the port of stewardd}" "${token:?token: a staff token}"
clients=${clients:-1000}
rate=${rate:-1000}
seconds=${seconds:-10}
url=http://127.0.0.1:$port

# Each create takes one host for an hour of its own: four reservable hosts
# are plenty. The simulated cloud reports its hosts once stewardd is up:
# wait until the inventory lists them. Already enrolled (409) is fine.
for h in compute-1 compute-2 compute-3 compute-4; do
  for _ in $(seq 600); do
    curl -sf -H "X-Auth-Token: $token" "$url/v1/inventory/hosts/$h" >/dev/null && break
    sleep 0.05
  done
done
for h in compute-1 compute-2 compute-3 compute-4; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Auth-Token: $token" \
    -H 'Content-Type: application/json' -d "{\"name\": \"$h\"}" "$url/v1/os-hosts")
  case $code in
    2??|409) ;;
    *) echo "sse.sh: enrolling $h answered $code" >&2; exit 1 ;;
  esac
done

# One descriptor per subscriber and driver (stewardd needs as many: run.sh's
# limit applies to it).
need=$(( clients + 256 ))
[ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge "$need" ] || ulimit -Sn "$need" ||
  echo "sse.sh: ulimit -n is $(ulimit -Sn), $need wanted" >&2
json=$("$bin/bench/bench-sse" 127.0.0.1 "$port" "$token" "$clients" "$rate" "$seconds")
echo "$json" >&2
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$json"; }
echo "$(field p50_ms) $(field p99_ms) $(field max_ms) $(field missed) $(field delivered) $(field expected) $(field achieved_rate)"
