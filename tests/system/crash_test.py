"""kill -9 during an idempotent acks=all produce (librdkafka through
confluent-kafka), restart on the same data directory while the producer keeps
going: every acknowledged record is present exactly once."""

import sys
import threading

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from kafkalite_process import Kafkalite

TOTAL = 3000


def main():
    binary = sys.argv[1]
    broker = Kafkalite(binary, overrides=["listeners=PLAINTEXT://127.0.0.1:0"]).start()
    bootstrap = broker.bootstrap()
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic("crash", 1, 1)])["crash"].result(30)

    acked = []
    failed = []
    lock = threading.Lock()

    def on_delivery(err, msg):
        with lock:
            (failed if err else acked).append(msg.value().decode())

    # The broker comes back on the same port, so the producer can reconnect.
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True,
                         "acks": "all", "linger.ms": 2, "message.timeout.ms": 60000,
                         "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 200})
    for i in range(TOTAL):
        producer.produce("crash", value=f"record-{i}".encode(), on_delivery=on_delivery)
        producer.poll(0)
        if i == TOTAL // 2:
            producer.flush(30)  # some acknowledged before the crash...
        if i == TOTAL // 2 + 200:  # ...and up to 200 in flight during it
            broker.kill9()
            port = bootstrap.split(":")[1]
            broker = Kafkalite(binary, data_dir=broker.data_dir,
                               overrides=[f"listeners=PLAINTEXT://127.0.0.1:{port}"]).start()
    remaining = producer.flush(60)
    assert remaining == 0, f"{remaining} messages never delivered"

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "crash-check",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition("crash", 0, 0)])
    seen = []
    while True:
        msg = consumer.poll(5)
        if msg is None:
            break
        assert not msg.error(), msg.error()
        seen.append(msg.value().decode())
    consumer.close()
    assert broker.stop() == 0

    counts = {}
    for v in seen:
        counts[v] = counts.get(v, 0) + 1
    duplicates = [v for v, n in counts.items() if n > 1]
    missing = [v for v in acked if v not in counts]
    print(f"acknowledged {len(acked)}, failed {len(failed)}, stored {len(seen)}, "
          f"duplicates {len(duplicates)}, missing {len(missing)}")
    assert not duplicates, duplicates[:10]
    assert not missing, missing[:10]
    assert len(acked) >= TOTAL, "every record should be acknowledged in the end"


if __name__ == "__main__":
    main()
