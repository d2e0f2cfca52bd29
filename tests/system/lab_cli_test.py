"""The lab as a classroom without Docker or Java does it: `kafkalite serve`
on the lab's ports, the lab's shell commands verbatim (without the `docker
exec -it kafka /opt/kafka/bin/` prefix) through the links in build/bin, the
lab's producer.py and consumer.py, and at the end `kafkalite inspect` on the
data directory while the broker still runs: the lab's 5 records at offsets
0-4 and hello-group's committed offset 5.

  lab_cli_test.py KAFKALITE_BINARY TOOLS_DIR PYTHON
"""

import json
import os
import signal
import subprocess
import sys
import time

from kafkalite_process import Kafkalite, scratch_dir
from lab_test import Consumer, lab_source

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB = os.path.join(ROOT, "examples", "lab")


def main():
    binary, tools, python = sys.argv[1], sys.argv[2], sys.argv[3]
    data = scratch_dir("kafkalite-lab-cli-")
    broker = Kafkalite(binary, data_dir=data).start()

    def sh(*command, **kw):
        started = time.monotonic()
        done = subprocess.run([os.path.join(tools, command[0]), *command[1:]], capture_output=True,
                              text=True, timeout=60, **kw)
        return done, time.monotonic() - started

    try:
        created, took = sh("kafka-topics.sh", "--create", "--topic", "hello-kafka", "--bootstrap-server",
                           "localhost:9092", "--partitions", "1", "--replication-factor", "1")
        assert (created.returncode, created.stdout) == (0, "Created topic hello-kafka.\n"), created
        print(f"lab step 1: kafka-topics.sh --create answered in {took * 1000:.0f} ms")
        listed, _ = sh("kafka-topics.sh", "--list", "--bootstrap-server", "localhost:9092")
        assert listed.stdout == "hello-kafka\n", listed

        produced = subprocess.run([python, os.path.join(LAB, "producer.py")], capture_output=True,
                                  text=True, encoding="utf-8", timeout=120)
        assert produced.returncode == 0 and "Hello Kafka 5" in produced.stdout, produced
        consumer = Consumer(python, lab_source("consumer.py"))
        got = consumer.wait_for(5)
        assert [m[0] for m in got] == [f"Hello Kafka {i}" for i in range(1, 6)], got
        # Resetting while the consumer runs is refused with Kafka's message.
        refused, _ = sh("kafka-consumer-groups.sh", "--bootstrap-server", "localhost:9092", "--reset-offsets",
                        "--group", "hello-group", "--topic", "hello-kafka", "--to-earliest", "--execute")
        assert refused.returncode == 0, refused
        assert ("Error: Assignments can only be reset if the group 'hello-group' is inactive, but the current "
                "state is Stable.") in refused.stdout, refused.stdout
        consumer.stop()  # Ctrl+C: the lab's consumer closes and commits

        # The troubleshooting section's console consumer: it waits for 10
        # messages, there are 5, the student presses Ctrl+C.
        console = subprocess.Popen([os.path.join(tools, "kafka-console-consumer.sh"), "--bootstrap-server",
                                    "localhost:9092", "--topic", "hello-kafka", "--from-beginning",
                                    "--max-messages", "10"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        lines = [console.stdout.readline() for _ in range(5)]
        assert lines == [f"Hello Kafka {i}\n" for i in range(1, 6)], lines
        console.send_signal(signal.SIGINT)
        out, err = console.communicate(timeout=30)
        assert console.returncode == 128 + signal.SIGINT, (console.returncode, err)
        assert "Processed a total of 5 messages" in err, err

        groups, _ = sh("kafka-consumer-groups.sh", "--bootstrap-server", "localhost:9092", "--list")
        assert "hello-group" in groups.stdout.split(), groups
        described, _ = sh("kafka-consumer-groups.sh", "--bootstrap-server", "localhost:9092", "--describe",
                          "--group", "hello-group")
        row = [line.split() for line in described.stdout.splitlines() if line.startswith("hello-group")]
        assert row == [["hello-group", "hello-kafka", "0", "5", "5", "0", "-", "-", "-"]], described.stdout

        # kafkalite inspect, while the broker runs.
        inspected = subprocess.run([binary, "inspect", data, "--format", "json"], capture_output=True,
                                   text=True, timeout=60)
        assert inspected.returncode == 0, inspected.stderr
        state = json.loads(inspected.stdout)
        topic = [t for t in state["topics"] if t["topic"] == "hello-kafka"]
        assert len(topic) == 1, state["topics"]
        partition = topic[0]["partitions"][0]
        assert (partition["log_start_offset"], partition["high_watermark"]) == (0, 5), partition
        records = [r for b in partition["batches"] for r in b["records"]]
        assert [(r["offset"], r["value"]) for r in records] == [(i - 1, f"Hello Kafka {i}") for i in range(1, 6)]
        assert all(b["crc"] == "ok" for b in partition["batches"]), partition["batches"]
        assert sum(b["record_count"] for b in partition["batches"]) == 5
        committed = [(c["group"], c["topic"], c["partition"], c["offset"]) for c in state["committed_offsets"]]
        assert ("hello-group", "hello-kafka", 0, 5) in committed, committed
        assert any(g["group"] == "hello-group" for g in state["groups"]), state["groups"]
        text = subprocess.run([binary, "inspect", data], capture_output=True, text=True, timeout=60).stdout
        assert "offset 4  timestamp" in text and "group hello-group  hello-kafka-0  offset 5" in text, text
        print(f"lab without Docker: {len(records)} records at offsets 0-4 in "
              f"{len(partition['batches'])} batch(es), hello-group committed at 5")
    finally:
        assert broker.stop() == 0


if __name__ == "__main__":
    main()
