"""Kafka's shell tools, as the lab uses them, four ways: Kafka's own tools
(the Java client, from the reference jars) and kafkalite's (`kafkalite
kafka-topics.sh ...`), each against kafkalite and against the reference
Kafka 4.1.1. Every transcript must equal Kafka's tools against Kafka."""

import difflib
import json
import os
import re
import subprocess

import pytest

from conftest import REPO, RUN_ID, crosscheck, eventually, new_protocol_consumer

TOOL = os.path.join(REPO, "scripts", "reference-kafka.sh")
LOG_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d ")
# Java's stack frames have no counterpart in a C++ tool.
STACK_LINE = re.compile(r"^\s+at |^Caused by: |^\s+\.\.\. \d+ more")
SCRIPTS = {"topics": "kafka-topics.sh", "console-producer": "kafka-console-producer.sh",
           "console-consumer": "kafka-console-consumer.sh", "consumer-groups": "kafka-consumer-groups.sh",
           "broker-api-versions": "kafka-broker-api-versions.sh", "configs": "kafka-configs.sh",
           "get-offsets": "kafka-get-offsets.sh"}


class Runner:
    """Runs one implementation of the tools against one broker; returns
    [exit code, stdout lines, stderr lines] without log and stack lines, with
    the broker's address and the scenario's prefix masked."""

    def __init__(self, implementation, bootstrap, tools_dir, prefix):
        self.implementation, self.bootstrap = implementation, bootstrap
        self.tools_dir, self.prefix = tools_dir, prefix

    def __call__(self, name, *args, stdin=None):
        if self.implementation == "kafka":
            command = [TOOL, "tool", self.tools_dir, name]
        else:
            command = [os.environ["KAFKALITE_BINARY"], SCRIPTS[name]]
        done = subprocess.run([*command, "--bootstrap-server", self.bootstrap, *args],
                              input=stdin, capture_output=True, text=True, timeout=120)
        def clean(text):
            return [line.replace(self.bootstrap, "<bootstrap>").replace(self.prefix, "<prefix>")
                    for line in text.splitlines()
                    if line.strip() and not LOG_LINE.match(line) and not STACK_LINE.match(line)]
        return [done.returncode, clean(done.stdout), clean(done.stderr)]


def tool(targets_dir, bootstrap, name, *args, stdin=None):
    """Kafka's own tool against `bootstrap`."""
    return Runner("kafka", bootstrap, targets_dir, "\0")(name, *args, stdin=stdin)


def clean_up(bootstrap, prefix):
    """Deletes the scenario's groups and topics (with kafkalite's tools, which
    start in milliseconds) and waits until they are gone, so the next run can
    use the same names: Kafka's tools print some maps in hash order, so every
    run must use the very same names to be comparable."""
    lite = os.environ["KAFKALITE_BINARY"]
    def names(script, *args):
        done = subprocess.run([lite, script, "--bootstrap-server", bootstrap, *args],
                              capture_output=True, text=True, timeout=60)
        return [n for n in done.stdout.split() if n.startswith(prefix)]
    for group in names("kafka-consumer-groups.sh", "--list"):
        subprocess.run([lite, "kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--delete",
                        "--group", group], capture_output=True, timeout=60)
    if names("kafka-topics.sh", "--list"):
        subprocess.run([lite, "kafka-topics.sh", "--bootstrap-server", bootstrap, "--delete",
                        "--topic", re.escape(prefix) + ".*"], capture_output=True, timeout=60)
    eventually(lambda: not names("kafka-topics.sh", "--list") and not names("kafka-consumer-groups.sh", "--list"),
               f"{prefix}'s topics and groups to go")


