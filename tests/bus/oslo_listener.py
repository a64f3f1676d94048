#!/usr/bin/python3
"""An oslo.messaging notification listener for the bus interop test.

Listens on a topic (default "notifications") of the transport's default
exchange ("openstack"), in its own pool (so its own queue, named after the
pool: it takes nothing from the shared notifications.info queue), and prints
one JSON line per notification received. Prints READY once it is listening.
Runs until SIGTERM or stdin closes.

    oslo_listener.py --url rabbit://guest:guest@127.0.0.1:5672/steward-test \
                     --pool steward-interop-1234
"""
import argparse
import json
import signal
import sys
import threading

from oslo_config import cfg
import oslo_messaging


class Printer(object):
    """Every priority method prints the notification as one JSON line."""

    def _emit(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        line = {
            "priority": priority,
            "publisher_id": publisher_id,
            "event_type": event_type,
            "payload": payload,
            "message_id": metadata.get("message_id"),
            "timestamp": metadata.get("timestamp"),
        }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()

    def _make(priority):
        def method(self, ctxt, publisher_id, event_type, payload, metadata):
            self._emit(priority, ctxt, publisher_id, event_type, payload, metadata)
        return method

    audit = _make("AUDIT")
    debug = _make("DEBUG")
    info = _make("INFO")
    warn = _make("WARN")
    error = _make("ERROR")
    critical = _make("CRITICAL")
    sample = _make("SAMPLE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pool", required=True)
    parser.add_argument("--topic", default="notifications")
    args = parser.parse_args()

    conf = cfg.ConfigOpts()
    conf([], project="steward-oslo-listener")
    transport = oslo_messaging.get_notification_transport(conf, url=args.url)
    targets = [oslo_messaging.Target(topic=args.topic)]
    listener = oslo_messaging.get_notification_listener(
        transport, targets, [Printer()], executor="threading", pool=args.pool)
    listener.start()
    sys.stdout.write("READY\n")
    sys.stdout.flush()

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    # stdin closing (the test died) ends us too.
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    listener.stop()
    listener.wait()
    transport.cleanup()


if __name__ == "__main__":
    main()
