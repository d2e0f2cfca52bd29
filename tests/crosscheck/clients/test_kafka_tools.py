"""Kafka's own shell tools (the Java client), run from the reference jars,
doing the lab's steps against both brokers; their output is compared."""

import os
import re
import subprocess

from conftest import REPO, crosscheck, eventually

TOOL = os.path.join(REPO, "scripts", "reference-kafka.sh")
LOG_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d ")


def tool(targets_dir, bootstrap, name, *args, stdin=None):
    """Runs a tool; returns (exit code, stdout lines, stderr lines without log
    lines), with the broker's address replaced by <bootstrap>."""
    done = subprocess.run([TOOL, "tool", targets_dir, name, "--bootstrap-server", bootstrap, *args],
                          input=stdin, capture_output=True, text=True, timeout=120)
    clean = lambda text: [line.replace(bootstrap, "<bootstrap>") for line in text.splitlines()
                          if line.strip() and not LOG_LINE.match(line)]
    return [done.returncode, clean(done.stdout), clean(done.stderr)]


def masked_ids(lines):
    return [re.sub(r"TopicId: \S+", "TopicId: <id>", line) for line in lines]


def lab_topic_steps(bootstrap, prefix, tools_dir):
    """kafka-topics.sh and the console tools as the lab uses them."""
    topic = prefix + "-hello"
    run = lambda *a, **k: tool(tools_dir, bootstrap, *a, **k)
    steps = [("create", run("topics", "--create", "--topic", topic, "--partitions", "1",
                            "--replication-factor", "1"))]
    steps.append(("create again", run("topics", "--create", "--topic", topic, "--partitions", "1",
                                      "--replication-factor", "1")))
    steps.append(("create with replication factor 3",
                  run("topics", "--create", "--topic", topic + "3", "--replication-factor", "3")))
    listed = run("topics", "--list")
    listed[1] = [t for t in listed[1] if t.startswith(prefix)]
    steps.append(("list", listed))
    code, out, err = run("topics", "--describe", "--topic", topic)
    steps.append(("describe", [code, masked_ids(out), err]))
    steps.append(("produce", run("console-producer", "--topic", topic, "--property", "parse.key=true",
                                 "--property", "key.separator=:",
                                 stdin="k1:Hello Kafka 1\nk2:Hello Kafka 2\nk3:Hello Kafka 3\n")))
    steps.append(("consume partition 0 from the start",
                  run("console-consumer", "--topic", topic, "--partition", "0", "--offset", "earliest",
                      "--max-messages", "3", "--timeout-ms", "30000", "--property", "print.key=true",
                      "--property", "print.offset=true", "--property", "print.partition=true")))
    steps.append(("grow to 2 partitions", run("topics", "--alter", "--topic", topic, "--partitions", "2")))
    code, out, err = run("topics", "--describe", "--topic", topic)
    steps.append(("describe after", [code, masked_ids(out), err]))
    steps.append(("describe unknown", run("topics", "--describe", "--topic", prefix + "-none")))
    steps.append(("delete", run("topics", "--delete", "--topic", topic)))
    return steps


def healthcheck(bootstrap, prefix, tools_dir):
    """The lab's docker healthcheck: kafka-broker-api-versions.sh. Its lines
    for the APIs kafkalite implements are compared; the others are what
    ApiVersionsParity lists as not implemented."""
    del prefix
    code, out, err = tool(tools_dir, bootstrap, "broker-api-versions")
    implemented = {"Produce", "Fetch", "ListOffsets", "Metadata", "ApiVersions", "CreateTopics",
                   "DeleteTopics", "DeleteRecords", "InitProducerId", "DescribeConfigs",
                   "AlterConfigs", "DescribeLogDirs", "CreatePartitions",
                   "IncrementalAlterConfigs", "DescribeCluster", "DescribeProducers",
                   "DescribeTopicPartitions", "FindCoordinator", "JoinGroup", "SyncGroup",
                   "Heartbeat", "LeaveGroup", "OffsetCommit", "OffsetFetch", "OffsetDelete",
                   "DescribeGroups", "ListGroups", "DeleteGroups", "ConsumerGroupDescribe"}
    lines = [line.strip() for line in out
             if line.startswith("<bootstrap>") or line.strip().split("(")[0] in implemented]
    return [code, lines, err]


def test_lab_topic_steps(targets):
    crosscheck(targets, lab_topic_steps, targets.tools_dir)


def test_healthcheck_broker_api_versions(targets):
    crosscheck(targets, healthcheck, targets.tools_dir)


def lab_group_steps(bootstrap, prefix, tools_dir):
    """The lab's consumer-group steps with the shell tools."""
    topic, group = prefix + "-hello", prefix + "-group"
    run = lambda *a, **k: tool(tools_dir, bootstrap, *a, **k)
    run("topics", "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1")
    run("console-producer", "--topic", topic, stdin="Hello Kafka 1\nHello Kafka 2\n")
    steps = [("consume from the beginning in a group",
              run("console-consumer", "--topic", topic, "--group", group, "--from-beginning",
                  "--max-messages", "2", "--timeout-ms", "30000"))]
    listed = run("consumer-groups", "--list")
    listed[1] = [g for g in listed[1] if g.startswith(prefix)]
    steps.append(("list groups", listed))
    code, out, err = run("consumer-groups", "--describe", "--group", group)
    steps.append(("describe group", [code, [re.sub(r"\s+", " ", line) for line in out], err]))
    steps.append(("reset to earliest", run("consumer-groups", "--reset-offsets", "--group", group,
                                           "--topic", topic, "--to-earliest", "--execute")))
    steps.append(("consume again", run("console-consumer", "--topic", topic, "--group", group,
                                       "--max-messages", "2", "--timeout-ms", "30000")))
    steps.append(("delete group", run("consumer-groups", "--delete", "--group", group)))
    return steps


def test_lab_group_steps(targets):
    crosscheck(targets, lab_group_steps, targets.tools_dir)


def broker_config_steps(bootstrap, prefix, tools_dir):
    """kafka-configs.sh on broker configs: this broker's dynamic configs
    (a config no other scenario looks at, removed again at the end), the
    cluster defaults, and the changes Kafka refuses."""
    run = lambda *a: tool(tools_dir, bootstrap, "configs", *a)
    broker = ["--entity-type", "brokers", "--entity-name", "1"]
    default = ["--entity-type", "brokers", "--entity-default"]
    steps = [("describe broker 1", run("--describe", *broker))]
    steps.append(("set log.cleaner.backoff.ms", run("--alter", *broker, "--add-config", "log.cleaner.backoff.ms=20000")))
    steps.append(("describe broker 1 after", eventually(
        lambda: (lambda r: r if any("log.cleaner.backoff.ms=20000" in line for line in r[1]) else None)(
            run("--describe", *broker)), "the change to show")))
    steps.append(("a static config", run("--alter", *broker, "--add-config", "log.retention.hours=5")))
    steps.append(("a per-broker config as the cluster default",
                  run("--alter", *default, "--add-config", "listeners=PLAINTEXT://:9099")))
    steps.append(("describe the cluster defaults", run("--describe", *default)))
    steps.append(("remove it", run("--alter", *broker, "--delete-config", "log.cleaner.backoff.ms")))
    steps.append(("describe broker 1 at the end", eventually(
        lambda: (lambda r: r if not any("log.cleaner.backoff.ms" in line for line in r[1]) else None)(
            run("--describe", *broker)), "the removal to show")))
    return steps


def test_broker_configs(targets):
    crosscheck(targets, broker_config_steps, targets.tools_dir)
