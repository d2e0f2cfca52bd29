"""Kafka 4.x's KRaft face through Kafka's own tools and kafka-ui's client,
against kafkalite and against the reference Kafka 4.1.1:
kafka-features.sh (describe, and updates that change nothing),
kafka-metadata-quorum.sh (describe --status and --replication), and the
calls kafka-ui makes when it connects, replayed through the Java AdminClient
of kafka-clients 3.9.1, the one kafka-ui ships (java/KafkaUiCalls.java).

kafkalite does not claim group.version and share.version (broker/cluster/features.h
says why): their lines are left out of Kafka's side, and only there."""

import os
import re
import subprocess

import pytest

from conftest import REPO, crosscheck
from test_kafka_tools import tool

UNCLAIMED = ("group.version", "share.version")
CLAIMED = "metadata.version,kraft.version,transaction.version,eligible.leader.replicas.version"


def features_steps(targets_dir, bootstrap):
    def run(*args):
        code, out, err = tool(targets_dir, bootstrap, "features", *args)
        out = [re.sub(r"Epoch: \d+", "Epoch: <n>", line) for line in out
               if not any(f"Feature: {name}\t" in line for name in UNCLAIMED)]
        return [code, out, err]
    return [
        ("describe", run("describe")),
        ("a no-op upgrade", run("upgrade", "--feature", "transaction.version=2", "--feature", "metadata.version=27")),
        ("dry-run downgrades", run("downgrade", "--feature", "transaction.version=1",
                                   "--feature", "eligible.leader.replicas.version=0", "--dry-run")),
        ("dry-run disable", run("disable", "--feature", "transaction.version", "--dry-run")),
        ("refused upgrade", run("upgrade", "--feature", "metadata.version=28")),
        ("refused downgrade", run("downgrade", "--metadata", "4.0-IV0", "--dry-run")),
        ("kraft.version cannot go down", run("downgrade", "--feature", "kraft.version=0", "--dry-run")),
        ("describe again", run("describe")),
    ]


def test_kafka_features(targets):
    def kafka_features(bootstrap, prefix):
        del prefix
        return features_steps(targets.tools_dir, bootstrap)
    crosscheck(targets, kafka_features)


def quorum_steps(targets_dir, bootstrap):
    status = tool(targets_dir, bootstrap, "metadata-quorum", "describe", "--status")
    masked_status = []
    for line in status[1]:
        label, _, value = line.partition(":")
        value = value.strip()
        if label in ("ClusterId", "LeaderEpoch", "HighWatermark"):
            value = "<n>" if label != "ClusterId" else "<id>"
        value = re.sub(r'"CONTROLLER://[^"]+"', '"CONTROLLER://<host>:<port>"', value)
        masked_status.append(f"{label}: {value}")
    replication = tool(targets_dir, bootstrap, "metadata-quorum", "describe", "--replication")
    human = tool(targets_dir, bootstrap, "metadata-quorum", "describe", "--replication", "--human-readable")
    def table(lines):
        rows = [line.split("\t") for line in lines]
        # Every cell, the last too, is followed by a tab: a row ends in "".
        shape = [[len(cell) for cell in row] for row in rows[:1]]
        cells = [[c.strip() for c in row] for row in rows]
        for row in cells[1:]:
            row[2] = "<offset>" if row[2].isdigit() else row[2]
            row[4] = re.sub(r"^\d+( ms ago)?$", r"<time>\1", row[4])
            row[5] = re.sub(r"^\d+( ms ago)?$", r"<time>\1", row[5])
        return [shape, cells]
    return [("status", [status[0], masked_status, status[2]]),
            ("replication", [replication[0], table(replication[1]), replication[2]]),
            ("replication, human-readable", [human[0], table(human[1]), human[2]])]


def test_kafka_metadata_quorum(targets):
    def kafka_metadata_quorum(bootstrap, prefix):
        del prefix
        return quorum_steps(targets.tools_dir, bootstrap)
    crosscheck(targets, kafka_metadata_quorum)


@pytest.fixture(scope="module")
def kafka_ui_classpath(tmp_path_factory):
    """kafka-clients 3.9.1 (as kafka-ui ships it) from Maven Central, with the
    slf4j API from the reference jars, and KafkaUiCalls compiled against it."""
    subprocess.run([os.path.join(REPO, "scripts", "reference-kafka.sh"), "fetch"], check=True)
    libs = os.path.join(REPO, ".cache", "kafka-clients-3.9.1")
    jar = os.path.join(libs, "kafka-clients-3.9.1.jar")
    if not os.path.exists(jar):
        subprocess.run(["mvn", "-q", "-B", "dependency:copy", "-Dartifact=org.apache.kafka:kafka-clients:3.9.1",
                        f"-DoutputDirectory={libs}"], check=True)
    reference_libs = os.path.join(REPO, ".cache", "reference-kafka", "libs")
    slf4j = [os.path.join(reference_libs, f) for f in os.listdir(reference_libs) if f.startswith("slf4j-api-")]
    out = str(tmp_path_factory.mktemp("kafka-ui-classes"))
    classpath = ":".join([jar, *slf4j])
    subprocess.run(["javac", "-cp", classpath, "-d", out,
                    os.path.join(os.path.dirname(__file__), "java", "KafkaUiCalls.java")], check=True)
    return f"{out}:{classpath}"


def test_kafka_ui_sees_a_kraft_cluster_with_a_known_version(targets, kafka_ui_classpath):
    def kafka_ui_calls(bootstrap, prefix):
        del prefix
        done = subprocess.run(["java", "-Xmx128m", "-cp", kafka_ui_classpath, "KafkaUiCalls", bootstrap, CLAIMED],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        lines = done.stdout.splitlines()
        assert "metadata.version: 27" in lines, lines  # kafka-ui's version is known: 4.1-IV1
        return lines
    crosscheck(targets, kafka_ui_calls)
