#!/usr/bin/env python3
"""Record real Kafka frames between a client and a real broker.

A loopback TCP proxy: listens on --listen, forwards every connection to
--upstream, and splits both directions into Kafka frames (int32 size prefix).
Requests are parsed for their header (api_key int16, api_version int16,
correlation_id int32, client_id nullable string); responses are matched to
requests by correlation id, per connection.

The broker must advertise the proxy's address (advertised.listeners), or
clients go around the proxy after the bootstrap Metadata/FindCoordinator.

With a command after "--", the proxy runs it, waits for it to exit, and stops;
without one, it runs until SIGINT/SIGTERM. Then, for --client NAME, it keeps
only the first exchange (request + response) per (api_key, api_version) whose
frames are both at most --max-frame bytes, and writes

  OUT/NAME/NNN_<ApiName>_v<version>_request.bin   raw frame, with size prefix
  OUT/NAME/NNN_<ApiName>_v<version>_response.bin
  OUT/index.json   every file of every client (this client's entries replaced)

Python 3 standard library only.

  capture.py --listen 127.0.0.1:29094 --upstream 127.0.0.1:29092 \
      --client kafka-python --out tests/protocol/golden/frames -- python3 x.py
"""
import argparse
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

# org.apache.kafka.common.protocol.ApiKeys of Kafka 4.1.1.
API_NAMES = [
    "Produce", "Fetch", "ListOffsets", "Metadata", "LeaderAndIsr", "StopReplica",
    "UpdateMetadata", "ControlledShutdown", "OffsetCommit", "OffsetFetch",
    "FindCoordinator", "JoinGroup", "Heartbeat", "LeaveGroup", "SyncGroup",
    "DescribeGroups", "ListGroups", "SaslHandshake", "ApiVersions", "CreateTopics",
    "DeleteTopics", "DeleteRecords", "InitProducerId", "OffsetForLeaderEpoch",
    "AddPartitionsToTxn", "AddOffsetsToTxn", "EndTxn", "WriteTxnMarkers",
    "TxnOffsetCommit", "DescribeAcls", "CreateAcls", "DeleteAcls", "DescribeConfigs",
    "AlterConfigs", "AlterReplicaLogDirs", "DescribeLogDirs", "SaslAuthenticate",
    "CreatePartitions", "CreateDelegationToken", "RenewDelegationToken",
    "ExpireDelegationToken", "DescribeDelegationToken", "DeleteGroups",
    "ElectLeaders", "IncrementalAlterConfigs", "AlterPartitionReassignments",
    "ListPartitionReassignments", "OffsetDelete", "DescribeClientQuotas",
    "AlterClientQuotas", "DescribeUserScramCredentials", "AlterUserScramCredentials",
    "Vote", "BeginQuorumEpoch", "EndQuorumEpoch", "DescribeQuorum", "AlterPartition",
    "UpdateFeatures", "Envelope", "FetchSnapshot", "DescribeCluster",
    "DescribeProducers", "BrokerRegistration", "BrokerHeartbeat", "UnregisterBroker",
    "DescribeTransactions", "ListTransactions", "AllocateProducerIds",
    "ConsumerGroupHeartbeat", "ConsumerGroupDescribe", "ControllerRegistration",
    "GetTelemetrySubscriptions", "PushTelemetry", "AssignReplicasToDirs",
    "ListConfigResources", "DescribeTopicPartitions", "ShareGroupHeartbeat",
    "ShareGroupDescribe", "ShareFetch", "ShareAcknowledge", "AddRaftVoter",
    "RemoveRaftVoter", "UpdateRaftVoter", "InitializeShareGroupState",
    "ReadShareGroupState", "WriteShareGroupState", "DeleteShareGroupState",
    "ReadShareGroupStateSummary", "StreamsGroupHeartbeat", "StreamsGroupDescribe",
    "DescribeShareGroupOffsets", "AlterShareGroupOffsets", "DeleteShareGroupOffsets",
]