def four_ways(targets, scenario):
    """Runs `scenario(run, prefix)` with both tools against both brokers, all
    with the same names, and asserts that each transcript equals Kafka's
    tools against Kafka."""
    prefix = f"{scenario.__name__.replace('_', '-')}-{RUN_ID}"
    if targets.reference is None:
        crosscheck(targets, lambda b, p: scenario(Runner("kafkalite", b, targets.tools_dir, p), p))
        return
    transcripts = {}
    for side, bootstrap in (("kafka", targets.reference), ("kafkalite", targets.kafkalite)):
        for implementation in ("kafka", "kafkalite"):
            clean_up(bootstrap, prefix)
            run = Runner(implementation, bootstrap, targets.tools_dir, prefix)
            transcripts[(implementation, side)] = scenario(run, prefix)
        clean_up(bootstrap, prefix)
    truth = transcripts[("kafka", "kafka")]
    if os.environ.get("KAFKALITE_CROSSCHECK_DUMP"):
        for (implementation, side), transcript in transcripts.items():
            with open(os.path.join(os.environ["KAFKALITE_CROSSCHECK_DUMP"],
                                   f"{scenario.__name__}.{implementation}-tools.{side}.json"), "w") as f:
                json.dump(transcript, f, indent=1)
    for (implementation, side), transcript in transcripts.items():
        if transcript != truth:
            a = json.dumps(truth, indent=1).splitlines()
            b = json.dumps(transcript, indent=1).splitlines()
            diff = "\n".join(difflib.unified_diff(a, b, "Kafka's tools against Kafka 4.1.1",
                                                  f"{implementation}'s tools against {side}",
                                                  lineterm="", n=2))
            pytest.fail(f"{scenario.__name__}: {implementation}'s tools against {side} differ:\n{diff}",
                        pytrace=False)


def masked(lines):
    """Ids the brokers make up: topic ids, member ids, console groups."""
    out = []
    for line in lines:
        line = re.sub(r"TopicId: \S+", "TopicId: <id>", line)
        line = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", line)
        line = re.sub(r"console-consumer-\d+", "console-consumer-<n>", line)
        out.append(line)
    return out


def lab_topic_steps(run, prefix):
    """kafka-topics.sh and the console tools as the lab uses them."""
    topic = prefix + "-hello"
    # The lab's step 1, verbatim but for the docker prefix.
    steps = [("create", run("topics", "--create", "--topic", topic, "--partitions", "1",
                            "--replication-factor", "1"))]
    steps.append(("create again", run("topics", "--create", "--topic", topic, "--partitions", "1",
                                      "--replication-factor", "1")))
    steps.append(("create if not exists", run("topics", "--create", "--if-not-exists", "--topic", topic)))
    steps.append(("create with replication factor 3",
                  run("topics", "--create", "--topic", topic + "3", "--replication-factor", "3")))
    steps.append(("create with a config", run("topics", "--create", "--topic", topic + "-c", "--partitions", "3",
                                              "--config", "retention.ms=60000", "--config", "cleanup.policy=delete")))
    steps.append(("create with a bad config", run("topics", "--create", "--topic", topic + "-bad",
                                                  "--config", "cleanup.policy=sometimes")))
    steps.append(("create with dots", run("topics", "--create", "--topic", topic + ".dotted")))
    listed = run("topics", "--list")
    listed[1] = [t for t in listed[1] if t.startswith("<prefix>")]
    steps.append(("list", listed))
    code, out, err = run("topics", "--describe", "--topic", topic)
    steps.append(("describe", [code, masked(out), err]))
    steps.append(("describe with configs", masked(run("topics", "--describe", "--topic", topic + "-c")[1])))
    steps.append(("at min ISR", masked(run("topics", "--describe", "--topic", topic + "-c", "--at-min-isr-partitions")[1])))
    steps.append(("under-replicated", run("topics", "--describe", "--topic", topic + "-c", "--under-replicated-partitions")))
    # Several topics come in the order of the tool's HashMap of names.
    steps.append(("describe by pattern", masked(run("topics", "--describe", "--topic", re.escape(prefix) + ".*")[1])))
    steps.append(("produce", run("console-producer", "--topic", topic, "--property", "parse.key=true",
                                 "--property", "key.separator=:",
                                 stdin="k1:Hello Kafka 1\nk2:Hello Kafka 2\nk3:Hello Kafka 3\n")))
    steps.append(("produce a line without a key", run("console-producer", "--topic", topic, "--property",
                                                      "parse.key=true", stdin="no separator\n")))
    steps.append(("consume partition 0 from the start",
                  run("console-consumer", "--topic", topic, "--partition", "0", "--offset", "earliest",
                      "--max-messages", "3", "--timeout-ms", "30000", "--property", "print.key=true",
                      "--property", "print.offset=true", "--property", "print.partition=true")))
    steps.append(("consume from offset 1, headers, no value",
                  run("console-consumer", "--topic", topic, "--partition", "0", "--offset", "1",
                      "--max-messages", "2", "--timeout-ms", "30000", "--property", "print.headers=true",
                      "--property", "print.value=false", "--property", "print.key=true")))
    # The lab's troubleshooting command: fewer than 10 messages, so it ends
    # by its timeout.
    steps.append(("the lab's console consumer", masked(run(
        "console-consumer", "--topic", topic, "--from-beginning", "--max-messages", "10",
        "--timeout-ms", "5000")[1])))
    steps.append(("grow to 2 partitions", run("topics", "--alter", "--topic", topic, "--partitions", "2")))
    steps.append(("shrink to 1", run("topics", "--alter", "--topic", topic, "--partitions", "1")))
    steps.append(("describe after", masked(run("topics", "--describe", "--topic", topic)[1])))
    steps.append(("describe unknown", run("topics", "--describe", "--topic", prefix + "-none")))
    steps.append(("delete", run("topics", "--delete", "--topic", topic)))
    steps.append(("delete again", run("topics", "--delete", "--topic", topic)))
    for t in (topic + "-c", topic + ".dotted"):
        run("topics", "--delete", "--topic", t)
    return steps


