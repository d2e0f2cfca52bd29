"""The cross-check suite for real clients: each scenario runs against
`kafkalite serve` and against the reference Kafka 4.1.1, and the normalized
transcripts must be equal.

  KAFKALITE_BINARY            the kafkalite executable (required)
  KAFKALITE_REFERENCE         host:port of the reference broker, or
  KAFKALITE_REFERENCE_FILE    the file tests/crosscheck/reference.sh writes
"""

import difflib
import json
import os
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "system"))
from kafkalite_process import Kafkalite  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def reference_bootstrap():
    """(bootstrap, None) or (None, why there is none)."""
    if os.environ.get("KAFKALITE_REFERENCE"):
        return os.environ["KAFKALITE_REFERENCE"], None
    path = os.environ.get("KAFKALITE_REFERENCE_FILE")
    if not path or not os.path.exists(path):
        return None, "no reference broker (KAFKALITE_REFERENCE/KAFKALITE_REFERENCE_FILE)"
    line = open(path).readline().strip()
    if line.startswith("bootstrap="):
        return line[len("bootstrap="):], None
    return None, line


class Targets:
    def __init__(self, kafkalite, reference, why_not, tools_dir):
        self.kafkalite = kafkalite
        self.reference = reference
        self.why_not = why_not
        self.tools_dir = tools_dir  # where Kafka's tools keep their log config


@pytest.fixture(scope="session")
def targets(tmp_path_factory):
    binary = os.environ["KAFKALITE_BINARY"]
    broker = Kafkalite(binary, data_dir=str(tmp_path_factory.mktemp("kafkalite")),
                       overrides=["listeners=PLAINTEXT://127.0.0.1:0",
                                  "group.initial.rebalance.delay.ms=0"]).start()
    reference, why_not = reference_bootstrap()
    try:
        yield Targets(broker.bootstrap(), reference, why_not,
                      str(tmp_path_factory.mktemp("tools")))
    finally:
        broker.stop()


RUN_ID = str(int(time.time() * 1000) % 100000000)


def crosscheck(targets, scenario, *args):
    """Runs `scenario(bootstrap, prefix, *args)` on both brokers and asserts
    the transcripts (lists of JSON-able steps) are equal."""
    prefix = f"{scenario.__name__.replace('_', '-')}-{RUN_ID}"
    ours = scenario(targets.kafkalite, prefix, *args)
    if targets.reference is None:
        # Never counted as passed: without a reference broker this fails,
        # unless the run says outright that it cannot have one.
        if os.environ.get("KAFKALITE_ALLOW_NO_REFERENCE") == "1":
            pytest.skip(f"NOT CROSS-CHECKED against Kafka 4.1.1 ({targets.why_not}); "
                        "kafkalite's side ran")
        pytest.fail(f"no reference Kafka 4.1.1 to compare with ({targets.why_not}); set "
                    "KAFKALITE_ALLOW_NO_REFERENCE=1 to run kafkalite's side alone", pytrace=False)
    theirs = scenario(targets.reference, prefix, *args)
    if os.environ.get("KAFKALITE_CROSSCHECK_DUMP"):
        for side, transcript in (("kafkalite", ours), ("kafka", theirs)):
            with open(os.path.join(os.environ["KAFKALITE_CROSSCHECK_DUMP"],
                                   f"{prefix}.{side}.json"), "w") as f:
                json.dump(transcript, f, indent=1, sort_keys=True, default=str)
    if ours != theirs:
        a = json.dumps(theirs, indent=1, sort_keys=True, default=str).splitlines()
        b = json.dumps(ours, indent=1, sort_keys=True, default=str).splitlines()
        diff = "\n".join(difflib.unified_diff(a, b, "Kafka 4.1.1", "kafkalite", lineterm="", n=2))
        pytest.fail(f"{scenario.__name__}: kafkalite differs from Kafka 4.1.1:\n{diff}",
                    pytrace=False)


def by_partition(records):
    """Consumed records as each partition delivered them: a partition's order
    is Kafka's to define, the interleaving of partitions is not."""
    out = {}
    for record in records:
        out.setdefault(str(record[0]), []).append(record)
    return dict(sorted(out.items()))


def consumed(consumer, count):
    """[offset, value] of a kafka-python consumer's first `count` records
    (fewer if its consumer_timeout_ms passes first); closes it."""
    got = []
    try:
        for message in consumer:
            got.append([message.offset, message.value.decode()])
            if len(got) == count:
                break
    finally:
        consumer.close()
    return got


def eventually(fn, what, timeout=30.0):
    """Polls `fn` until it returns a true value (a condition, not a sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# Java programs against the reference's own jars (Kafka 4.1.1's clients,
# Streams and Connect), compiled by the test with the JDK.
REFERENCE_LIBS = os.path.join(REPO, ".cache", "reference-kafka", "libs")


def compile_java(out, *sources):
    """Compiles `sources` (in clients/java) into `out` against the reference
    jars, with a log4j2.xml there that keeps the programs' logs to warnings."""
    subprocess.run([os.path.join(REPO, "scripts", "reference-kafka.sh"), "fetch"], check=True)
    java = os.path.join(os.path.dirname(__file__), "java")
    subprocess.run(["javac", "-cp", os.path.join(REFERENCE_LIBS, "*"), "-d", out,
                    *[os.path.join(java, source) for source in sources]], check=True)
    with open(os.path.join(out, "log4j2.xml"), "w") as f:
        f.write('<Configuration status="ERROR"><Appenders><Console name="e" target="SYSTEM_ERR">'
                '<PatternLayout pattern="%d %p %c{1} %m%n"/></Console></Appenders>'
                '<Loggers><Root level="warn"><AppenderRef ref="e"/></Root></Loggers></Configuration>')
    return out


def run_java(classes, program, *args, heap="256m", timeout=240):
    """Runs a compiled program; returns its stdout lines, failing the test
    with its output when it exits with an error."""
    done = subprocess.run(["java", f"-Xmx{heap}", f"-Dlog4j2.configurationFile={classes}/log4j2.xml",
                           f"-Djava.io.tmpdir={classes}", "-cp", f"{classes}:{REFERENCE_LIBS}/*",
                           program, *args],
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{program} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-4000:]}"
    return done.stdout.splitlines()


def new_protocol_consumer(bootstrap, group, topic, records, partitions, client_id="member-a"):
    """librdkafka's consumer with group.protocol=consumer (KIP-848), subscribed
    to `topic`, once it has read `records` records and holds `partitions`
    partitions (offsets not committed)."""
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "group.protocol": "consumer",
                         "client.id": client_id, "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    read = []

    def caught_up():
        message = consumer.poll(0.1)
        if message is not None and message.error() is None:
            read.append(message.offset())
        return len(read) == records and len(consumer.assignment()) == partitions

    eventually(caught_up, f"the consumer to read all {records} records", timeout=60)
    return consumer
