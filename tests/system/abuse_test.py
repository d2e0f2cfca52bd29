"""Bounded memory and fairness under abuse, against `kafkalite serve`:
100 idle sockets announcing 100 MiB frames, 5,000 concurrent connections,
slowloris senders, and clients that never read their responses. Through each,
the broker's memory stays bounded and a well-behaved client keeps being
served; the figures (RSS, the probe client's latency) are printed for the
record. Run with --sanitized for an ASan build (looser memory bounds)."""

import os
import resource
import selectors
import socket
import statistics
import struct
import sys
import threading
import time

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from kafkalite_process import Kafkalite

MIB = 1024 * 1024


def rss_mib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(field + " not found")


def client_id_bytes(name):
    raw = name.encode()
    return struct.pack(">h", len(raw)) + raw


def frame(api_key, version, correlation_id, body):
    header = struct.pack(">hhi", api_key, version, correlation_id) + client_id_bytes("abuse")
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def api_versions(correlation_id):
    return frame(18, 0, correlation_id, b"")


def fetch_v4(correlation_id, topic, max_bytes):
    t = topic.encode()
    body = struct.pack(">iiiib", -1, 0, 1, max_bytes, 0)
    body += struct.pack(">i", 1) + struct.pack(">h", len(t)) + t
    body += struct.pack(">i", 1) + struct.pack(">iqi", 0, 0, max_bytes)
    return frame(1, 4, correlation_id, body)


def read_response(sock):
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    return recv_exact(sock, size)


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise ConnectionError("closed by the broker")
        out += chunk
    return out


class Probe:
    """A well-behaved client: ApiVersions round trips on its own connection."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.correlation = 0

    def round_trips(self, count=50):
        latencies = []
        for _ in range(count):
            self.correlation += 1
            start = time.perf_counter()
            self.sock.sendall(api_versions(self.correlation))
            read_response(self.sock)  # times out (10 s) if the broker stopped serving it
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        return {"p50_ms": round(statistics.median(latencies), 3),
                "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3)}


def connect_many(host, port, count):
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((host, port))
        socks.append(s)
    return socks


def main():
    binary = sys.argv[1]
    sanitized = "--sanitized" in sys.argv
    slack = 4 if sanitized else 1
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    assert hard >= 6000, f"need 6000 open files for 5,000 connections, the hard limit is {hard}"

    broker = Kafkalite(binary, overrides=["listeners=PLAINTEXT://127.0.0.1:0"]).start()
    pid = broker.process.pid
    host, port = broker.bootstrap().split(":")
    port = int(port)
    figures = {}
    try:
        probe = Probe(host, port)
        figures["baseline"] = probe.round_trips()
        base_rss = rss_mib(pid)
        figures["rss_at_start_mib"] = round(base_rss, 1)

        # 1. 100 idle sockets announcing 100 MiB frames, each having sent 1 KiB.
        announced = connect_many(host, port, 100)
        for s in announced:
            s.setblocking(True)
            s.sendall(struct.pack(">i", 100 * MIB - 1) + b"\0" * 1024)
        figures["100_frames_of_100_mib"] = probe.round_trips()
        grown = rss_mib(pid) - base_rss
        figures["100_frames_of_100_mib"]["rss_growth_mib"] = round(grown, 1)
        assert grown < 64 * slack, f"100 announced 100 MiB frames grew the broker by {grown:.0f} MiB"
        for s in announced:
            s.close()

        # 2. 5,000 concurrent connections, each with a request answered.
        many = connect_many(host, port, 5000)
        selector = selectors.DefaultSelector()
        for i, s in enumerate(many):
            selector.register(s, selectors.EVENT_WRITE, i)
        pending_write = set(range(len(many)))
        buffers = {}
        deadline = time.monotonic() + 120
        answered = 0
        while answered < len(many) and time.monotonic() < deadline:
            for key, events in selector.select(timeout=1):
                s, i = key.fileobj, key.data
                if events & selectors.EVENT_WRITE and i in pending_write:
                    s.send(api_versions(i))
                    pending_write.discard(i)
                    selector.modify(s, selectors.EVENT_READ, i)
                elif events & selectors.EVENT_READ:
                    data = s.recv(65536)
                    assert data, f"connection {i} closed by the broker"
                    buffers[i] = buffers.get(i, b"") + data
                    if len(buffers[i]) >= 4 and len(buffers[i]) >= 4 + struct.unpack(">i", buffers[i][:4])[0]:
                        answered += 1
                        selector.unregister(s)
        assert answered == len(many), f"only {answered} of {len(many)} connections were answered"
        figures["5000_connections"] = probe.round_trips()
        grown = rss_mib(pid) - base_rss
        figures["5000_connections"]["rss_growth_mib"] = round(grown, 1)
        assert grown < 200 * slack, f"5,000 connections grew the broker by {grown:.0f} MiB"
        for s in many:
            s.close()

        # 3. Slowloris: 300 connections sending a 1 KiB request a byte at a time.
        slow = connect_many(host, port, 300)
        for s in slow:
            s.setblocking(True)
            s.sendall(struct.pack(">i", 1024))
        stop = threading.Event()

        def drip():
            while not stop.is_set():
                for s in slow:
                    try:
                        s.send(b"\0")
                    except OSError:
                        pass
                stop.wait(0.05)

        dripper = threading.Thread(target=drip, daemon=True)
        dripper.start()
        figures["300_slowloris"] = probe.round_trips()
        stop.set()
        dripper.join()
        for s in slow:
            s.close()

        # 4. Clients that never read: 20 connections each ask 100 times for
        # 1 MiB of records and read nothing.
        admin = AdminClient({"bootstrap.servers": broker.bootstrap()})
        admin.create_topics([NewTopic("big", 1, 1)])["big"].result(30)
        producer = Producer({"bootstrap.servers": broker.bootstrap(), "linger.ms": 20})
        for i in range(5000):
            producer.produce("big", value=os.urandom(1000))
        assert producer.flush(60) == 0
        rss_before = rss_mib(pid)
        deaf = connect_many(host, port, 20)
        requests = b"".join(fetch_v4(i, "big", MIB) for i in range(100))
        for s in deaf:
            # The broker stops reading once its answer cannot be written, so
            # the last requests may not fit in the socket buffers.
            s.settimeout(2)
            try:
                s.sendall(requests)
            except socket.timeout:
                pass
        figures["20_never_reading"] = probe.round_trips()
        grown = rss_mib(pid) - rss_before
        figures["20_never_reading"]["rss_growth_mib"] = round(grown, 1)
        assert grown < 128 * slack, f"20 clients that never read grew the broker by {grown:.0f} MiB"
        for s in deaf:
            s.close()

        figures["peak_rss_mib"] = round(rss_mib(pid, "VmHWM"), 1)
        print("figures:", figures)
    finally:
        code = broker.stop()
    assert code == 0, f"kafkalite exited with {code}"


if __name__ == "__main__":
    main()
