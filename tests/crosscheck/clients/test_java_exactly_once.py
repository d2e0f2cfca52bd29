"""Exactly-once with Kafka 4.1.1's own Java clients (from the reference jars):
a transactional consume-transform-produce loop with a read_committed
consumer and sendOffsetsToTransaction, and Kafka Streams word count with
processing.guarantee=exactly_once_v2. Each runs against kafkalite and
against the reference Kafka 4.1.1, and what the application saw must be the
same (tests/crosscheck/clients/java/ExactlyOnce.java)."""

import pytest

from conftest import compile_java, crosscheck, run_java


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    return compile_java(str(tmp_path_factory.mktemp("java-classes")), "ExactlyOnce.java")


def run(classes, mode, bootstrap, prefix):
    return run_java(classes, "ExactlyOnce", mode, bootstrap, prefix)


def test_transactional_copy_with_read_committed_consumer(targets, classes):
    def java_transactional_copy(bootstrap, prefix):
        lines = run(classes, "copy", bootstrap, prefix)
        # What could fail: the aborted records must be hidden, the
        # committed ones present once, the offsets committed with them.
        assert "read_committed: [M0, M1, M2, M3, M4, M5, M6, M7, M8, M9, AFTER]" in lines, lines
        return lines
    crosscheck(targets, java_transactional_copy)


def test_streams_word_count_exactly_once_v2(targets, classes):
    def java_streams_word_count(bootstrap, prefix):
        lines = run(classes, "streams", bootstrap, prefix)
        assert "as expected: true" in lines, lines
        return lines
    crosscheck(targets, java_streams_word_count)
