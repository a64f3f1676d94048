#!/usr/bin/env bash
# Starts or stops a local RabbitMQ bound to loopback for the tests and benches.
#   scripts/rabbitmq.sh start   # waits until it answers, adds the test vhost
#   scripts/rabbitmq.sh stop
set -euo pipefail
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_NODENAME=${RABBITMQ_NODENAME:-rabbit@localhost}
export RABBITMQ_PID_FILE=${RABBITMQ_PID_FILE:-/tmp/steward-rabbitmq.pid}
vhost=${STEWARD_TEST_VHOST:-steward-test}

case "${1:-}" in
  start)
    if rabbitmqctl -q -n "$RABBITMQ_NODENAME" status >/dev/null 2>&1; then
      echo "rabbitmq: already running"
    else
      echo "rabbitmq: starting on 127.0.0.1:5672"
      nohup rabbitmq-server >/tmp/steward-rabbitmq.log 2>&1 &
      rabbitmqctl -q -n "$RABBITMQ_NODENAME" wait --timeout 120 "$RABBITMQ_PID_FILE"
    fi
    rabbitmqctl -q -n "$RABBITMQ_NODENAME" await_startup --timeout 120
    rabbitmqctl -q -n "$RABBITMQ_NODENAME" add_vhost "$vhost" 2>/dev/null || true
    rabbitmqctl -q -n "$RABBITMQ_NODENAME" set_permissions -p "$vhost" guest '.*' '.*' '.*'
    echo "rabbitmq: ready, vhost $vhost"
    ;;
  stop)
    rabbitmqctl -q -n "$RABBITMQ_NODENAME" stop "$RABBITMQ_PID_FILE" 2>/dev/null || true
    echo "rabbitmq: stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
