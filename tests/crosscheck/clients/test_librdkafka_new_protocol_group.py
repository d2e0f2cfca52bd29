"""librdkafka's consumer (through confluent-kafka, librdkafka 2.x) with
group.protocol=consumer (KIP-848) against both brokers: one member reads a
topic of 4 partitions, a second joins and the broker splits them 2 and 2
(the first losing only what the second gains), the second closes and the
first takes all 4 back; admin's describe_consumer_groups shows the group's
type. What the application sees must be the same."""

from confluent_kafka import Consumer, ConsumerGroupType, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import crosscheck, eventually


def owned(consumer):
    return {tp.partition for tp in consumer.assignment()}


def new_protocol_group(bootstrap, prefix):
    topic, group = prefix + "-t", prefix + "-g"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, 4, 1)])[topic].result(timeout=30)
    eventually(lambda: topic in admin.list_topics(timeout=10).topics, "the topic")
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(40):
        producer.produce(topic, value=b"v%d" % i, partition=i % 4)
    assert producer.flush(30) == 0

    def member(name):
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "group.protocol": "consumer",
                      "client.id": name, "auto.offset.reset": "earliest", "enable.auto.commit": False})
        c.subscribe([topic])
        return c

    steps = []
    a, read = member("member-a"), [0]

    def poll(*consumers):
        for c in consumers:
            m = c.poll(0.1)
            if m is not None and m.error() is None and c is a:
                read[0] += 1

    eventually(lambda: poll(a) or (read[0] >= 40 and len(owned(a)) == 4), "a to read everything", timeout=60)
    steps.append(("a alone", len(owned(a)), read[0]))
    before = owned(a)
    b = member("member-b")
    eventually(lambda: poll(a, b) or (len(owned(a)) == 2 and len(owned(b)) == 2), "2 and 2", timeout=60)
    steps.append(("after b joined", len(owned(a)), len(owned(b)), owned(a) | owned(b) == before,
                  not (owned(a) & owned(b))))
    described = admin.describe_consumer_groups([group])[group].result(timeout=30)
    steps.append(("described", described.type == ConsumerGroupType.CONSUMER, str(described.state),
                  sorted((m.client_id, len(m.assignment.topic_partitions)) for m in described.members)))
    b.close()
    eventually(lambda: poll(a) or len(owned(a)) == 4, "a to take all back", timeout=60)
    steps.append(("after b left", len(owned(a))))
    a.close()
    return steps


def test_new_protocol_consumers_split_and_take_over(targets):
    crosscheck(targets, new_protocol_group)
