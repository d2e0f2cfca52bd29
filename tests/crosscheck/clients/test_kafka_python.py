"""kafka-python (the lab's client) against both brokers."""

import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions, NewTopic

from conftest import by_partition, crosscheck, eventually


MASKED = ("topic_id",)


def masked(value):
    if isinstance(value, dict):
        return {k: ("<masked>" if k in MASKED and v else masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def outcome(fn):
    """The result of an admin call as data: what it returned, or the error."""
    try:
        return masked(fn())
    except Exception as e:  # the error (type and text) is the transcript
        return {"error": type(e).__name__, "text": str(e).replace("\n", " ")}


def admin_paths(bootstrap, prefix):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="crosscheck")
    topic = prefix + "-t"
    steps = [("create", outcome(lambda: admin.create_topics([NewTopic(topic, 2, 1)])))]
    steps.append(("create again", outcome(lambda: admin.create_topics([NewTopic(topic, 2, 1)]))))
    steps.append(("invalid name", outcome(lambda: admin.create_topics([NewTopic(prefix + " x", 1, 1)]))))
    steps.append(("replication factor 3",
                  outcome(lambda: admin.create_topics([NewTopic(prefix + "-rf", 1, 3)]))))
    steps.append(("zero partitions", outcome(lambda: admin.create_topics([NewTopic(prefix + "-p", 0, 1)]))))
    eventually(lambda: topic in admin.list_topics(), "the topic")
    steps.append(("own topics", sorted(t for t in admin.list_topics() if t.startswith(prefix))))
    steps.append(("grow to 3", outcome(lambda: admin.create_partitions({topic: NewPartitions(3)}))))
    steps.append(("shrink to 1", outcome(lambda: admin.create_partitions({topic: NewPartitions(1)}))))
    steps.append(("configs", outcome(lambda: admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, topic)]))))
    steps.append(("configs of an unknown topic", outcome(lambda: admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, prefix + "-none")]))))
    steps.append(("delete", outcome(lambda: admin.delete_topics([topic]))))
    steps.append(("delete unknown", outcome(lambda: admin.delete_topics([prefix + "-none"]))))
    admin.close()
    return steps


def produce_consume(bootstrap, prefix):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="crosscheck")
    topic = prefix + "-pc"
    admin.create_topics([NewTopic(topic, 2, 1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", retries=10,
                             key_serializer=str.encode, value_serializer=str.encode)
    steps = []
    for i in range(6):
        md = producer.send(topic, key=f"k{i}", value=f"Hello Kafka {i}", partition=i % 2,
                           headers=[("n", str(i).encode())]).get(timeout=30)
        steps.append(("sent", md.partition, md.offset))
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             group_id=None, key_deserializer=bytes.decode,
                             value_deserializer=bytes.decode)
    parts = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
    consumer.assign(parts)
    consumer.seek_to_beginning()
    got = []

    def all_read():
        for records in consumer.poll(timeout_ms=200).values():
            got.extend(records)
        return len(got) >= 6
    eventually(all_read, "6 records")
    steps.append(("consumed", by_partition((r.partition, r.offset, r.key, r.value, r.headers,
                                            r.timestamp_type) for r in got)))
    steps.append(("end offsets", sorted((tp.partition, o) for tp, o in consumer.end_offsets(parts).items())))
    steps.append(("beginning offsets",
                  sorted((tp.partition, o) for tp, o in consumer.beginning_offsets(parts).items())))
    future = int(time.time() * 1000) + 3600_000
    steps.append(("offsets for a future time",
                  sorted((tp.partition, o) for tp, o in consumer.offsets_for_times({p: future for p in parts}).items())))
    consumer.close()
    return steps


def test_admin_paths(targets):
    crosscheck(targets, admin_paths)


def test_produce_consume(targets):
    crosscheck(targets, produce_consume)


def lab_consumer_group(bootstrap, prefix):
    """The lab's consumer: a group, auto commit, earliest; a restart reads
    nothing again; a new group reads everything."""
    topic, group = prefix + "-hello", prefix + "-group"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="crosscheck")
    admin.create_topics([NewTopic(topic, 1, 1)])
    producer = KafkaProducer(bootstrap_servers=bootstrap, value_serializer=str.encode)
    for i in range(1, 6):
        producer.send(topic, value=f"Hello Kafka {i}").get(timeout=30)
    producer.close()

    def consume(group_id):
        consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group_id,
                                 auto_offset_reset="earliest", enable_auto_commit=True,
                                 consumer_timeout_ms=3000, value_deserializer=bytes.decode)
        got = [(m.partition, m.offset, m.value) for m in consumer]
        consumer.close()
        return got
    steps = [("first run", consume(group)), ("restart", consume(group)),
             ("new group", consume(group + "-2"))]
    for g in (group, group + "-2"):
        steps.append(("committed", g[len(prefix):],
                      sorted((tp.partition, om.offset, om.metadata, om.leader_epoch)
                             for offsets in admin.list_group_offsets(g).values()
                             for tp, om in offsets.items())))
    admin.close()
    return steps


def test_lab_consumer_group(targets):
    crosscheck(targets, lab_consumer_group)
