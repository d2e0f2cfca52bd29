"""The lab, step by step, as a student runs it: `kafkalite serve` on the
lab's ports and the project's copies of the lab's producer.py and
consumer.py (examples/lab), with the given Python (the venv's newest
kafka-python, or Debian's python3-kafka 2.0.2 on /usr/bin/python3).

  lab_test.py KAFKALITE_BINARY PYTHON
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time

from kafkalite_process import Kafkalite, scratch_dir

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB = os.path.join(ROOT, "examples", "lab")
RECEIVED = re.compile(r"\[(\d+)\]: (.*)\n\s+Partition: (\d+), Offset: (\d+)")


class Consumer:
    """consumer.py (or a variant of its source) running in the background."""

    def __init__(self, python, source):
        path = os.path.join(scratch_dir("lab-"), "consumer.py")
        with open(path, "w") as f:
            f.write(source)
        self.process = subprocess.Popen([python, "-u", path], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.output = ""
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.lock:
                self.output += line

    def messages(self):
        with self.lock:
            return [(value, int(partition), int(offset))
                    for _, value, partition, offset in RECEIVED.findall(self.output)]

    def wait_for(self, count, timeout=90):
        deadline = time.monotonic() + timeout
        while len(self.messages()) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"consumer got {self.messages()}, wanted {count}:\n{self.output}")
            time.sleep(0.05)  # polling the consumer's output
        return self.messages()

    def stop(self):
        """Ctrl+C, as the lab says: the consumer closes and commits."""
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=60) == 0, self.output


def lab_source(name, **replace):
    text = open(os.path.join(LAB, name), encoding="utf-8").read()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def run(python, code):
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def produce(python, topic, values, keys=None, partition=None):
    run(python, f"""
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers='localhost:19092')
for i, v in enumerate({values!r}):
    k = {keys!r}[i].encode() if {keys!r} else None
    p.send({topic!r}, value=v.encode(), key=k, partition={partition!r}).get(timeout=30)
p.close()
""")


def main():
    binary, python = sys.argv[1], sys.argv[2]
    broker = Kafkalite(binary).start()
    try:
        # Step 1: the topic (the lab uses kafka-topics.sh --create; an admin client here).
        run(python, """
from kafka.admin import KafkaAdminClient, NewTopic
a = KafkaAdminClient(bootstrap_servers='localhost:19092')
a.create_topics([NewTopic('hello-kafka', 1, 1), NewTopic('lab-pairs', 2, 1)])
a.close()
""")
        # Step 2: the consumer first, then the producer.
        consumer = Consumer(python, lab_source("consumer.py"))
        producer = subprocess.run([python, os.path.join(LAB, "producer.py")], capture_output=True,
                                  text=True, timeout=120)
        assert producer.returncode == 0 and "Hello Kafka 5 (partition: 0, offset: 4)" in producer.stdout, producer
        hello = [(f"Hello Kafka {i}", 0, i - 1) for i in range(1, 6)]
        assert consumer.wait_for(5) == hello
        consumer.stop()
        print("lab: consumer got Hello Kafka 1..5 at offsets 0..4 of partition 0")

        # Step 3: restarted in the same group, it reads nothing again: the
        # first thing it sees is a marker sent after it started.
        consumer = Consumer(python, lab_source("consumer.py"))
        produce(python, "hello-kafka", ["marker"])
        assert consumer.wait_for(1) == [("marker", 0, 5)], consumer.output
        consumer.stop()
        print("lab: restarted consumer read nothing it had read before")

        # Step 4: a new group with auto_offset_reset='earliest' reads everything.
        consumer = Consumer(python, lab_source("consumer.py", **{"'hello-group'": "'hello-group-2'"}))
        assert consumer.wait_for(6) == hello + [("marker", 0, 5)]
        consumer.stop()
        print("lab: a new group read all messages")

        # Step 5: offsets of the (now empty) group reset to the earliest.
        # (The lab uses kafka-consumer-groups.sh --reset-offsets; this is the
        # same OffsetCommit from a client that is not a member.)
        run(python, """
from kafka import KafkaConsumer
from kafka.structs import TopicPartition, OffsetAndMetadata
c = KafkaConsumer(bootstrap_servers='localhost:19092', group_id='hello-group', enable_auto_commit=False)
tp = TopicPartition('hello-kafka', 0)
c.assign([tp])
try:
    offset = OffsetAndMetadata(0, '', -1)
except TypeError:  # kafka-python 2.0.2
    offset = OffsetAndMetadata(0, '')
c.commit({tp: offset})
c.close()
""")
        consumer = Consumer(python, lab_source("consumer.py"))
        assert consumer.wait_for(6) == hello + [("marker", 0, 5)]
        consumer.stop()
        print("lab: after resetting hello-group to the earliest offset, it read all again")

        # Optional tasks. auto_offset_reset='latest': a new group sees only new messages.
        consumer = Consumer(python, lab_source("consumer.py", **{"'hello-group'": "'hello-latest'",
                                                                  "'earliest'": "'latest'"}))
        deadline = time.monotonic() + 60
        while not consumer.messages():
            produce(python, "hello-kafka", ["late"])  # until the consumer has its position
            assert time.monotonic() < deadline, consumer.output
            time.sleep(0.5)
        assert all(value == "late" for value, _, _ in consumer.messages()), consumer.messages()
        consumer.stop()
        print("lab: auto_offset_reset='latest' read only messages sent after it joined")

        # JSON values and keys.
        json_consumer = lab_source("consumer.py", **{
            "'hello-group'": "'hello-json'",
            "value_deserializer=lambda v: v.decode('utf-8')": "value_deserializer=lambda v: __import__('json').loads(v)",
            "'hello-kafka'": "'lab-json'"})
        consumer = Consumer(python, json_consumer)
        produce(python, "lab-json", ['{"n": 1, "text": "Hello"}', '{"n": 2, "text": "Kafka"}'],
                keys=["user-1", "user-1"])
        got = consumer.wait_for(2)
        assert [v for v, _, _ in got] == ["{'n': 1, 'text': 'Hello'}", "{'n': 2, 'text': 'Kafka'}"], got
        consumer.stop()
        print("lab: JSON values with keys arrive in order")

        # Two consumers in one group split a 2-partition topic.
        pair = lab_source("consumer.py", **{"'hello-group'": "'hello-pair'", "'hello-kafka'": "'lab-pairs'"})
        first, second = Consumer(python, pair), Consumer(python, pair)
        deadline = time.monotonic() + 90
        for n in range(1000):  # rounds until one round is split between the two
            produce(python, "lab-pairs", [f"r{n}-p0"], partition=0)
            produce(python, "lab-pairs", [f"r{n}-p1"], partition=1)
            while time.monotonic() < deadline:
                got = [[p for v, p, _ in c.messages() if v.startswith(f"r{n}-")] for c in (first, second)]
                if len(got[0]) + len(got[1]) == 2:
                    break
                time.sleep(0.05)  # polling the consumers' output
            assert time.monotonic() < deadline, (first.output, second.output)
            if len(got[0]) == 1 and len(got[1]) == 1:
                break
        assert sorted(got[0] + got[1]) == [0, 1], got
        first.stop()
        second.stop()
        print("lab: two consumers of one group each read one partition")
    finally:
        assert broker.stop() == 0


if __name__ == "__main__":
    main()
