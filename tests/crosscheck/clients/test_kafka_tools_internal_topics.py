"""The internal topic __consumer_offsets, as a learner is shown it, through
Kafka's own tools against kafkalite and against the reference Kafka 4.1.1:
kafka-topics.sh lists and describes it, and Kafka's console consumer reads
what the group coordinator wrote there with its two formatters
(OffsetsMessageFormatter, GroupMetadataMessageFormatter) after a group
consumed, had its offsets reset and deleted, and was deleted.

The reference broker is shared, so its __consumer_offsets holds other
tests' groups too: only this scenario's group's records are compared. The
times in the records (commit and state-change times) and the member ids
(client id and a random UUID) are the brokers' to choose, so they are
masked; everything else, and the order of the records, is compared as
printed. kafkalite's own console consumer (`kafkalite kafka-console-consumer.sh`,
for a lab without Java) must print the same records with both formatters.
"""

import json
import re

from conftest import crosscheck
from test_kafka_tools import Runner, tool

FORMATTERS = ("org.apache.kafka.tools.consumer.OffsetsMessageFormatter",
              "org.apache.kafka.tools.consumer.GroupMetadataMessageFormatter")


def java_partition_for(key, partitions=50):
    """Kafka's Utils.abs(key.hashCode()) % partitions."""
    h = 0
    for unit in key.encode("utf-16-be").hex(" ", 2).split():
        h = (31 * h + int(unit, 16)) & 0xFFFFFFFF
    h = h - (1 << 32) if h >= 1 << 31 else h
    return (0 if h == -(1 << 31) else abs(h)) % partitions


def printed_records(text):
    """The formatters print their JSON records back to back, with nothing
    between them."""
    decoder, records, at = json.JSONDecoder(), [], 0
    text = text.strip()
    while at < len(text):
        record, at = decoder.raw_decode(text, at)
        records.append(record)
        while at < len(text) and text[at].isspace():
            at += 1
    return records


def masked_record(record):
    """The record as printed (its fields in the formatter's order), masked."""
    text = json.dumps(record)
    text = re.sub(r'"(commitTimestamp|currentStateTimestamp)": \d+', r'"\1": "<time>"', text)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", text)


def internal_topic_steps(tools_dir, bootstrap, prefix):
    def run(*args, stdin=None):
        code, out, err = tool(tools_dir, bootstrap, *args, stdin=stdin)
        return [code, [line.replace(prefix, "<prefix>") for line in out], err]

    topic, group = prefix + "-t", prefix + "-g"
    steps = []
    run("topics", "--create", "--topic", topic, "--partitions", "2", "--replication-factor", "1")
    run("console-producer", "--topic", topic, "--property", "parse.key=true",
        stdin="a\tone\nb\ttwo\nc\tthree\nd\tfour\n")
    consumed = run("console-consumer", "--topic", topic, "--group", group, "--from-beginning",
                   "--max-messages", "4", "--timeout-ms", "30000")
    steps.append(("consume in a group", [consumed[0], sorted(consumed[1])]))
    listed = run("topics", "--list")
    steps.append(("list: the offsets topic is there",
                  [listed[0], [t for t in listed[1] if t == "__consumer_offsets" or t.startswith("<prefix>")]]))
    described = run("topics", "--describe", "--topic", "__consumer_offsets")
    steps.append(("describe it", [described[0],
                                  [re.sub(r"TopicId: \S+", "TopicId: <id>", line) for line in described[1]]]))
    excluded = run("topics", "--list", "--exclude-internal")
    steps.append(("list without internal topics", [excluded[0], [t for t in excluded[1] if t.startswith("__")]]))
    configs = run("configs", "--describe", "--entity-type", "topics", "--entity-name", "__consumer_offsets")
    steps.append(("its configs", configs[:2]))
    run("consumer-groups", "--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute")
    run("consumer-groups", "--delete-offsets", "--group", group, "--topic", topic + ":1")
    run("consumer-groups", "--delete", "--group", group)

    partition = str(java_partition_for(group))
    for formatter in FORMATTERS:
        printed = {}
        for implementation in ("kafka", "kafkalite"):
            read = Runner(implementation, bootstrap, tools_dir, prefix)(
                "console-consumer", "--topic", "__consumer_offsets", "--partition", partition,
                "--offset", "earliest", "--formatter", formatter, "--timeout-ms", "5000")
            records = [masked_record(r) for r in printed_records("".join(read[1]).replace("<prefix>", prefix))
                       if r["key"]["data"].get("group") == group]
            printed[implementation] = [r.replace(prefix, "<prefix>") for r in records]
        # kafkalite's own console consumer (for a lab without Java) prints
        # what Kafka's does, against either broker.
        assert printed["kafkalite"] == printed["kafka"], (formatter, printed)
        steps.append((f"{formatter.rsplit('.', 1)[1]} on partition {partition}", printed["kafka"]))
    return steps


def test_consumer_offsets_through_kafka_tools(targets):
    def consumer_offsets(bootstrap, prefix):
        return internal_topic_steps(targets.tools_dir, bootstrap, prefix)
    crosscheck(targets, consumer_offsets)
