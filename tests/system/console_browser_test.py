"""The lab's kafka-ui steps, clicked in headless Chromium against the console
of `kafkalite serve` on its default address (http://localhost:8080), with the
lab's own producer.py and consumer.py on the lab's ports:

  create hello-kafka; run producer.py; Topics -> hello-kafka -> Messages,
  Seek Type Earliest, Load messages: its 5 messages; run consumer.py;
  Consumers: hello-group with lag 0; Reset Offset while it runs is refused
  with Kafka's reason; stop it; Reset Offset -> Earliest; lag 5.

Also the teaching views (the log strip, the rebalance timeline, the request
log), a consumer group of the new protocol (KIP-848: its epochs, each
member's target, and an incremental rebalance on the timeline when a second
member joins) and the Russian pages. Screenshots go to SHOTS_DIR (kept as artifacts),
and each page's load time is printed.

  console_browser_test.py KAFKALITE_BINARY PYTHON SHOTS_DIR
"""

import os
import sys
import threading
import time

from browser import Page, chromium
from kafkalite_process import Kafkalite, scratch_dir
from lab_test import Consumer, lab_source

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB = os.path.join(ROOT, "examples", "lab")

load_times = {}


def open_page(page, url, ready, name):
    """Opens `url`, waits until `ready` (a data-test name) shows, records how
    long that took, and takes a screenshot named `name`."""
    started = time.monotonic()
    page.driver.get(url)
    page.element(ready)
    load_times[name] = (time.monotonic() - started) * 1000
    return page.shot(name)


class NewProtocolConsumer:
    """librdkafka's consumer with group.protocol=consumer (KIP-848), polling
    in a thread."""

    def __init__(self, bootstrap, group, topic, client_id):
        from confluent_kafka import Consumer
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "group.protocol": "consumer",
                                  "client.id": client_id, "auto.offset.reset": "earliest"})
        self.consumer.subscribe([topic])
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_flag.is_set():
            self.consumer.poll(0.1)

    def stop(self):
        self.stop_flag.set()
        self.thread.join(30)
        self.consumer.close()


def kip848_group(page, base):
    """A consumer group of the new protocol: its page, opened before the
    group exists, says so and then shows it once its first member joins;
    one member holds the 4 partitions; a second joins and the first gives
    two up; the timeline tells it step by step."""
    from confluent_kafka.admin import AdminClient, NewTopic
    bootstrap = "localhost:19092"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic("orders", num_partitions=4, replication_factor=1)])["orders"].result(30)
    open_page(page, base + "/#/consumers/orders-group/members", "group-title", "16-consumer-group")
    page.wait_text("error", lambda t: t.startswith("GROUP_ID_NOT_FOUND"), "orders-group not there yet")
    members = [NewProtocolConsumer(bootstrap, "orders-group", "orders", "member-a")]
    try:
        page.wait_text("group-type", lambda t: t == "consumer", "the group's type")
        page.wait_text("member-assignment", lambda t: t.count("orders-") == 4, "member-a with the 4 partitions")
        page.wait_text("state", lambda t: t == "Stable", "orders-group Stable")
        page.shot("16-consumer-group")
        members.append(NewProtocolConsumer(bootstrap, "orders-group", "orders", "member-b"))
        page.wait(lambda d: [e.text.count("orders-") for e in page.css('[data-test="member-assignment"]')] == [2, 2] and
                  [e.text for e in page.css('[data-test="member-assignment"]')] ==
                  [e.text for e in page.css('[data-test="member-target"]')], "two members with two partitions each")
        epoch = int(page.element("group-epoch").text)
        assert epoch == 2, epoch
        assert [e.text for e in page.css('[data-test="member-epoch"]')] == ["2", "2"]
        page.shot("17-consumer-group-two-members")
        page.click("tab-timeline")
        page.wait(lambda d: any("gives up" in e.text for e in page.css('[data-test="reconciled"]')),
                  "member-a giving up partitions on the timeline")
        events = [e.get_attribute("data-event") for e in page.css('[data-test="event"]')]
        assert events[:4] == ["member_joined", "epoch_bumped", "target_assigned", "member_reconciled"], events
        assert events.count("target_assigned") == 2, events
        page.shot("18-consumer-group-timeline")
    finally:
        for m in members:
            m.stop()


