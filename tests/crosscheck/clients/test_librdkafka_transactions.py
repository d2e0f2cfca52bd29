"""librdkafka's transactional producer (through confluent-kafka) against both
brokers: commit, abort, offsets sent to the transaction, a second producer
with the same transactional.id fencing the first, and what read_committed
and read_uncommitted consumers see."""

import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import crosscheck


def read_all(bootstrap, topic, isolation):
    """Every value of partition 0 the isolation level shows."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False,
                         "isolation.level": isolation})
    tp = TopicPartition(topic, 0, 0)
    consumer.assign([tp])
    _, high = consumer.get_watermark_offsets(tp, timeout=10, cached=False)
    values = []
    deadline = time.monotonic() + 30
    # Until the consumer's position passes the high watermark: transaction
    # markers (and, read_committed, aborted records) move it without a message.
    while consumer.position([tp])[0].offset < high and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            values.append(message.value().decode())
    consumer.close()
    return values


def transactions(bootstrap, prefix):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    topic, source, group = prefix + "-out", prefix + "-src", prefix + "-g"
    for name in (topic, source):
        admin.create_topics([NewTopic(name, 1, 1)])[name].result(timeout=30)
    steps = []
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": prefix + "-tx", "linger.ms": 0})
    producer.init_transactions(30)
    steps.append("init_transactions: ok")
    producer.begin_transaction()
    for i in range(5):
        producer.produce(topic, key=f"k{i}", value=f"committed {i}")
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    producer.send_offsets_to_transaction([TopicPartition(source, 0, 42)], consumer.consumer_group_metadata(), 30)
    producer.commit_transaction(30)
    steps.append("first transaction: committed")
    committed = consumer.committed([TopicPartition(source, 0)], timeout=30)
    steps.append(("group offset", committed[0].offset))
    consumer.close()
    producer.begin_transaction()
    for i in range(3):
        producer.produce(topic, key=f"a{i}", value=f"aborted {i}")
    producer.flush(30)
    producer.abort_transaction(30)
    steps.append("second transaction: aborted")
    producer.begin_transaction()
    producer.produce(topic, value="open when fenced")
    producer.flush(30)
    # A second producer with the same transactional.id fences the first and
    # aborts its open transaction.
    zombie_killer = Producer({"bootstrap.servers": bootstrap, "transactional.id": prefix + "-tx"})
    zombie_killer.init_transactions(30)
    steps.append("second producer: initialized")
    try:
        producer.produce(topic, value="from the fenced producer")
        producer.commit_transaction(30)
        steps.append("fenced producer committed?!")
    except KafkaException as e:
        err = e.args[0]
        steps.append(("fenced producer", err.name(), err.fatal()))
    zombie_killer.begin_transaction()
    zombie_killer.produce(topic, value="from the new producer")
    zombie_killer.commit_transaction(30)
    steps.append("new producer: committed")
    steps.append(("read_committed", read_all(bootstrap, topic, "read_committed")))
    steps.append(("read_uncommitted", sorted(read_all(bootstrap, topic, "read_uncommitted"))))
    return steps


def test_transactions(targets):
    def librdkafka_transactions(bootstrap, prefix):
        steps = transactions(bootstrap, prefix)
        assert ("read_committed", [f"committed {i}" for i in range(5)] + ["from the new producer"]) in steps, steps
        return steps
    crosscheck(targets, librdkafka_transactions)