def healthcheck(run, prefix):
    """The lab's docker healthcheck: kafka-broker-api-versions.sh. Its lines
    for the APIs kafkalite implements are compared; the others are what
    ApiVersionsParity lists as not implemented."""
    del prefix
    code, out, err = run("broker-api-versions")
    implemented = {"Produce", "Fetch", "ListOffsets", "Metadata", "ApiVersions", "CreateTopics",
                   "DeleteTopics", "DeleteRecords", "InitProducerId", "DescribeConfigs",
                   "AlterConfigs", "DescribeLogDirs", "CreatePartitions",
                   "IncrementalAlterConfigs", "DescribeCluster", "DescribeProducers",
                   "DescribeTopicPartitions", "FindCoordinator", "JoinGroup", "SyncGroup",
                   "Heartbeat", "LeaveGroup", "OffsetCommit", "OffsetFetch", "OffsetDelete",
                   "DescribeGroups", "ListGroups", "DeleteGroups", "ConsumerGroupDescribe",
                   "AddPartitionsToTxn", "AddOffsetsToTxn", "EndTxn", "TxnOffsetCommit",
                   "DescribeTransactions", "ListTransactions"}
    lines = [line.strip() for line in out
             if line.startswith("<bootstrap>") or line.strip().split("(")[0] in implemented]
    return [code, lines, err, len(out)]


def test_lab_topic_steps(targets):
    four_ways(targets, lab_topic_steps)


def test_healthcheck_broker_api_versions(targets):
    four_ways(targets, healthcheck)


def lab_group_steps(run, prefix):
    """The lab's consumer-group steps, and the rest of kafka-consumer-groups.sh."""
    topic, group = prefix + "-hello", prefix + "-group"
    run("topics", "--create", "--topic", topic, "--partitions", "2", "--replication-factor", "1")
    run("console-producer", "--topic", topic, "--property", "parse.key=true",
        stdin="a\tHello Kafka 1\nb\tHello Kafka 2\nc\tHello Kafka 3\nd\tHello Kafka 4\n")
    consumed = run("console-consumer", "--topic", topic, "--group", group, "--from-beginning",
                   "--max-messages", "4", "--timeout-ms", "30000")
    steps = [("consume from the beginning in a group", [consumed[0], sorted(consumed[1]), consumed[2]])]
    listed = run("consumer-groups", "--list")
    listed[1] = [g for g in listed[1] if g.startswith("<prefix>")]
    steps.append(("list groups", listed))
    listed = run("consumer-groups", "--list", "--state")
    listed[1] = [line for line in listed[1] if line.startswith("<prefix>") or line.startswith("GROUP")]
    steps.append(("list groups with their state", [listed[0], [re.sub(r"\s+", " ", l) for l in listed[1]]]))
    steps.append(("describe group", run("consumer-groups", "--describe", "--group", group)))
    steps.append(("describe members", run("consumer-groups", "--describe", "--group", group, "--members")))
    steps.append(("describe state", run("consumer-groups", "--describe", "--group", group, "--state")))
    steps.append(("describe unknown", run("consumer-groups", "--describe", "--group", prefix + "-none")))
    steps.append(("reset without --execute", run("consumer-groups", "--reset-offsets", "--group", group,
                                                 "--topic", topic, "--to-earliest")))
    steps.append(("reset to earliest", run("consumer-groups", "--reset-offsets", "--group", group,
                                           "--topic", topic, "--to-earliest", "--execute")))
    steps.append(("shift by 1", run("consumer-groups", "--reset-offsets", "--group", group,
                                    "--topic", topic + ":0", "--shift-by", "1", "--execute")))
    steps.append(("to offset 99 (clamped)", run("consumer-groups", "--reset-offsets", "--group", group,
                                                "--all-topics", "--to-offset", "99", "--dry-run")))
    steps.append(("to a time before everything", run("consumer-groups", "--reset-offsets", "--group", group,
                                                      "--topic", topic, "--to-datetime",
                                                      "2020-01-01T00:00:00.000", "--dry-run")))
    steps.append(("to latest", run("consumer-groups", "--reset-offsets", "--group", group,
                                   "--topic", topic, "--to-latest", "--execute")))
    steps.append(("describe after the resets", run("consumer-groups", "--describe", "--group", group)))
    steps.append(("delete the offsets of partition 1", run("consumer-groups", "--delete-offsets", "--group",
                                                           group, "--topic", topic + ":1")))
    steps.append(("consume again from the committed offsets",
                  run("console-consumer", "--topic", topic, "--group", group, "--max-messages", "1",
                      "--timeout-ms", "5000")))
    steps.append(("delete group", run("consumer-groups", "--delete", "--group", group)))
    steps.append(("delete it again", run("consumer-groups", "--delete", "--group", group)))
    steps.append(("--list with --group", run("consumer-groups", "--list", "--group", group)[:1]))
    # The console consumer commits where it stopped printing, not past what
    # it fetched.
    single, partial = prefix + "-single", prefix + "-partial"
    run("topics", "--create", "--topic", single, "--partitions", "1")
    run("console-producer", "--topic", single, stdin="one\ntwo\nthree\n")
    steps.append(("print one of three", run("console-consumer", "--topic", single, "--group", partial,
                                            "--from-beginning", "--max-messages", "1", "--timeout-ms", "30000")))
    steps.append(("committed after it", run("consumer-groups", "--describe", "--group", partial)))
    return steps


