"""The lab's producer.py (the project's copy in examples/lab), run with the
newest kafka-python, against `kafkalite serve` on its default listeners:
5 messages to hello-kafka, partition 0, offsets 0..4."""

import os
import re
import subprocess
import sys

from kafkalite_process import Kafkalite

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    binary, python = sys.argv[1], sys.argv[2]
    broker = Kafkalite(binary).start()
    try:
        assert broker.ports.get("EXTERNAL") == 19092, broker.ports
        assert broker.ports.get("PLAINTEXT") == 9092, broker.ports
        run = subprocess.run([python, os.path.join(ROOT, "examples", "lab", "producer.py")],
                             capture_output=True, text=True, encoding="utf-8", timeout=120)
        print(run.stdout)
        assert run.returncode == 0, run.stderr
        sent = re.findall(r"Hello Kafka (\d) \(partition: (\d+), offset: (\d+)\)", run.stdout)
        assert sent == [(str(i), "0", str(i - 1)) for i in range(1, 6)], sent
        # The lab's own words, in UTF-8 (earlier copies were mis-encoded).
        assert "Producer подключён к Kafka" in run.stdout, run.stdout
        assert "✓ Отправлено: Hello Kafka 1 (partition: 0, offset: 0)" in run.stdout, run.stdout
        assert "Все сообщения отправлены успешно!" in run.stdout, run.stdout
    finally:
        assert broker.stop() == 0
    print("lab producer: 5 messages at offsets 0..4 of hello-kafka-0")


if __name__ == "__main__":
    main()
