"""kill -9 during a stream of transactions (librdkafka's transactional
producer through confluent-kafka, each transaction with its records and the
group offset sent to it), restarting on the same data directory: once while a
transaction is open with its records acknowledged, once with records still in
flight. The application restarts its producer too (librdkafka 2.x does not
carry an open transaction across its broker's restart): the new producer's
InitProducerId fences the old one and aborts what it left open. Afterwards a
read_committed reader must see every committed transaction's records exactly
once, nothing of the interrupted or aborted ones, and the group's offset of
the last committed transaction."""

import json
import subprocess
import sys

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from kafkalite_process import Kafkalite

import os
DEBUG = {"debug": os.environ["RDKAFKA_DEBUG"]} if os.environ.get("RDKAFKA_DEBUG") else {}
TRANSACTIONS = 40
RECORDS = 50
KILL_OPEN = 12        # killed with this transaction open, its records acknowledged
KILL_IN_FLIGHT = 27   # killed with this transaction's records in flight


def new_producer(bootstrap):
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": "crash-tx", "linger.ms": 2,
                         "message.timeout.ms": 60000, "transaction.timeout.ms": 60000,
                         "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 200, **DEBUG})
    producer.init_transactions(60)
    return producer


def read_all(bootstrap, isolation):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "crash-reader", "enable.auto.commit": False,
                         "isolation.level": isolation})
    tp = TopicPartition("crash-txn", 0, 0)
    consumer.assign([tp])
    _, high = consumer.get_watermark_offsets(tp, timeout=10, cached=False)
    values = []
    while consumer.position([tp])[0].offset < high:
        message = consumer.poll(1)
        if message is not None:
            assert not message.error(), message.error()
            values.append(message.value().decode())
    consumer.close()
    return values


def main():
    binary = sys.argv[1]
    broker = Kafkalite(binary, overrides=["listeners=PLAINTEXT://127.0.0.1:0"]).start()
    bootstrap = broker.bootstrap()
    port = bootstrap.split(":")[1]
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for topic in ("crash-txn", "crash-src"):
        admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
    group = Consumer({"bootstrap.servers": bootstrap, "group.id": "crash-group"})

    def restart():
        nonlocal broker
        broker.kill9()
        broker = Kafkalite(binary, data_dir=broker.data_dir,
                           overrides=[f"listeners=PLAINTEXT://127.0.0.1:{port}"]).start()

    producer = new_producer(bootstrap)
    committed, aborted, unknown, interrupted = [], [], [], []

    def crash(name):
        nonlocal producer
        restart()
        interrupted.append(name)
        producer.purge(in_queue=True, in_flight=True, blocking=False)
        producer = new_producer(bootstrap)

    for txn in range(TRANSACTIONS):
        for attempt in range(5):
            name = f"t{txn}a{attempt}"
            try:
                producer.begin_transaction()
                for i in range(RECORDS):
                    producer.produce("crash-txn", value=f"{name}-{i}".encode(), partition=0)
                if txn == KILL_IN_FLIGHT and attempt == 0:
                    crash(name)
                    continue
                producer.flush(60)
                if txn == KILL_OPEN and attempt == 0:
                    crash(name)
                    continue
                producer.send_offsets_to_transaction([TopicPartition("crash-src", 0, txn + 1)],
                                                     group.consumer_group_metadata(), 60)
                producer.commit_transaction(60)
                committed.append(name)
                break
            except KafkaException as e:
                error = e.args[0]
                print(f"{name}: {error.name()} (retriable {error.retriable()}, abortable "
                      f"{error.txn_requires_abort()}, fatal {error.fatal()})")
                if error.txn_requires_abort():
                    producer.abort_transaction(60)
                    aborted.append(name)
                else:
                    unknown.append(name)
                    if error.fatal():
                        producer = new_producer(bootstrap)  # fences the old one, aborting what it left open
        else:
            raise AssertionError(f"transaction {txn} never committed")

    seen = read_all(bootstrap, "read_committed")
    everything = read_all(bootstrap, "read_uncommitted")
    offsets = group.committed([TopicPartition("crash-src", 0)], timeout=30)
    group.close()
    assert broker.stop() == 0

    counts = {}
    for value in seen:
        counts[value] = counts.get(value, 0) + 1
    by_attempt = {}
    for value in seen:
        by_attempt.setdefault(value.split("-")[0], 0)
        by_attempt[value.split("-")[0]] += 1
    duplicates = [v for v, n in counts.items() if n > 1]
    missing = [name for name in committed if by_attempt.get(name, 0) != RECORDS]
    visible_aborted = [name for name in aborted + interrupted if name in by_attempt]
    partial = [name for name, n in by_attempt.items() if n != RECORDS]
    print(f"transactions committed {len(committed)}, interrupted by kill -9 {len(interrupted)}, aborted "
          f"{len(aborted)}, outcome unknown {len(unknown)}; "
          f"read_committed {len(seen)} records, read_uncommitted {len(everything)}; duplicates {len(duplicates)}, "
          f"committed but missing {len(missing)}, aborted but visible {len(visible_aborted)}, partial {len(partial)}; "
          f"group offset {offsets[0].offset}")
    assert not duplicates, duplicates[:10]
    assert not missing, missing
    assert not visible_aborted, visible_aborted
    assert not partial, partial
    assert set(by_attempt) <= set(committed) | set(unknown), set(by_attempt) - set(committed) - set(unknown)
    assert len(everything) >= len(seen) + RECORDS, "the interrupted transaction's records are in the log"
    assert len(interrupted) == 2, interrupted
    assert offsets[0].offset == TRANSACTIONS, offsets[0].offset

    # What `kafkalite inspect` shows of it: the id's last transaction
    # committed, the interrupted one in the partition's aborted index.
    inspected = json.loads(subprocess.run([binary, "inspect", broker.data_dir, "--format", "json"],
                                          capture_output=True, text=True, timeout=60, check=True).stdout)
    states = {t["transactional_id"]: t["state"] for t in inspected["transactions"]}
    assert states.get("crash-tx") == "CompleteCommit", states
    partition = [t for t in inspected["topics"] if t["topic"] == "crash-txn"][0]["partitions"][0]
    assert len(partition["aborted_transactions"]) >= 1, partition["aborted_transactions"]
    markers = [b["marker"] for b in partition["batches"] if "marker" in b]
    assert markers.count("COMMIT") == TRANSACTIONS, markers.count("COMMIT")


if __name__ == "__main__":
    main()