def test_lab_group_steps(targets):
    four_ways(targets, lab_group_steps)


def broker_config_steps(run, prefix):
    """kafka-configs.sh on broker configs: this broker's dynamic configs
    (a config no other scenario looks at, removed again at the end), the
    cluster defaults, and the changes Kafka refuses."""
    del prefix
    configs = lambda *a: run("configs", *a)
    broker = ["--entity-type", "brokers", "--entity-name", "1"]
    default = ["--entity-type", "brokers", "--entity-default"]
    steps = [("describe broker 1", configs("--describe", *broker))]
    steps.append(("set log.cleaner.backoff.ms", configs("--alter", *broker, "--add-config", "log.cleaner.backoff.ms=20000")))
    steps.append(("describe broker 1 after", eventually(
        # The value itself, not only its synonym: Kafka applies a dynamic
        # config a moment after it reports the synonym.
        lambda: (lambda r: r if any(line.strip().startswith("log.cleaner.backoff.ms=20000 ") for line in r[1])
                 else None)(configs("--describe", *broker)), "the change to show")))
    steps.append(("a static config", configs("--alter", *broker, "--add-config", "log.retention.hours=5")))
    steps.append(("a per-broker config as the cluster default",
                  configs("--alter", *default, "--add-config", "listeners=PLAINTEXT://:9099")))
    steps.append(("describe the cluster defaults", configs("--describe", *default)))
    steps.append(("remove it", configs("--alter", *broker, "--delete-config", "log.cleaner.backoff.ms")))
    steps.append(("describe broker 1 at the end", eventually(
        lambda: (lambda r: r if not any("log.cleaner.backoff.ms" in line for line in r[1]) else None)(
            configs("--describe", *broker)), "the removal to show")))
    steps.append(("an unknown broker", configs("--describe", "--entity-type", "brokers", "--entity-name", "2")))
    steps.append(("a broker id that is not a number", configs("--describe", "--broker", "one")))
    return steps


def test_broker_configs(targets):
    four_ways(targets, broker_config_steps)


