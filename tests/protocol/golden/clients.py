#!/usr/bin/env python3
"""Client workloads for capture.py (run with the repo's .venv python).

  clients.py kafka-python BOOTSTRAP TOPIC
  clients.py confluent    BOOTSTRAP TOPIC

Each produces 3 keyed messages with a header, then consumes them in a consumer
group (group id = TOPIC) from the beginning and commits the offsets.
"""
import sys
import time

N = 3


def kafka_python(bootstrap, topic):
    from kafka import KafkaConsumer, KafkaProducer

    p = KafkaProducer(bootstrap_servers=bootstrap, client_id="golden-kafka-python",
                      compression_type=None, linger_ms=50, acks="all")
    for i in range(N):
        p.send(topic, key=b"key-%d" % i, value=b"kafka-python value %d" % i,
               headers=[("source", b"kafka-python")])
    p.flush()
    p.close()

    c = KafkaConsumer(topic, bootstrap_servers=bootstrap, client_id="golden-kafka-python",
                      group_id=topic, auto_offset_reset="earliest",
                      enable_auto_commit=False)
    got, deadline = [], time.time() + 60
    while len(got) < N and time.time() < deadline:
        for recs in c.poll(timeout_ms=1000).values():
            got.extend(recs)
    if len(got) < N:
        sys.exit("kafka-python: got %d of %d messages" % (len(got), N))
    c.commit()
    c.close()
    print("kafka-python: consumed", [(r.key, r.value, r.headers) for r in got])


def confluent(bootstrap, topic):
    from confluent_kafka import Consumer, Producer

    p = Producer({"bootstrap.servers": bootstrap, "client.id": "golden-librdkafka",
                  "compression.type": "gzip", "linger.ms": 100, "acks": "all"})
    for i in range(N):
        p.produce(topic, key=b"key-%d" % i, value=b"librdkafka value %d" % i,
                  headers=[("source", b"librdkafka")])
    if p.flush(30) != 0:
        sys.exit("librdkafka: flush timed out")

    c = Consumer({"bootstrap.servers": bootstrap, "client.id": "golden-librdkafka",
                  "group.id": topic, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe([topic])
    got, deadline = [], time.time() + 60
    while len(got) < N and time.time() < deadline:
        m = c.poll(1.0)
        if m is None:
            continue
        if m.error():
            sys.exit("librdkafka: %s" % m.error())
        got.append(m)
    if len(got) < N:
        sys.exit("librdkafka: got %d of %d messages" % (len(got), N))
    c.commit(asynchronous=False)
    c.close()
    print("librdkafka: consumed", [(m.key(), m.value(), m.headers()) for m in got])


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    {"kafka-python": kafka_python, "confluent": confluent}[sys.argv[1]](*sys.argv[2:])
