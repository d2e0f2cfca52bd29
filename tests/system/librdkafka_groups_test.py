"""Consumer groups with librdkafka (confluent-kafka) consumers as separate
processes against `kafkalite serve`:
  - range, roundrobin and cooperative-sticky each split a 4-partition topic
    between two consumers as that assignor does;
  - a consumer killed with kill -9 (it never leaves) is dropped when its
    session times out, and the other takes over its partitions;
  - a static member (group.instance.id) restarting within its session
    timeout gets its partitions back without a rebalance.

  librdkafka_groups_test.py KAFKALITE_BINARY
"""

import os
import signal
import subprocess
import sys
import threading
import time

from confluent_kafka.admin import AdminClient, NewTopic

from kafkalite_process import Kafkalite, scratch_dir

CONSUMER = r'''
import sys
from confluent_kafka import Consumer
conf = {"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2],
        "partition.assignment.strategy": sys.argv[3], "session.timeout.ms": int(sys.argv[4]),
        "heartbeat.interval.ms": 500, "auto.offset.reset": "earliest"}
if sys.argv[5] != "-":
    conf["group.instance.id"] = sys.argv[5]
c = Consumer(conf)
c.subscribe([sys.argv[6]])
last = None
while True:  # prints the assignment each time it changes
    c.poll(0.1)
    now = sorted(p.partition for p in c.assignment())
    if now != last:
        print("ASSIGNMENT", now, flush=True)
        last = now
'''


class GroupConsumer:
    def __init__(self, bootstrap, group, assignor, topic, session_ms=6000, instance=None):
        path = os.path.join(scratch_dir("rdk-"), "consumer.py")
        with open(path, "w") as f:
            f.write(CONSUMER)
        self.process = subprocess.Popen(
            [sys.executable, "-u", path, bootstrap, group, assignor, str(session_ms), instance or "-", topic],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def assignments(self):
        return [eval(line.split(" ", 1)[1]) for line in list(self.lines) if line.startswith("ASSIGNMENT ")]

    def current(self):
        a = self.assignments()
        return a[-1] if a else None

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def eventually(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out: " + what)
        time.sleep(0.05)  # polling the consumers' output


def split_between(a, b, expected=None):
    def settled():
        x, y = a.current(), b.current()
        return x is not None and y is not None and sorted(x + y) == [0, 1, 2, 3] and len(x) == 2
    eventually(settled, "an even split")
    if expected:
        assert sorted([a.current(), b.current()]) == sorted(expected), (a.current(), b.current())
    return a.current(), b.current()


def main():
    broker = Kafkalite(sys.argv[1], overrides=["listeners=PLAINTEXT://127.0.0.1:0",
                                               "group.initial.rebalance.delay.ms=0"]).start()
    bootstrap = broker.bootstrap()
    try:
        admin = AdminClient({"bootstrap.servers": bootstrap})
        admin.create_topics([NewTopic("four", 4, 1)])["four"].result(30)

        for assignor, expected in [("range", [[0, 1], [2, 3]]), ("roundrobin", [[0, 2], [1, 3]]),
                                   ("cooperative-sticky", None)]:
            group = "g-" + assignor
            a = GroupConsumer(bootstrap, group, assignor, "four")
            eventually(lambda: a.current() == [0, 1, 2, 3], assignor + ": first consumer has all")
            b = GroupConsumer(bootstrap, group, assignor, "four")
            split_between(a, b, expected)
            described = admin.describe_consumer_groups([group])[group].result(30)
            assert described.partition_assignor == assignor, described.partition_assignor
            print(f"{assignor}: two consumers split 4 partitions as {a.current()} and {b.current()}")
            if assignor == "range":
                started = time.monotonic()
                b.kill9()
                eventually(lambda: a.current() == [0, 1, 2, 3], "takeover after the session timeout", 60)
                print(f"kill -9: the survivor took over all partitions after {time.monotonic() - started:.1f} s "
                      "(session.timeout.ms=6000)")
            a.stop()
            b.stop()

        # Static membership: a restart within the session timeout is no rebalance.
        a = GroupConsumer(bootstrap, "g-static", "range", "four", session_ms=30000, instance="a")
        eventually(lambda: a.current() == [0, 1, 2, 3], "static a has all")
        b = GroupConsumer(bootstrap, "g-static", "range", "four", session_ms=30000, instance="b")
        _, before = split_between(a, b)
        a_before = a.current()
        rebalances_seen_by_b = len(b.assignments())
        a.kill9()
        a = GroupConsumer(bootstrap, "g-static", "range", "four", session_ms=30000, instance="a")
        eventually(lambda: a.current() == a_before, "restarted static member gets its partitions back")
        assert len(b.assignments()) == rebalances_seen_by_b and b.current() == before, b.assignments()
        print(f"static member restarted within its session timeout: {a_before} again, no rebalance for b")
        a.stop()
        b.stop()
    finally:
        broker.stop()


if __name__ == "__main__":
    main()