def main():
    binary, python, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    data = scratch_dir("kafkalite-console-")
    # The console's default address: what the lab's kafka-ui had.
    broker = Kafkalite(binary, data_dir=data,
                       overrides=["console.listeners=http://localhost:8080", "group.initial.rebalance.delay.ms=0"]).start()
    try:
        steps(broker, python, shots)
    finally:
        # A failed step leaves no broker behind on the lab's ports.
        if broker.process.poll() is None:
            broker.kill9()


def steps(broker, python, shots):
    assert broker.console_url == "http://localhost:8080", broker.console_url
    base = broker.console_url
    driver = chromium("en-US")
    page = Page(driver, shots)
    consumer = None
    try:
        open_page(page, base + "/", "cluster-id", "01-dashboard")
        assert page.element("node-id").text == "1"

        # Topics -> Add a Topic: hello-kafka, 1 partition.
        open_page(page, base + "/#/topics", "add-topic", "02-topics-empty")
        page.click("add-topic")
        page.element("topic-name").send_keys("hello-kafka")
        page.shot("03-add-topic")
        page.click("create-topic")
        page.wait_text("topic-title", lambda t: t == "hello-kafka", "the new topic's page")
        page.wait_text("end-offset", lambda t: t == "0", "end offset 0")

        # The lab's producer.py, unchanged, on the lab's port 19092.
        import subprocess
        produced = subprocess.run([python, os.path.join(LAB, "producer.py")], capture_output=True, text=True,
                                  encoding="utf-8", timeout=120)
        assert produced.returncode == 0 and "Hello Kafka 5" in produced.stdout, produced

        # Topics -> hello-kafka -> Messages, Seek Type Earliest, Load messages.
        open_page(page, base + "/#/topics", "topic-link", "04-topics")
        page.wait_text("topic-messages", lambda t: t == "5", "5 messages in the topic list")
        page.click("topic-link")
        page.click("tab-messages")
        seek = page.element("seek-type")
        assert seek.get_attribute("value") == "earliest"
        page.click("load-messages")
        page.wait(lambda d: len(page.css('[data-test="message"]')) == 5, "5 messages")
        values = [el.text for el in page.css('[data-test="message-value"]')]
        assert values == [f"Hello Kafka {i}" for i in range(1, 6)], values
        page.shot("05-messages-earliest")

        # The lab's consumer.py reads the 5 messages and keeps running.
        consumer = Consumer(python, lab_source("consumer.py"))
        consumer.wait_for(5)

        # Consumers: hello-group, lag 0 (after F5, as the lab says).
        open_page(page, base + "/#/consumers", "group-link", "07-consumers")
        page.wait_text("group-lag", lambda t: t == "0", "hello-group with lag 0")
        page.click("group-link")
        page.wait_text("state", lambda t: t == "Stable", "hello-group Stable")
        page.shot("08-group-members")
        page.click("tab-offsets")
        page.wait_text("lag", lambda t: t == "0", "lag 0 on hello-kafka-0")
        page.wait_text("committed", lambda t: t == "5", "committed offset 5")

        # Reset Offset while the consumer runs: refused, with Kafka's reason.
        page.click("reset-offset-open")
        page.element("reset-type").send_keys("Earliest")
        page.click("reset-submit")
        page.wait_text("error", lambda t: "Assignments can only be reset if the group 'hello-group' is inactive, "
                                          "but the current state is Stable." in t, "the refusal")
        page.shot("09-reset-refused")

        # The teaching views while it runs: the rebalance timeline ...
        page.click("tab-timeline")
        page.wait(lambda d: any(e.get_attribute("data-event") == "assigned" for e in page.css('[data-test="event"]')),
                  "the assignment in the timeline")
        page.shot("10-timeline")
        # ... the log strip with hello-group's committed offset ...
        open_page(page, base + "/#/topics/hello-kafka/log", "strip", "11-log-strip")
        page.wait_text("strip-group", lambda t: t == "hello-group", "hello-group's mark on the strip")
        mark = page.css('[data-test="strip-group"]')[0]
        assert mark.find_element("xpath", "..").get_attribute("data-offset") == "5"
        page.shot("11-log-strip")
        # ... and the request log: what consumer.py says to the broker.
        open_page(page, base + "/#/requests", "requests", "12-requests")
        page.wait(lambda d: any(e.get_attribute("data-api") in ("Fetch", "Heartbeat") for e in page.css('[data-test="request"]')),
                  "the consumer's requests")
        # Filtered by client: only consumer.py's requests (kafka-python's client id).
        from selenium.webdriver.support.ui import Select
        clients = Select(page.element("client-filter"))
        page.wait(lambda d: any(o.text.startswith("kafka-python") for o in clients.options), "the lab client in the filter")
        lab_client = next(o.text for o in clients.options if o.text.startswith("kafka-python"))
        clients.select_by_visible_text(lab_client)
        page.wait(lambda d: page.css('[data-test="request-client"]') and
                  all(e.text == lab_client for e in page.css('[data-test="request-client"]')), "only the lab client's requests")
        page.shot("12-requests")

        # Stop consumer.py (Ctrl+C): the group is Empty; Reset Offset -> Earliest.
        consumer.stop()
        consumer = None
        open_page(page, base + "/#/consumers/hello-group/offsets", "offsets", "13-group-empty")
        page.wait_text("state", lambda t: t == "Empty", "hello-group Empty")
        page.click("reset-offset-open")
        page.element("reset-type").send_keys("Earliest")
        page.click("reset-submit")
        page.element("reset-done")
        page.wait_text("lag", lambda t: t == "5", "lag 5 after the reset (live)")
        page.wait_text("total-lag", lambda t: t == "5", "total lag 5")
        page.shot("14-reset-earliest")

        # Messages in Live mode: a message sent meanwhile appears, and JSON
        # values show pretty-printed.
        open_page(page, base + "/#/topics/hello-kafka/messages", "load-messages", "15-messages")
        # Live mode: a message produced from the Produce Message tab appears.
        page.driver.find_element("css selector", '[data-test="live"]').click()
        page.wait(lambda d: "on" in page.element("live-dot").get_attribute("class"), "the live view to connect")
        subprocess.run([python, "-c", "from kafka import KafkaProducer\n"
                        "p = KafkaProducer(bootstrap_servers='localhost:19092')\n"
                        "p.send('hello-kafka', b'{\"live\": true, \"n\": 6}').get(30)\np.close()"], check=True, timeout=60)
        page.wait(lambda d: len(page.css('[data-test="message"]')) == 6, "the 6th message to arrive live")
        page.element("format").send_keys("JSON")
        page.wait_text("message-value", lambda t: '"live": true' in t, "pretty JSON")
        page.shot("15-messages-live-json")

        kip848_group(page, base)

        # The Russian pages: the switch, and a browser that prefers Russian.
        page.click("lang-switch")
        page.wait_text("nav-topics", lambda t: t == "Топики (Topics)", "the Russian navigation")
        page.shot("19-russian-switch")
        page.click("lang-switch")
        page.wait_text("nav-topics", lambda t: t == "Topics", "English again")
    except Exception:
        page.shot("zz-failure")
        raise
    finally:
        if consumer:
            consumer.process.kill()
        driver.quit()

    ru = chromium("ru-RU")
    try:
        ru_page = Page(ru, shots)
        open_page(ru_page, base + "/#/consumers/hello-group/offsets", "offsets", "20-russian-group")
        ru_page.wait_text("nav-consumers", lambda t: t == "Группы (Consumers)", "Russian for a Russian browser")
        ru_page.wait_text("reset-offset-open", lambda t: "Reset Offset" in t, "the lab's button name in Russian")
        ru_page.shot("20-russian-group")
        open_page(ru_page, base + "/#/consumers/orders-group/timeline", "timeline", "21-russian-timeline")
        ru_page.wait(lambda d: any("отдаёт" in e.text for e in ru_page.css('[data-test="reconciled"]')),
                     "the Russian timeline of the consumer group")
        ru_page.shot("21-russian-timeline")
    finally:
        ru.quit()
        assert broker.stop() == 0

    for name, ms in load_times.items():
        print(f"page load {name}: {ms:.0f} ms")
    print(f"screenshots: {os.path.abspath(shots)}")


if __name__ == "__main__":
    main()
