"""A real full disk: `kafkalite serve` on a small tmpfs, an idempotent acks=all
producer (librdkafka through confluent-kafka) writing until the disk is full.
kafkalite answers KAFKA_STORAGE_ERROR, says why, and stops with exit code 1 (as
Kafka halts when its only log directory fails). Given more room it starts
again with every acknowledged record at its acknowledged offset, once."""

import os
import subprocess
import sys
import tempfile
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from kafkalite_process import Kafkalite

SMALL_DISK = "32m"
BIGGER_DISK = "160m"
VALUE_BYTES = 1024


def mount_tmpfs(path, size):
    # Needs root (CI and the sessions run as root); fails loudly otherwise.
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path], check=True)


def main():
    binary = sys.argv[1]
    disk = tempfile.mkdtemp(prefix="kafkalite-full-disk-")
    mount_tmpfs(disk, SMALL_DISK)
    try:
        run(binary, disk)
    finally:
        subprocess.run(["umount", "-l", disk], check=False)
        os.rmdir(disk)


def run(binary, disk):
    data_dir = os.path.join(disk, "data")
    broker = Kafkalite(binary, data_dir=data_dir,
                       overrides=["listeners=PLAINTEXT://127.0.0.1:0"]).start()
    bootstrap = broker.bootstrap()
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic("full", 1, 1)])["full"].result(30)

    acked = {}  # value -> offset the broker acknowledged
    errors = []

    def on_delivery(err, msg):
        if err:
            errors.append(err)
        else:
            acked[msg.value()] = msg.offset()

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True,
                         "acks": "all", "linger.ms": 5, "message.timeout.ms": 10000,
                         "reconnect.backoff.max.ms": 500})
    sent = 0
    deadline = time.monotonic() + 180
    while broker.process.poll() is None and time.monotonic() < deadline:
        value = f"{sent:010d}".encode().ljust(VALUE_BYTES, b".")
        try:
            producer.produce("full", value=value, on_delivery=on_delivery)
            sent += 1
        except BufferError:
            producer.poll(0.05)
        producer.poll(0)
    producer.flush(30)

    code = broker.wait(60)
    log = "".join(broker.log)
    print(f"sent {sent}, acknowledged {len(acked)}, refused {len(errors)}, exit code {code}")
    assert code == 1, f"kafkalite should stop with exit code 1 on a full disk, got {code}"
    assert "Shutdown broker because all log dirs in" in log
    assert "KAFKA_STORAGE_ERROR" in log and "No space left on device" in log
    assert acked, "nothing was acknowledged before the disk filled up"
    assert errors, "the producer should have seen its last records refused"

    # More room: everything acknowledged is there, at its offset, once.
    subprocess.run(["mount", "-o", f"remount,size={BIGGER_DISK}", disk], check=True)
    broker = Kafkalite(binary, data_dir=data_dir,
                       overrides=["listeners=PLAINTEXT://127.0.0.1:0"]).start()
    consumer = Consumer({"bootstrap.servers": broker.bootstrap(), "group.id": "disk-full-check",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    _, high = consumer.get_watermark_offsets(TopicPartition("full", 0), timeout=30)
    consumer.assign([TopicPartition("full", 0, 0)])
    stored = {}
    duplicates = 0
    while len(stored) + duplicates < high:
        msg = consumer.poll(10)
        assert msg is not None, f"read {len(stored)} of {high} records, then nothing"
        assert not msg.error(), msg.error()
        duplicates += msg.value() in stored
        stored[msg.value()] = msg.offset()
    consumer.close()
    lost = [v for v, offset in acked.items() if stored.get(v) != offset]
    print(f"stored {len(stored)} (high watermark {high}), acknowledged records lost: {len(lost)}, "
          f"duplicates: {duplicates}")
    assert not lost, f"{len(lost)} acknowledged records lost or moved, e.g. {lost[:3]}"
    assert duplicates == 0
    assert broker.stop() == 0


if __name__ == "__main__":
    main()
