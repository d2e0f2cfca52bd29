"""kafkalite's own commands (rpk/kcat style) against `kafkalite serve`:
topic create/list/describe/alter-config/delete, produce (lines, keys,
headers, --count), consume (from start, an offset, a time, in a group, -f
formats), group list/describe/seek/delete and cluster info, in text and
--format json; exit codes and the errors a newcomer sees.

  cli_commands_test.py KAFKALITE_BINARY
"""

import json
import os
import subprocess
import sys

from kafkalite_process import Kafkalite


def main():
    binary = sys.argv[1]
    broker = Kafkalite(binary, overrides=["listeners=PLAINTEXT://127.0.0.1:0",
                                          "group.initial.rebalance.delay.ms=0"]).start()
    env = dict(os.environ, KAFKALITE_BROKERS=broker.bootstrap(), NO_COLOR="1")

    def k(*args, stdin=None, code=0):
        done = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
        return done

    try:
        created = k("topic", "create", "orders", "-p", "3", "-c", "retention.ms=60000")
        assert created.stdout.split() == ["TOPIC", "STATUS", "orders", "OK"], created.stdout
        again = k("topic", "create", "orders", code=1)
        assert "TOPIC_ALREADY_EXISTS: Topic 'orders' already exists." in again.stdout, again.stdout
        listed = json.loads(k("topic", "list", "--format", "json").stdout)
        assert listed == [{"name": "orders", "partitions": "3", "replicas": "1"}], listed

        produced = k("produce", "orders", "-k", ":", "-H", "origin=test", stdin="alice:1\nbob:2\nalice:3\n")
        lines = produced.stdout.splitlines()
        assert len(lines) == 3 and all(l.startswith("Produced to partition ") for l in lines), lines
        # Same key, same partition (Kafka's partitioner).
        assert lines[0].split()[3] == lines[2].split()[3], lines
        load = k("produce", "orders", "-p", "2", "-n", "1000", "--size", "10")
        assert "Produced 1000 records" in load.stderr, load.stderr

        described = json.loads(k("topic", "describe", "orders", "--format", "json").stdout)
        assert described["summary"]["partitions"] == "3", described
        retention = [c for c in described["configs"] if c["key"] == "retention.ms"]
        assert retention == [{"key": "retention.ms", "value": "60000", "source": "DYNAMIC_TOPIC_CONFIG"}], retention
        ends = {p["partition"]: int(p["high_watermark"]) for p in described["partitions"]}
        alice = lines[0].split()[3]
        assert sum(ends.values()) == 1003, ends

        count = ends[alice]
        got = k("consume", "orders", "-p", alice, "-o", "start", "-n", str(count), "-f", "%k=%v %h @%o\\n").stdout
        records = got.splitlines()
        assert [r.split(" @")[0] for r in records if r.startswith("alice=")] == \
            ["alice=1 origin=test", "alice=3 origin=test"], records
        assert [r.split(" @")[1] for r in records] == [str(i) for i in range(count)], records
        from_offset = k("consume", "orders", "-p", alice, "-o", "1", "-n", "1", "-f", "%k=%v %h @%o\\n").stdout
        assert from_offset == records[1] + "\n", (from_offset, records)

        grouped = k("consume", "orders", "-g", "readers", "--from-beginning", "-n", "5", "-f", "%p ")
        assert len(grouped.stdout.split()) == 5, grouped.stdout
        group = json.loads(k("group", "describe", "readers", "--format", "json").stdout)
        assert group["summary"]["state"] == "Empty", group
        # Committed where it stopped printing: 5 records in all.
        assert sum(int(o["current_offset"]) for o in group["offsets"] if o["current_offset"] != "-") == 5, group
        groups = json.loads(k("group", "list", "--format", "json").stdout)
        assert {"group": "readers", "state": "Empty", "protocol_type": "consumer"} in groups, groups
        seek = k("group", "seek", "readers", "--to", "end")
        assert seek.stdout.count(" OK") == 3, seek.stdout
        group = json.loads(k("group", "describe", "readers", "--format", "json").stdout)
        assert all(o["lag"] == "0" for o in group["offsets"]), group
        deleted = k("group", "delete", "readers")
        assert deleted.stdout.split()[-1] == "OK", deleted.stdout

        k("topic", "alter-config", "orders", "--set", "segment.ms=1000", "--delete", "retention.ms")
        configs = json.loads(k("topic", "describe", "orders", "--format", "json").stdout)["configs"]
        assert {"key": "segment.ms", "value": "1000", "source": "DYNAMIC_TOPIC_CONFIG"} in configs
        assert {"key": "retention.ms", "value": "604800000", "source": "DEFAULT_CONFIG"} in configs

        info = json.loads(k("cluster", "info", "--format", "json").stdout)
        assert info["cluster"]["topics"] == "1" and info["brokers"][0]["id"] == "1", info

        # A value that is not a number ends the command with a message, not an abort.
        for args in (["consume", "orders", "-o", "abc"],
                     ["kafka-console-consumer.sh", "--bootstrap-server", broker.bootstrap(), "--topic", "orders",
                      "--partition", "x"],
                     ["kafka-consumer-groups.sh", "--bootstrap-server", broker.bootstrap(), "--reset-offsets",
                      "--group", "g", "--topic", "orders", "--to-offset", "abc", "--dry-run"]):
            bad = subprocess.run([binary, *args], capture_output=True, text=True, timeout=30, env=env)
            assert bad.returncode == 1 and "is not a number" in bad.stderr, (args, bad.returncode, bad.stderr)
        k("topic", "delete", "orders")
        missing = k("consume", "orders", "-n", "1", code=1)
        assert "topic orders does not exist" in missing.stderr, missing.stderr
        unreachable = subprocess.run([binary, "topic", "list", "--brokers", "127.0.0.1:1"], capture_output=True,
                                     text=True, timeout=30)
        assert unreachable.returncode == 1 and "cannot connect to the broker at 127.0.0.1:1" in unreachable.stderr
        assert "kafkalite serve" in unreachable.stderr, unreachable.stderr
        # A secured client configuration kafkalite's client cannot honour is
        # refused, not ignored (the secured logins themselves are
        # cross-checked in tests/crosscheck/clients/test_tls_clients.py).
        secured = os.path.join(broker.data_dir, "client.properties")
        with open(secured, "w") as f:
            f.write("security.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI\n")
        for args, why in (
                (["kafka-configs.sh", "--bootstrap-server", broker.bootstrap(), "--command-config", secured,
                  "--describe", "--entity-type", "users"], "logs in with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 only"),
                (["kafka-console-consumer.sh", "--bootstrap-server", broker.bootstrap(), "--topic", "t",
                  "--consumer-property", "security.protocol=SSL", "--consumer-property",
                  "ssl.truststore.location=/etc/kafka/truststore.jks"], "reads PEM trust stores only"),
                (["kafka-topics.sh", "--bootstrap-server", broker.bootstrap(), "--list", "--command-config",
                  secured + ".missing"], "Could not read")):
            refused = subprocess.run([binary, *args], capture_output=True, text=True, timeout=30, env=env)
            assert refused.returncode == 1 and why in refused.stderr, refused.stderr
        bad_flag = subprocess.run([binary, "topic", "create"], capture_output=True, text=True, timeout=30)
        assert bad_flag.returncode != 0 and "topics is required" in bad_flag.stderr, bad_flag.stderr
        print("kafkalite commands: topic, produce, consume, group, cluster as expected")
    finally:
        assert broker.stop() == 0


if __name__ == "__main__":
    main()