def api_name(key):
    return API_NAMES[key] if 0 <= key < len(API_NAMES) else "Api%d" % key


def log(msg):
    print("capture: " + msg, file=sys.stderr, flush=True)


def hostport(s):
    host, _, port = s.rpartition(":")
    return host or "127.0.0.1", int(port)


class Exchange:
    __slots__ = ("seq", "conn", "api_key", "api_version", "corr", "client_id",
                 "request", "response")

    def __init__(self, seq, conn, api_key, api_version, corr, client_id, request):
        self.seq, self.conn = seq, conn
        self.api_key, self.api_version, self.corr = api_key, api_version, corr
        self.client_id, self.request, self.response = client_id, request, None


class FrameSplitter:
    """Accumulates stream bytes and yields complete frames (with prefix)."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 4:
            (n,) = struct.unpack_from(">i", self.buf, 0)
            if n < 0:
                raise ValueError("negative frame size %d" % n)
            if len(self.buf) < 4 + n:
                break
            out.append(bytes(self.buf[:4 + n]))
            del self.buf[:4 + n]
        return out


class Proxy:
    def __init__(self, listen, upstream):
        self.upstream = upstream
        self.lock = threading.Lock()
        self.exchanges = []
        self.unmatched = 0
        self.seq = 0
        self.nconn = 0
        self.socks = set()
        self.stopping = False
        self.srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(listen)
        self.srv.listen(64)
        self.threads = []

    def start(self):
        t = threading.Thread(target=self._accept_loop, daemon=True)
        t.start()

    def _accept_loop(self):
        while not self.stopping:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            try:
                u = socket.create_connection(self.upstream, timeout=10)
                u.settimeout(None)
            except OSError as e:
                log("upstream connect failed: %s" % e)
                c.close()
                continue
            for s in (c, u):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.nconn += 1
                cid = self.nconn
                self.socks.update((c, u))
            pending = {}
            for args in ((c, u, cid, pending, True), (u, c, cid, pending, False)):
                t = threading.Thread(target=self._pump, args=args, daemon=True)
                t.start()
                self.threads.append(t)

    def _pump(self, src, dst, cid, pending, is_request):
        splitter = FrameSplitter()
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                try:
                    frames = splitter.feed(data)
                except ValueError as e:
                    log("conn %d: %s; no longer parsing" % (cid, e))
                    frames, splitter = [], FrameSplitter()
                for f in frames:
                    self._record(cid, pending, f, is_request)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def _record(self, cid, pending, frame, is_request):
        if len(frame) < 12 and is_request or len(frame) < 8:
            return
        if is_request:
            key, ver, corr = struct.unpack_from(">hhi", frame, 4)
            client_id = None
            if len(frame) >= 14:
                (n,) = struct.unpack_from(">h", frame, 12)
                if n >= 0 and 14 + n <= len(frame):
                    client_id = frame[14:14 + n].decode("utf-8", "replace")
            with self.lock:
                self.seq += 1
                ex = Exchange(self.seq, cid, key, ver, corr, client_id, frame)
                self.exchanges.append(ex)
                pending[corr] = ex
        else:
            (corr,) = struct.unpack_from(">i", frame, 4)
            with self.lock:
                ex = pending.pop(corr, None)
                if ex is None:
                    self.unmatched += 1
                else:
                    ex.response = frame

    def stop(self):
        self.stopping = True
        try:
            self.srv.close()
        except OSError:
            pass
        with self.lock:
            socks = list(self.socks)
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in self.threads:
            t.join(timeout=2)
        for s in socks:
            s.close()


def select(exchanges, max_frame):
    """First exchange per (api_key, api_version) with a response and frames no
    larger than max_frame; request-only exchanges only when nothing better."""
    chosen, fallback, too_big = {}, {}, set()
    for ex in sorted(exchanges, key=lambda e: e.seq):
        k = (ex.api_key, ex.api_version)
        if k in chosen:
            continue
        if len(ex.request) > max_frame or (ex.response and len(ex.response) > max_frame):
            too_big.add(k)
            continue
        if ex.response is None:
            fallback.setdefault(k, ex)
        else:
            chosen[k] = ex
    for k, ex in fallback.items():
        chosen.setdefault(k, ex)
    for k in too_big - set(chosen):
        log("skipped %s v%d: every exchange exceeds %d bytes" % (api_name(k[0]), k[1], max_frame))
    return sorted(chosen.values(), key=lambda e: e.seq)


def write(out, client, chosen):
    cdir = os.path.join(out, client)
    if os.path.isdir(cdir):
        shutil.rmtree(cdir)
    os.makedirs(cdir)
    entries = []
    for i, ex in enumerate(chosen):
        base = "%03d_%s_v%d" % (i, api_name(ex.api_key), ex.api_version)
        for direction, data in (("request", ex.request), ("response", ex.response)):
            if data is None:
                continue
            name = "%s_%s.bin" % (base, direction)
            with open(os.path.join(cdir, name), "wb") as f:
                f.write(data)
            entries.append({
                "file": "%s/%s" % (client, name),
                "client": client,
                "api_key": ex.api_key,
                "api_name": api_name(ex.api_key),
                "api_version": ex.api_version,
                "correlation_id": ex.corr,
                "direction": direction,
                "client_id": ex.client_id,
                "size": len(data),
            })
    index_path = os.path.join(out, "index.json")
    old = []
    if os.path.exists(index_path):
        with open(index_path) as f:
            old = [e for e in json.load(f) if e.get("client") != client]
    allentries = sorted(old + entries, key=lambda e: e["file"])
    with open(index_path, "w") as f:
        f.write("[\n")
        f.write(",\n".join("  " + json.dumps(e, sort_keys=False) for e in allentries))
        f.write("\n]\n")
    return entries


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listen", required=True, help="HOST:PORT the proxy listens on")
    ap.add_argument("--upstream", required=True, help="HOST:PORT of the real broker")
    ap.add_argument("--client", required=True, help="label: frames go to OUT/CLIENT/")
    ap.add_argument("--out", required=True, help="frames directory (holds index.json)")
    ap.add_argument("--max-frame", type=int, default=64 * 1024)
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds to keep proxying after the command exits")
    ap.add_argument("command", nargs=argparse.REMAINDER,
                    help="-- CMD ARGS: run it through the proxy, then stop")
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command

    proxy = Proxy(hostport(a.listen), hostport(a.upstream))
    proxy.start()
    rc = 0
    if cmd:
        log("%s: running %s" % (a.client, " ".join(cmd)))
        rc = subprocess.call(cmd)
        time.sleep(a.settle)
    else:
        done = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: done.set())
        log("proxying %s -> %s until SIGINT/SIGTERM" % (a.listen, a.upstream))
        while not done.wait(0.5):
            pass
    proxy.stop()

    with proxy.lock:
        exchanges = list(proxy.exchanges)
    if proxy.unmatched:
        log("%d responses matched no request" % proxy.unmatched)
    seen = {}
    for ex in exchanges:
        k = (api_name(ex.api_key), ex.api_version)
        seen[k] = seen.get(k, 0) + 1
    log("%s: %d connections, %d requests: %s" % (
        a.client, proxy.nconn, len(exchanges),
        ", ".join("%s v%d x%d" % (n, v, c) for (n, v), c in sorted(seen.items()))))
    if rc != 0:
        log("command exited with %d; frames not written" % rc)
        return rc
    entries = write(a.out, a.client, select(exchanges, a.max_frame))
    total = sum(e["size"] for e in entries)
    log("%s: wrote %d files, %d bytes, to %s" % (
        a.client, len(entries), total, os.path.join(a.out, a.client)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
