"""Compacted topics as Kafka's own applications use them, with Kafka 4.1.1's
Streams and Connect (from the reference jars), against kafkalite and against
the reference Kafka 4.1.1:
- a Kafka Streams changelog: its configs as Streams made them and the
  records the log cleaner left (java/StreamsChangelogCompaction.java);
- a Kafka Connect worker's config, offset and status topics: their
  partitions and configs as Connect made them, and the config topic after
  the cleaner (java/ConnectConfigCompaction.java).
Each transcript must be the same against both brokers."""

import pytest

from conftest import compile_java, crosscheck, run_java


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    return compile_java(str(tmp_path_factory.mktemp("java-classes")),
                        "StreamsChangelogCompaction.java", "ConnectConfigCompaction.java")


def run(classes, program, bootstrap, prefix):
    lines = run_java(classes, program, bootstrap, prefix, heap="384m", timeout=300)
    return [line.replace(prefix, "<prefix>") for line in lines]


def test_streams_changelog_compacts_as_on_kafka(targets, classes):
    def streams_changelog(bootstrap, prefix):
        lines = run(classes, "StreamsChangelogCompaction", bootstrap, prefix)
        # What could fail: each update must reach the changelog, and the
        # cleaner must have run (the changelog no longer starts at offset 0)
        # and kept the active segment's record (c=1, the last update).
        assert "each update in the changelog in turn: true" in lines, lines
        assert lines[-1].startswith("after the cleaner: [") and "0:a=1" not in lines[-1], lines
        assert lines[-1].endswith("5:c=1]"), lines
        return lines
    crosscheck(targets, streams_changelog)


def test_connect_internal_topics_as_on_kafka(targets, classes):
    def connect_topics(bootstrap, prefix):
        lines = run(classes, "ConnectConfigCompaction", bootstrap, prefix)
        # What could fail: the cleaner must have removed the first two
        # configurations, which sat in closed segments.
        assert "connector configs left: [3]" in lines, lines
        return lines
    crosscheck(targets, connect_topics)
