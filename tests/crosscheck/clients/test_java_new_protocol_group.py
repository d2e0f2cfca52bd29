"""KIP-848 with Kafka 4.1.1's own Java consumer (group.protocol=consumer):
two members split a topic's partitions, the first giving up only what the
second gets, then take them back when one leaves; committed offsets resume.
Runs against kafkalite and against the reference Kafka 4.1.1, and what the
application saw must be the same (tests/crosscheck/clients/java/NewProtocolGroup.java)."""

import pytest

from conftest import compile_java, crosscheck, run_java


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    return compile_java(str(tmp_path_factory.mktemp("java-classes")), "NewProtocolGroup.java")


def test_two_new_protocol_consumers_split_and_take_over(targets, classes):
    def java_new_protocol_group(bootstrap, prefix):
        lines = run_java(classes, "NewProtocolGroup", bootstrap, prefix)
        # What could fail: the split, the incremental handover, the take-over.
        assert "after B joined: A 2, B 2, together 4" in lines, lines
        assert "A revoked only what B got: true" in lines, lines
        assert "after B left: A 4" in lines, lines
        return lines
    crosscheck(targets, java_new_protocol_group)
