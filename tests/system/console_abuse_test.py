"""Bad input to the console of `kafkalite serve`, while a producer and a
consumer work on the same broker: malformed JSON, an unknown topic and
group, a 10 MB value, a reset of an active group, 200 live views that never
read, 300 connections. Each gets a clear error or meets a bound; the
producer's messages are all acknowledged and consumed; the console still
answers afterwards; the broker's memory stays bounded.

  console_abuse_test.py KAFKALITE_BINARY
"""

import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from kafka import KafkaConsumer, KafkaProducer

from kafkalite_process import Kafkalite, scratch_dir

MESSAGES = 3000


def call(base, method, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def open_live(host, port, path):
    """A WebSocket handshake to /api/live; the socket and the status line."""
    s = socket.create_connection((host, port), timeout=30)
    target = "/api/live?path=" + urllib.parse.quote(path, safe="")
    s.sendall((f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            break
        head += chunk
    status_line = head.split(b"\r\n", 1)[0].decode()
    if " 101 " not in status_line + " ":
        while True:  # a refusal: the server answers and closes
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
    return s, status_line, head


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


class Traffic:
    """The broker's everyday clients: a producer and a consumer group."""

    def __init__(self, bootstrap, topic, group):
        self.acked = 0
        self.consumed = set()
        self.errors = []
        self.consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group,
                                      auto_offset_reset="earliest", enable_auto_commit=True)
        self.done = threading.Event()
        self.consumer_thread = threading.Thread(target=self._consume, daemon=True)
        self.consumer_thread.start()
        self.producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
        self.topic = topic

    def _consume(self):
        while not self.done.is_set():
            for records in self.consumer.poll(timeout_ms=100).values():
                for r in records:
                    self.consumed.add(r.value)

    def produce(self, start, count):
        futures = [self.producer.send(self.topic, str(i).encode()) for i in range(start, start + count)]
        self.producer.flush(60)
        for f in futures:
            try:
                f.get(30)
                self.acked += 1
            except Exception as e:  # noqa: BLE001 - the test reports it
                self.errors.append(repr(e))

    def finish(self, expected):
        deadline = time.monotonic() + 60
        while len(self.consumed) < expected and time.monotonic() < deadline:
            time.sleep(0.05)  # polling the consumer thread's progress
        self.done.set()
        self.consumer_thread.join(30)
        self.consumer.close()
        self.producer.close()


def main():
    binary = sys.argv[1]
    broker = Kafkalite(binary, data_dir=scratch_dir("kafkalite-console-abuse-"),
                       overrides=["listeners=PLAINTEXT://127.0.0.1:0", "console.listeners=http://127.0.0.1:0",
                                  "group.initial.rebalance.delay.ms=0"]).start()
    base = broker.console_url
    host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
    pid = broker.process.pid
    try:
        assert call(base, "POST", "/api/topics", {"name": "traffic", "partitions": 3})[0] == 201
        traffic = Traffic(broker.bootstrap(), "traffic", "traffic-group")
        traffic.produce(0, MESSAGES // 3)
        before = rss_mib(pid)

        # Malformed JSON, wrong shapes, unknown names: clear errors.
        status, answer = call(base, "POST", "/api/topics", raw=b'{"name": ')
        assert (status, answer["error"]) == (400, "INVALID_JSON"), answer
        status, answer = call(base, "POST", "/api/topics", {"name": "x", "partitions": "many"})
        assert (status, answer["error"]) == (400, "INVALID_PARTITIONS"), answer
        status, answer = call(base, "GET", "/api/topics/no-such-topic/messages")
        assert (status, answer["error"]) == (404, "UNKNOWN_TOPIC_OR_PARTITION"), answer
        status, answer = call(base, "GET", "/api/groups/no-such-group")
        assert (status, answer["error"]) == (404, "GROUP_ID_NOT_FOUND"), answer
        status, answer = call(base, "GET", "/api/topics/traffic/messages?seek=offset")
        assert (status, answer["error"]) == (400, "INVALID_REQUEST"), answer

        # A 10 MB value: refused before it is read into memory; a 2 MB one
        # (under the console's bound) gets Kafka's answer.
        status, answer = call(base, "POST", "/api/topics/traffic/messages", {"value": "x" * (10 * 1024 * 1024)})
        assert (status, answer["error"]) == (413, "REQUEST_TOO_LARGE"), (status, answer)
        status, answer = call(base, "POST", "/api/topics/traffic/messages", {"value": "x" * (2 * 1024 * 1024)})
        assert status == 413 and answer["error"] in ("MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE"), (status, answer)
        print(f"2 MB value: {answer['error']}: {answer['message']}")

        # Resetting the active group's offsets: refused with Kafka's reason.
        deadline = time.monotonic() + 30
        while call(base, "GET", "/api/groups/traffic-group")[1].get("state") != "Stable":
            assert time.monotonic() < deadline, "traffic-group never became Stable"
            time.sleep(0.05)  # polling the group's state
        status, answer = call(base, "POST", "/api/groups/traffic-group/offsets/reset", {"to": "earliest"})
        assert (status, answer["error"]) == (409, "NON_EMPTY_GROUP"), answer
        assert "current state is Stable" in answer["message"], answer

        # 200 live views that never read: 64 are served, the rest told why.
        views, statuses = [], {}
        for _ in range(200):
            s, status_line, head = open_live(host, port, "/api/groups/traffic-group")
            views.append(s)
            code = status_line.split(" ")[1]
            statuses[code] = statuses.get(code, 0) + 1
            if code == "503":
                assert b'"error":"TOO_MANY_LIVE_VIEWS"' in head, head
        assert statuses == {"101": 64, "503": 136}, statuses
        # 300 idle connections: past 256, a 503 and the connection closes.
        idle = [socket.create_connection((host, port), timeout=30) for _ in range(300)]
        refused = 0
        for s in idle[-40:]:
            s.settimeout(10)
            try:
                if s.recv(4096).startswith(b"HTTP/1.1 503"):
                    refused += 1
            except socket.timeout:
                pass
        assert refused >= 1, "no connection over the limit was refused"
        print(f"live views: {statuses}; idle connections over the limit refused: {refused} of the last 40")

        # Meanwhile the broker's clients go on: all acknowledged, all read.
        started = time.monotonic()
        traffic.produce(MESSAGES // 3, MESSAGES - MESSAGES // 3)
        took = time.monotonic() - started
        traffic.finish(MESSAGES)
        assert traffic.errors == [], traffic.errors[:5]
        assert traffic.acked == MESSAGES, traffic.acked
        assert len(traffic.consumed) == MESSAGES, len(traffic.consumed)
        after = rss_mib(pid)
        print(f"{MESSAGES - MESSAGES // 3} messages produced during the abuse in {took:.2f} s; "
              f"broker RSS {before:.0f} MiB before, {after:.0f} MiB with 200 live views and 300 connections")
        assert after < before + 256, (before, after)

        for s in views + idle:
            s.close()
        # The console answers again, and live views are free again.
        deadline = time.monotonic() + 30
        while True:
            s, status_line, _ = open_live(host, port, "/api/cluster")
            s.close()
            if " 101 " in status_line + " ":
                break
            assert time.monotonic() < deadline, status_line
            time.sleep(0.1)  # the closed views' sessions end on the console's next tick
        assert call(base, "GET", "/api/cluster")[0] == 200

        # console.listeners: a port already taken is logged and the broker
        # serves without a console; empty turns the console off.
        for setting, expected in ((f"console.listeners=http://{host}:{port}", "Console not started: cannot listen"),
                                  ("console.listeners=", None)):
            other = Kafkalite(binary, overrides=["listeners=PLAINTEXT://127.0.0.1:0", setting]).start()
            try:
                assert other.console_url is None, other.console_url
                if expected:
                    assert any(expected in line for line in other.log), other.log
                producer = KafkaProducer(bootstrap_servers=other.bootstrap())
                producer.send("serves-on", b"x").get(30)
                producer.close()
            finally:
                assert other.stop() == 0
    finally:
        code = broker.stop()
    assert code == 0, code
    print("console abuse: every bad input got its error; the broker's clients were unaffected")


if __name__ == "__main__":
    main()
