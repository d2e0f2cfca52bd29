"""The console's JSON API against both brokers: `kafkalite console
--bootstrap-server` in front of kafkalite and in front of the reference Kafka
4.1.1 must answer the lab's steps alike (what differs by nature — times,
ids, cluster ids — is masked; nothing is sorted that the console orders)."""

import json
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request

from kafka import KafkaConsumer
from kafka.errors import KafkaError

from conftest import crosscheck, eventually, new_protocol_consumer

import os

MASKED = {"timestamp", "topic_id", "member_id", "host", "cluster_id", "uptime_ms", "time"}


def masked(value):
    if isinstance(value, dict):
        return {k: ("<masked>" if k in MASKED and v is not None else masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


class ConsoleProcess:
    """`kafkalite console` for one cluster, on a free port."""

    def __init__(self, bootstrap):
        self.process = subprocess.Popen(
            [os.environ["KAFKALITE_BINARY"], "console", "--bootstrap-server", bootstrap,
             "--listener", "http://127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.url = None
        for line in self.process.stdout:
            m = re.search(r"Console on (http://\S+) for", line)
            if m:
                self.url = m.group(1)
                break
        assert self.url, "the console did not start"
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()

    def call(self, method, path, body=None, raw=None, content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def step(self, method, path, body=None, raw=None, content_type="application/json"):
        status, answer = self.call(method, path, body, raw, content_type)
        return {"call": f"{method} {path}", "status": status, "answer": masked(answer)}

    def stop(self):
        self.process.terminate()
        assert self.process.wait(30) == 0


def assigned(group):
    """The group is Stable and its member has the partition."""
    return group.get("state") == "Stable" and any(m["assignment"] for m in group.get("members", []))


def own(items, key, prefix):
    return [i for i in items if i[key].startswith(prefix)]


def subscribed_consumer(bootstrap, group, topic, **config):
    """A kafka-python consumer subscribed to `topic` that joins knowing the
    topic's partitions. kafka-python 3.0 takes the partitions it compares
    later from the first metadata answer after subscribe(); joined before
    that answer it is assigned nothing, or rejoins once the answer comes
    (seen against both brokers). So: subscribe, then fetch metadata.

    Fetches wait at most 10 ms: a broker handles a connection's requests
    one at a time, so a metadata request (asking for auto-creation:
    kafka-python 3.0.12 ignores allow_auto_create_topics) queued behind a
    fetch's wait is answered after the consumer has closed, and had the
    scenario deleted the topic by then, it would be created again (seen
    against Kafka, whose fetch waited its 500 ms)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, fetch_max_wait_ms=10, **config)
    consumer.subscribe([topic])
    eventually(lambda: knows(consumer, topic), "the topic in the consumer's metadata")
    return consumer


def knows(consumer, topic):
    """Asks the cluster for its topics (an update kafka-python's coordinator
    sees); true once `topic` is among them."""
    try:
        return topic in consumer.topics()
    except KafkaError:
        return False


class GroupMember:
    """A kafka-python consumer polling in a thread: an active group member."""

    def __init__(self, bootstrap, group, topic):
        self.stop_flag = threading.Event()
        self.consumer = subscribed_consumer(bootstrap, group, topic, client_id="crosscheck-member")
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_flag.is_set():
            self.consumer.poll(timeout_ms=100)

    def stop(self):
        self.stop_flag.set()
        self.thread.join(30)
        self.consumer.close()


def lab_through_the_console(bootstrap, prefix):
    console = ConsoleProcess(bootstrap)
    topic, group = prefix + "-hello", prefix + "-group"
    steps = []
    try:
        steps.append(console.step("POST", "/api/topics", {"name": topic, "partitions": 1, "replication_factor": 1}))
        steps.append(console.step("POST", "/api/topics", {"name": topic, "partitions": 1}))
        steps.append(console.step("POST", "/api/topics", {"name": prefix + " bad name"}))
        steps.append(console.step("POST", "/api/topics", {"name": prefix + "-rf3", "replication_factor": 3}))
        # Create times a second apart, so a lookup by time has one answer.
        base = int(time.time() * 1000) - 60000
        for i in range(1, 6):
            steps.append(console.step("POST", f"/api/topics/{topic}/messages",
                                      {"key": None if i % 2 else f"k{i}", "value": f"Hello Kafka {i}",
                                       "headers": [{"key": "n", "value": str(i)}], "timestamp": base + 1000 * i}))
        steps.append(console.step("POST", f"/api/topics/{topic}/messages", {"value": "x", "partition": 7}))
        _, earliest = console.call("GET", f"/api/topics/{topic}/messages?seek=earliest")
        steps.append(console.step("GET", f"/api/topics/{topic}/messages?seek=earliest"))
        steps.append(console.step("GET", f"/api/topics/{topic}/messages?seek=latest&limit=2"))
        steps.append(console.step("GET", f"/api/topics/{topic}/messages?seek=offset&offset=3"))
        third = earliest["messages"][3]["timestamp"]
        status, by_time = console.call("GET", f"/api/topics/{topic}/messages?seek=timestamp&timestamp={third}")
        steps.append({"by time": status, "offsets": [m["offset"] for m in by_time["messages"]]})
        steps.append(console.step("GET", f"/api/topics/{topic}/messages?seek=earliest&q=kafka%204"))
        steps.append(console.step("GET", f"/api/topics/{topic}/messages?seek=earliest&partition=0&limit=1"))
        steps.append(console.step("GET", f"/api/topics/{prefix}-none/messages"))
        steps.append(console.step("GET", f"/api/topics/{topic}"))
        _, listed = console.call("GET", "/api/topics")
        steps.append({"topics": masked(own(listed["topics"], "name", prefix))})
        steps.append(console.step("GET", f"/api/topics/{topic}/configs"))
        status, altered = console.call("PATCH", f"/api/topics/{topic}/configs", {"set": {"retention.ms": "86400000"}})
        steps.append({"alter": status, "retention.ms": [c for c in altered["configs"] if c["name"] == "retention.ms"]})
        steps.append(console.step("PATCH", f"/api/topics/{topic}/configs", {"set": {"retention.ms": "soon"}}))
        steps.append(console.step("PATCH", f"/api/topics/{topic}/configs", {"set": {"no.such.config": "1"}}))

        # The lab's consumer: reads the 5 messages, commits, leaves.
        consumer = subscribed_consumer(bootstrap, group, topic)
        got = []
        eventually(lambda: got.extend(r for rs in consumer.poll(timeout_ms=200).values() for r in rs) or len(got) >= 5,
                   "5 messages")
        consumer.commit()
        consumer.close()
        steps.append(console.step("GET", f"/api/groups/{group}"))
        _, groups = console.call("GET", "/api/groups")
        steps.append({"groups": masked(own(groups["groups"], "group_id", prefix))})

        # Active: the member's view, and a reset refused with Kafka's reason.
        member = GroupMember(bootstrap, group, topic)
        try:
            eventually(lambda: assigned(console.call("GET", f"/api/groups/{group}")[1]), "Stable, the partition assigned")
            steps.append(console.step("GET", f"/api/groups/{group}"))
            steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "earliest"}))
            steps.append(console.step("DELETE", f"/api/groups/{group}"))
        finally:
            member.stop()
        eventually(lambda: console.call("GET", f"/api/groups/{group}")[1].get("state") == "Empty", "Empty")
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "earliest"}))
        steps.append(console.step("GET", f"/api/groups/{group}"))
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "offset", "offset": 3}))
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "timestamp", "timestamp": third}))
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "latest"}))
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "sideways"}))
        steps.append(console.step("GET", f"/api/topics/{topic}/partitions/0/log"))
        steps.append(console.step("GET", f"/api/topics/{topic}/partitions/5/log"))
        steps.append(console.step("GET", f"/api/groups/{group}/timeline"))
        steps.append(console.step("GET", "/api/requests"))
        steps.append(console.step("GET", f"/api/groups/{prefix}-none"))
        steps.append(console.step("DELETE", f"/api/groups/{prefix}-none"))
        steps.append(console.step("DELETE", f"/api/groups/{group}"))

        steps.append(console.step("POST", f"/api/topics/{topic}/partitions", {"count": 3}))
        steps.append(console.step("POST", f"/api/topics/{topic}/partitions", {"count": 2}))
        # Clear messages (DeleteRecords to the end). Kafka keeps the bytes on
        # disk until the segment rolls and goes (DescribeLogDirs still counts
        # them); kafkalite has no segments yet and frees them at once: the one
        # value left out here, until segments exist (the log features issue).
        status, cleared = console.call("POST", f"/api/topics/{topic}/clear", {})
        for p in cleared.get("partitions", []):
            p.pop("size_bytes", None)
        steps.append({"clear": status, "answer": masked(cleared)})
        steps.append(console.step("POST", f"/api/topics/{topic}/clear", raw=b"", content_type="text/plain"))
        steps.append(console.step("POST", "/api/topics", raw=b"{not json"))
        steps.append(console.step("POST", f"/api/topics/{topic}/messages", raw=b"[1, 2]"))
        steps.append(console.step("GET", "/api/no/such/thing"))
        steps.append(console.step("DELETE", f"/api/topics/{topic}"))
        # Kafka's metadata shows a deleted topic a moment longer under load.
        eventually(lambda: console.call("GET", f"/api/topics/{topic}")[0] == 404, "the deleted topic to go")
        steps.append(console.step("GET", f"/api/topics/{topic}"))
        steps.append(console.step("DELETE", f"/api/topics/{topic}"))
        status, cluster = console.call("GET", "/api/cluster")
        steps.append({"cluster": status, "brokers": len(cluster["brokers"]), "controller": cluster["controller_id"]})
    finally:
        console.stop()
    return steps


def test_lab_through_the_console(targets):
    crosscheck(targets, lab_through_the_console)


def new_protocol_group_through_the_console(bootstrap, prefix):
    """A consumer group of the new protocol (KIP-848) in the console: the
    group's epochs, its member's epoch, type and target assignment while
    librdkafka's consumer (group.protocol=consumer) holds the partitions,
    then the group once it has left."""
    console = ConsoleProcess(bootstrap)
    topic, group = prefix + "-np", prefix + "-np-group"
    steps = []
    consumer = None
    try:
        steps.append(console.step("POST", "/api/topics", {"name": topic, "partitions": 3, "replication_factor": 1}))
        for i in range(6):
            console.call("POST", f"/api/topics/{topic}/messages", {"key": f"k{i}", "value": f"v{i}", "partition": i % 3})
        consumer = new_protocol_consumer(bootstrap, group, topic, records=6, partitions=3)
        consumer.commit(asynchronous=False)

        def at_target():
            members = console.call("GET", f"/api/groups/{group}")[1].get("members", [])
            return len(members) == 1 and len(members[0]["assignment"]) == 3 and \
                members[0]["assignment"] == members[0]["target_assignment"]

        eventually(at_target, "the member at its target")
        steps.append(console.step("GET", f"/api/groups/{group}"))
        _, groups = console.call("GET", "/api/groups")
        steps.append({"groups": masked(own(groups["groups"], "group_id", prefix + "-np"))})
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "earliest"}))
        steps.append(console.step("DELETE", f"/api/groups/{group}"))
        consumer.close()
        consumer = None
        eventually(lambda: console.call("GET", f"/api/groups/{group}")[1].get("state") == "Empty", "Empty")
        steps.append(console.step("GET", f"/api/groups/{group}"))
        steps.append(console.step("POST", f"/api/groups/{group}/offsets/reset", {"to": "offset", "offset": 1}))
        steps.append(console.step("GET", f"/api/groups/{group}"))
        steps.append(console.step("DELETE", f"/api/groups/{group}"))
        steps.append(console.step("GET", f"/api/groups/{group}"))
        steps.append(console.step("DELETE", f"/api/topics/{topic}"))
    finally:
        if consumer is not None:
            consumer.close()
        console.stop()
    return steps


def test_new_protocol_group_through_the_console(targets):
    crosscheck(targets, new_protocol_group_through_the_console)
