"""Exactly-once with Kafka 4.1.1's own Java clients (from the reference jars):
a transactional consume-transform-produce loop with a read_committed
consumer and sendOffsetsToTransaction, and Kafka Streams word count with
processing.guarantee=exactly_once_v2. Each runs against kafkalite and
against the reference Kafka 4.1.1, and what the application saw must be the
same (tests/crosscheck/clients/java/ExactlyOnce.java)."""

import os
import subprocess

import pytest

from conftest import REPO, crosscheck

LIBS = os.path.join(REPO, ".cache", "reference-kafka", "libs")
SOURCE = os.path.join(os.path.dirname(__file__), "java", "ExactlyOnce.java")


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    subprocess.run([os.path.join(REPO, "scripts", "reference-kafka.sh"), "fetch"], check=True)
    out = str(tmp_path_factory.mktemp("java-classes"))
    subprocess.run(["javac", "-cp", os.path.join(LIBS, "*"), "-d", out, SOURCE], check=True)
    log4j = os.path.join(out, "log4j2.xml")
    with open(log4j, "w") as f:
        f.write('<Configuration status="ERROR"><Appenders><Console name="e" target="SYSTEM_ERR">'
                '<PatternLayout pattern="%d %p %c{1} %m%n"/></Console></Appenders>'
                '<Loggers><Root level="warn"><AppenderRef ref="e"/></Root></Loggers></Configuration>')
    return out


def run(classes, mode, bootstrap, prefix):
    done = subprocess.run(["java", "-Xmx256m", f"-Dlog4j2.configurationFile={classes}/log4j2.xml",
                           f"-Djava.io.tmpdir={classes}", "-cp", f"{classes}:{LIBS}/*",
                           "ExactlyOnce", mode, bootstrap, prefix],
                          capture_output=True, text=True, timeout=240)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, f"{mode} against {bootstrap} failed:\n{done.stdout}\n{done.stderr[-4000:]}"
    return lines


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