def topic_config_and_offset_steps(run, prefix):
    """kafka-configs.sh on a topic and kafka-get-offsets.sh."""
    topic = prefix + "-t"
    run("topics", "--create", "--topic", topic, "--partitions", "12", "--config", "cleanup.policy=compact")
    configs = lambda *a: run("configs", *a)
    steps = [("describe", configs("--describe", "--entity-type", "topics", "--entity-name", topic))]
    steps.append(("alter", configs("--alter", "--topic", topic, "--add-config",
                                   "retention.ms=1000,max.message.bytes=2000,cleanup.policy=[compact,delete]")))
    steps.append(("describe after", eventually(
        lambda: (lambda r: r if any("retention.ms=1000" in line for line in r[1]) else None)(
            configs("--describe", "--topic", topic)), "the change to show")))
    code, out, err = configs("--describe", "--topic", topic, "--all")
    steps.append(("describe --all", [code, [line for line in out if "retention" in line or "cleanup" in line
                                            or line.startswith("All")], err]))
    steps.append(("delete one that is not set", configs("--alter", "--topic", topic, "--delete-config", "segment.ms")))
    steps.append(("delete one", configs("--alter", "--topic", topic, "--delete-config", "retention.ms")))
    steps.append(("a bad value", configs("--alter", "--topic", topic, "--add-config", "retention.ms=abc")))
    steps.append(("an unknown config", configs("--alter", "--topic", topic, "--add-config", "foo.bar=1")))
    steps.append(("not key=value", configs("--alter", "--topic", topic, "--add-config", "retention.ms")))
    steps.append(("unknown topic", configs("--describe", "--topic", prefix + "-none")))
    run("console-producer", "--topic", topic, "--property", "parse.key=true",
        stdin="".join(f"k{i}\tv{i}\n" for i in range(40)))
    offsets = lambda *a: run("get-offsets", *a)
    steps.append(("latest", offsets("--topic", topic)))
    steps.append(("earliest of three", offsets("--topic", topic, "--partitions", "4,0,11", "--time", "-2")))
    # Partitions 3 and 11 hold no record (the keys' partitions are Kafka's
    # murmur2), so they are left out; which record of several has the
    # largest timestamp would depend on the producers' clocks.
    steps.append(("max timestamp of empty partitions",
                  offsets("--topic", topic, "--partitions", "3,11", "--time", "max-timestamp")))
    steps.append(("a time after everything", offsets("--topic", topic, "--time", "99999999999999")))
    steps.append(("rules", offsets("--topic-partitions", topic + ":1-3," + topic + ":10")))
    steps.append(("no match", offsets("--topic", prefix + "-none")))
    steps.append(("bad time", offsets("--topic", topic, "--time", "soon")))
    steps.append(("bad partitions", offsets("--topic", topic, "--partitions", "x")))
    return steps


def test_topic_configs_and_offsets(targets):
    four_ways(targets, topic_config_and_offset_steps)


def new_protocol_group_steps(run, prefix):
    """kafka-consumer-groups.sh on a consumer group of the new protocol
    (KIP-848): librdkafka's consumer with group.protocol=consumer holds the
    partitions while the tool describes the group (offsets, members, state,
    each plain and --verbose) and lists it by type; then again once it has
    left."""
    topic, group = prefix + "-t", prefix + "-g"
    run("topics", "--create", "--topic", topic, "--partitions", "3", "--replication-factor", "1")
    run("console-producer", "--topic", topic, "--property", "parse.key=true",
        stdin="".join(f"k{i}\tv{i}\n" for i in range(12)))
    consumer = new_protocol_consumer(run.bootstrap, group, topic, records=12, partitions=3)
    consumer.commit(asynchronous=False)
    member = consumer.memberid()

    def describe(*args):
        code, out, err = run("consumer-groups", *args)
        return [code, [line.replace(member, "<member>") for line in out], err]

    steps = [("offsets", describe("--describe", "--group", group))]
    steps.append(("offsets --verbose", describe("--describe", "--group", group, "--verbose")))
    steps.append(("members", describe("--describe", "--group", group, "--members")))
    steps.append(("members --verbose", describe("--describe", "--group", group, "--members", "--verbose")))
    steps.append(("state", describe("--describe", "--group", group, "--state")))
    steps.append(("state --verbose", describe("--describe", "--group", group, "--state", "--verbose")))
    for args in (("--type",), ("--type", "consumer"), ("--type", "classic"), ("--type", "Consumer", "--state"),
                 ("--state", "stable")):
        code, out, err = run("consumer-groups", "--list", *args)
        # Other scenarios' groups change the width of the first column.
        steps.append((f"list {' '.join(args)}",
                      [code, [re.sub(r"\s+", " ", line) for line in out if line.startswith(("GROUP", "<prefix>"))],
                       err]))
    consumer.close()
    eventually(lambda: "Empty" in " ".join(run("consumer-groups", "--describe", "--group", group, "--state")[1]),
               "the group to be empty")
    steps.append(("offsets after it left", describe("--describe", "--group", group)))
    steps.append(("members after it left", describe("--describe", "--group", group, "--members", "--verbose")))
    steps.append(("state after it left", describe("--describe", "--group", group, "--state", "--verbose")))
    steps.append(("delete", run("consumer-groups", "--delete", "--group", group)))
    return steps


def test_new_protocol_group(targets):
    four_ways(targets, new_protocol_group_steps)
