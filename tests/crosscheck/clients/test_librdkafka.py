"""librdkafka (through confluent-kafka) against both brokers."""

import time

from confluent_kafka import (Consumer, KafkaException, OFFSET_BEGINNING, Producer,
                             TopicPartition)
from confluent_kafka.admin import (AdminClient, ConfigResource, NewPartitions, NewTopic,
                                   OffsetSpec, ResourceType)

from conftest import by_partition, crosscheck, eventually


def future_outcome(future):
    try:
        result = future.result(timeout=30)
        return "ok" if result is None else result
    except KafkaException as e:
        err = e.args[0]
        return {"error": err.name(), "text": err.str()}


def admin_paths(bootstrap, prefix):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    topic = prefix + "-t"
    steps = []
    for label, spec in [("create", NewTopic(topic, 2, 1)),
                        ("create again", NewTopic(topic, 2, 1)),
                        ("invalid name", NewTopic(prefix + "/x", 1, 1)),
                        ("replication factor 3", NewTopic(prefix + "-rf", 1, 3)),
                        ("bad config", NewTopic(prefix + "-cfg", 1, 1, config={"retention.ms": "soon"}))]:
        steps.append((label, future_outcome(admin.create_topics([spec])[spec.topic])))
    eventually(lambda: topic in admin.list_topics(timeout=10).topics, "the topic")
    steps.append(("own topics", sorted((name, len(t.partitions)) for name, t in
                                       admin.list_topics(timeout=10).topics.items()
                                       if name.startswith(prefix))))
    for label, count in [("grow to 3", 3), ("shrink to 1", 1)]:
        steps.append((label, future_outcome(admin.create_partitions([NewPartitions(topic, count)])[topic])))
    resource = ConfigResource(ResourceType.TOPIC, topic)
    configs = future_outcome(admin.describe_configs([resource])[resource])
    steps.append(("configs", sorted((name, e.value, str(e.source)) for name, e in configs.items())
                  if isinstance(configs, dict) else configs))
    cluster = admin.describe_cluster().result(timeout=30)
    steps.append(("cluster", [n.id for n in cluster.nodes], cluster.controller.id))
    steps.append(("delete", future_outcome(admin.delete_topics([topic])[topic])))
    steps.append(("delete unknown", future_outcome(admin.delete_topics([prefix + "-none"])[prefix + "-none"])))
    return steps


def produce_consume(bootstrap, prefix, codec, base_ms):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    topic = f"{prefix}-{codec}"
    admin.create_topics([NewTopic(topic, 3, 1)])[topic].result(timeout=30)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True,
                         "compression.type": codec, "linger.ms": 0})
    delivered = []
    for i in range(9):
        # Fixed timestamps, so both runs are the same; partition 2's last two
        # records tie for the newest, to see which one max-timestamp finds.
        timestamp = base_ms + (i if i != 8 else 5)
        producer.produce(topic, key=f"k{i}", value=f"value {i}" * (i + 1), partition=i % 3,
                         headers={"i": str(i)}, timestamp=timestamp,
                         on_delivery=lambda err, msg: delivered.append(
                             (str(err), msg.partition(), msg.offset())))
        producer.flush(30)  # one at a time: offsets in a fixed order
    steps = [("delivered", delivered)]
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": prefix + "-unused",
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(3)])
    got = []

    def all_read():
        msg = consumer.poll(0.2)
        if msg is not None and msg.error() is None:
            got.append((msg.partition(), msg.offset(), msg.key(), msg.value(), msg.headers(),
                        msg.timestamp()[0], msg.timestamp()[1] - base_ms))
        return len(got) >= 9
    eventually(all_read, "9 records")
    consumer.close()
    steps.append(("consumed", by_partition(got)))
    for label, spec in [("earliest", OffsetSpec.earliest()), ("latest", OffsetSpec.latest()),
                        ("max timestamp offset", OffsetSpec.max_timestamp())]:
        result = admin.list_offsets({TopicPartition(topic, p): spec for p in range(3)})
        steps.append((label, sorted((tp.partition, f.result(timeout=30).offset)
                                    for tp, f in result.items())))
    deleted = admin.delete_records([TopicPartition(topic, 0, 2)])
    steps.append(("delete records", sorted((tp.partition, f.result(timeout=30).low_watermark)
                                           for tp, f in deleted.items())))
    return steps


def now_ms():
    return int(time.time() * 1000)


def test_admin_paths(targets):
    crosscheck(targets, admin_paths)


def test_produce_consume_uncompressed(targets):
    crosscheck(targets, produce_consume, "none", now_ms())


def test_produce_consume_zstd(targets):
    crosscheck(targets, produce_consume, "zstd", now_ms())


def test_produce_consume_snappy(targets):
    crosscheck(targets, produce_consume, "snappy", now_ms())
