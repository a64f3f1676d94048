#!/usr/bin/env bash
# Notification ingest, for one size of bench/run.sh: Nova instance.update
# notifications published to exchange `nova`, key
# `versioned_notifications.info`, consumed by a running stewardd, applied to
# its instance actors, stored with their message ids and acknowledged; against
# the limit of a rabbitmq-c consumer that only acknowledges, fed the same
# notifications through its own queue (`bench.null`, key `bench.null`, so
# stewardd does not see them).
#
# Environment:
#   bin       the release build directory (bench-ingest is $bin/bench/bench-ingest)
#   amqp      stewardd's transport URL, vhost included
#             (rabbit://guest:guest@127.0.0.1:5672/steward-bench)
#   db        stewardd's SQLite file (<state_dir>/steward.db)
#   pid       the running stewardd
#   queue     stewardd's consumer queue (its --messaging-consumer_queue)
#   count     notifications per measurement (default 200000); stewardd's
#             [database] event_retention must be at least this (default 1000000)
#   prefetch  stewardd's [messaging] prefetch (default 256); the null consumer
#             uses the same
#   RABBITMQ_NODENAME  for rabbitmqctl (default rabbit@localhost, as scripts/rabbitmq.sh)
#
# Method: the backlog is published first (with publisher confirms), then
# drained and timed. The limit: COUNT into bench.null, then null-consumed.
# stewardd: stopped (SIGSTOP), COUNT published to its queue, resumed by
# `bench-ingest wait-processed`, which times from SIGCONT until COUNT more
# message ids are in `processed`. Each instance.update turns an instance to
# the opposite of its state (then back), so each one is a stored change: a
# notification stewardd ignored would add no id. Then the queue must empty
# (every message acknowledged) and `processed` must have grown by exactly
# COUNT. Other queues bound to the same key would get every notification
# too: a leftover of an earlier stewardd of the benchmark (`bench.*`, no
# consumer) is deleted, anything else stops the run.
#
# Prints one line "steward_rate null_rate percent" (integers); details on stderr.
set -euo pipefail
: "${bin:?}" "${amqp:?}" "${db:?}" "${pid:?}" "${queue:?}"
count=${count:-200000}
prefetch=${prefetch:-256}
tool=$bin/bench/bench-ingest
vhost=${amqp##*/}
vhost=${vhost:-/}
node=${RABBITMQ_NODENAME:-rabbit@localhost}
exchange=nova
key=versioned_notifications.info
null_queue=bench.null

work=$(mktemp -d /tmp/steward-ingest.XXXXXX)
stopped=0
finish() {
  if [ "$stopped" = 1 ]; then kill -CONT "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap finish EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap resumes stewardd

say() { echo "ingest: $*" >&2; }
fail() { say "$*"; exit 1; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }  # a number from a JSON line
rmq() { rabbitmqctl -q -n "$node" "$@"; }

# Messages in `queue`, ready and unacknowledged.
depth() {
  rmq list_queues -p "$vhost" name messages | awk -v q="$1" '$1 == q {print $2; f=1} END {if (!f) print -1}'
}

# Waits up to $2 seconds until `queue` $1 holds no message at all.
wait_empty() {
  local deadline=$((SECONDS + $2)) n
  while n=$(depth "$1"); [ "$n" != 0 ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "queue $1 still holds $n messages"
    sleep 0.2
  done
}

# Queues other than stewardd's that the notifications would reach.
clear_other_listeners() {
  local q consumers
  for q in $(rmq list_bindings -p "$vhost" source_name destination_name destination_kind routing_key |
             awk -F'\t' -v x="$exchange" -v k="$key" -v own="$queue" \
               '$1 == x && $3 == "queue" && ($4 == k || $4 == "#") && $2 != own {print $2}' | sort -u); do
    consumers=$(rmq list_queues -p "$vhost" name consumers | awk -v q="$q" '$1 == q {print $2}')
    if [[ $q == bench.* && $consumers == 0 ]]; then
      say "deleting $q, left by an earlier stewardd (it would collect every notification)"
      rmq delete_queue -p "$vhost" "$q" >/dev/null
    else
      fail "queue $q ($consumers consumers) is bound to $exchange/$key too; it would get every notification"
    fi
  done
}

# The instances, as the publisher needs them (bench/ingest.cpp, INSTANCES_FILE):
# online and offline ones only, whose instance.update is applied.
sqlite3 -readonly -separator $'\t' "$db" "
  select id, json_extract(document, '\$.host'), project, json_extract(document, '\$.hostname'),
         json_extract(document, '\$.state'), json_extract(document, '\$.cloud_name'),
         json_extract(document, '\$.flavor'), json_extract(document, '\$.flavor_name'),
         json_extract(document, '\$.cores'), json_extract(document, '\$.ram'),
         json_extract(document, '\$.system_volume_size') / 1024, json_extract(document, '\$.template'),
         json_extract(document, '\$.key_name'), json_extract(document, '\$.data_volume_size') / 1024,
         json_extract(document, '\$.internal_ips[0]')
  from entities where kind = 'instance' and json_extract(document, '\$.state') in ('+', '-')" \
  >"$work/instances.tsv"
[ -s "$work/instances.tsv" ] || fail "no online or offline instance in $db"

# stewardd idle: whatever its queue held at start is consumed.
wait_empty "$queue" 120

# The limit.
"$tool" publish "$amqp" "$exchange" "$null_queue" "$count" "$work/instances.tsv" \
  --declare-queue "$null_queue" >"$work/null-publish.json"
"$tool" null-consume "$amqp" "$null_queue" "$count" "$prefetch" >"$work/null.json"
rmq delete_queue -p "$vhost" "$null_queue" >/dev/null
say "null consumer: publish $(cat "$work/null-publish.json"), consume $(cat "$work/null.json")"

# stewardd.
clear_other_listeners
kill -STOP "$pid"
stopped=1
"$tool" publish "$amqp" "$exchange" "$key" "$count" "$work/instances.tsv" >"$work/publish.json"
# wait-processed resumes it (the trap does, should it fail before).
"$tool" wait-processed "$db" "$count" --resume "$pid" --timeout 900 >"$work/steward.json" ||
  fail "stewardd did not process them all: $(cat "$work/steward.json")"
stopped=0
say "stewardd: publish $(cat "$work/publish.json"), drain $(cat "$work/steward.json")"

# Nothing lost, nothing extra: every message acknowledged, each stored once.
wait_empty "$queue" 30
from=$(field from_seq <"$work/steward.json")
stored=$(sqlite3 -readonly "$db" "select count(*) from processed where seq > $from")
[ "$stored" = "$count" ] || fail "processed grew by $stored, not $count"

steward_rate=$(field rate <"$work/steward.json")
null_rate=$(field rate <"$work/null.json")
steward_rate=${steward_rate%.*}
null_rate=${null_rate%.*}
echo "$steward_rate $null_rate $((100 * steward_rate / (null_rate > 0 ? null_rate : 1)))"
