"""SASL with real clients against `kafkalite serve` and the secured reference
Kafka 4.1.1 (tests/crosscheck/secure.properties on both): kafka-python and
confluent-kafka (librdkafka) logging in with PLAIN, SCRAM-SHA-256 and
SCRAM-SHA-512, refused with a wrong password, and Kafka's own
kafka-configs.sh managing SCRAM users. Each scenario's transcript must be
the same on both brokers.

  KAFKALITE_SECURE_REFERENCE_FILE   written by reference.sh start-secure (default:
                                    secure/reference.txt beside KAFKALITE_REFERENCE_FILE)
  KAFKALITE_SECURE_REFERENCE        or "host:port,host:sasl_port"
"""

import os
import re
import subprocess
import uuid

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import (AdminClient, ScramCredentialInfo, ScramMechanism,
                                   UserScramCredentialUpsertion)
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import UserScramCredentialUpsertion as PyUpsertion

from conftest import REPO, Targets, consumed, crosscheck, eventually
from kafkalite_process import Kafkalite

TOOL = os.path.join(REPO, "scripts", "reference-kafka.sh")
SECURE_PROPERTIES = os.path.join(REPO, "tests", "crosscheck", "secure.properties")
ADMIN = ("admin", "admin-secret")


def secure_reference():
    """(sasl bootstrap, None) or (None, why there is none)."""
    if os.environ.get("KAFKALITE_SECURE_REFERENCE"):
        return os.environ["KAFKALITE_SECURE_REFERENCE"].split(",")[1], None
    path = os.environ.get("KAFKALITE_SECURE_REFERENCE_FILE")
    if not path and os.environ.get("KAFKALITE_REFERENCE_FILE"):  # beside the reference's (CMakeLists.txt)
        path = os.path.join(os.path.dirname(os.environ["KAFKALITE_REFERENCE_FILE"]), "secure", "reference.txt")
    if not path or not os.path.exists(path):
        return None, "no secured reference broker (KAFKALITE_SECURE_REFERENCE[_FILE])"
    for line in open(path):
        if line.startswith("sasl_bootstrap="):
            return line.strip()[len("sasl_bootstrap="):], None
    return None, open(path).readline().strip()


@pytest.fixture(scope="module")
def secure(tmp_path_factory):
    """Targets whose addresses are the SASL_PLAINTEXT listeners."""
    overrides = ["listeners=PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0"]
    for line in open(SECURE_PROPERTIES):
        if line.strip() and not line.startswith("#"):
            overrides.append(line.rstrip("\n"))
    broker = Kafkalite(os.environ["KAFKALITE_BINARY"], data_dir=str(tmp_path_factory.mktemp("kafkalite-sasl")),
                       overrides=overrides).start()
    reference, why_not = secure_reference()
    try:
        yield Targets(broker.bootstrap("SASL_PLAINTEXT"), reference, why_not,
                      str(tmp_path_factory.mktemp("tools-sasl")))
    finally:
        broker.stop()


def python_sasl(mechanism, user, password):
    return dict(security_protocol="SASL_PLAINTEXT", sasl_mechanism=mechanism,
                sasl_plain_username=user, sasl_plain_password=password)


def rdkafka_sasl(bootstrap, mechanism, user, password):
    return {"bootstrap.servers": bootstrap, "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": mechanism,
            "sasl.username": user, "sasl.password": password}


def kafka_python_logins(bootstrap, prefix):
    """An admin (PLAIN) makes SCRAM users; they produce and consume with
    their mechanism. (A wrong password: kafka-python only retries until its
    timeout; librdkafka's test below shows the broker's refusal.)"""
    steps = []
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, **python_sasl("PLAIN", *ADMIN))
    try:
        altered = admin.alter_user_scram_credentials([
            PyUpsertion(f"{prefix}-bob", "SCRAM-SHA-256", "bob-secret", iterations=4096),
            PyUpsertion(f"{prefix}-carol", "SCRAM-SHA-512", "carol-secret", iterations=8192)])
        steps.append(["alter", sorted((k.replace(prefix, "<prefix>"), str(v)) for k, v in altered.items())])
        described = admin.describe_user_scram_credentials([f"{prefix}-bob", f"{prefix}-carol"])
        steps.append(["describe", sorted(
            (user.replace(prefix, "<prefix>"), str(info["error"]),
             [(int(c["mechanism"]), c["iterations"]) for c in info["credential_infos"]])
            for user, info in described.items())])
    finally:
        admin.close()
    topic = f"{prefix}-t"
    for mechanism, user, password in (("SCRAM-SHA-256", f"{prefix}-bob", "bob-secret"),
                                      ("SCRAM-SHA-512", f"{prefix}-carol", "carol-secret"),
                                      ("PLAIN", "alice", "alice-secret")):
        producer = KafkaProducer(bootstrap_servers=bootstrap, **python_sasl(mechanism, user, password))
        try:
            meta = producer.send(topic, f"from {mechanism}".encode()).get(timeout=30)
            steps.append(["produce", mechanism, meta.partition, meta.offset])
        finally:
            producer.close()
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=10000, group_id=f"{prefix}-g",
                             **python_sasl("SCRAM-SHA-256", f"{prefix}-bob", "bob-secret"))
    steps.append(["consumed as bob", consumed(consumer, 3)])
    return steps


def test_kafka_python_sasl(secure):
    crosscheck(secure, kafka_python_logins)


def librdkafka_logins(bootstrap, prefix):
    """The same with librdkafka: its admin client makes a SCRAM user, each
    mechanism produces and consumes, and a wrong password's error is the
    broker's own message."""
    steps = []
    admin = AdminClient(rdkafka_sasl(bootstrap, "PLAIN", *ADMIN))
    futures = admin.alter_user_scram_credentials([UserScramCredentialUpsertion(
        f"{prefix}-dan", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), b"dan-secret")])
    for user, future in futures.items():
        steps.append(["alter", user.replace(prefix, "<prefix>"), future.result(timeout=30)])
    described = admin.describe_user_scram_credentials([f"{prefix}-dan"])
    for user, future in described.items():
        info = future.result(timeout=30)
        steps.append(["describe", user.replace(prefix, "<prefix>"),
                      [(str(c.mechanism), c.iterations) for c in info.scram_credential_infos]])
    topic = f"{prefix}-t"
    for mechanism, user, password in (("SCRAM-SHA-512", f"{prefix}-dan", "dan-secret"),
                                      ("PLAIN", "alice", "alice-secret")):
        producer = Producer(rdkafka_sasl(bootstrap, mechanism, user, password))
        delivered = []
        producer.produce(topic, f"from {mechanism}".encode(),
                         on_delivery=lambda err, msg: delivered.append([str(err), msg.offset()]))
        producer.flush(30)
        steps.append(["produce", mechanism, delivered])
    consumer = Consumer({**rdkafka_sasl(bootstrap, "SCRAM-SHA-512", f"{prefix}-dan", "dan-secret"),
                         "group.id": f"{prefix}-g", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    got = []
    try:
        def two():
            message = consumer.poll(0.5)
            if message is not None and not message.error():
                got.append([message.offset(), message.value().decode()])
            return len(got) >= 2
        eventually(two, "two records as dan")
    finally:
        consumer.close()
    steps.append(["consumed as dan", got])
    for mechanism, user in (("PLAIN", "alice"), ("SCRAM-SHA-512", f"{prefix}-dan")):
        errors = []
        producer = Producer({**rdkafka_sasl(bootstrap, mechanism, user, "wrong"),
                             "error_cb": lambda e: errors.append(e)})
        try:
            eventually(lambda: producer.poll(0.2) is not None and any(
                e.code() == -169 for e in errors), f"{mechanism}'s login to fail")  # _AUTHENTICATION
        finally:
            producer.flush(0)
        # librdkafka appends how long the login took: not the broker's to say.
        steps.append(["wrong password", mechanism,
                      sorted({re.sub(r"^.*?(SASL authentication error)|( \(after \d+ms in state \w+\))$", r"\1", e.str())
                              for e in errors if e.code() == -169})])
    return steps


def test_librdkafka_sasl(secure):
    crosscheck(secure, librdkafka_logins)


def kafka_configs_users(bootstrap, prefix, tools_dir):
    """Kafka's kafka-configs.sh, logged in as admin with PLAIN, adds, lists
    and removes SCRAM credentials (salting the password itself)."""
    properties = os.path.join(tools_dir, f"admin-{uuid.uuid4().hex}.properties")
    with open(properties, "w") as f:
        f.write("security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                'username="admin" password="admin-secret";\n')
    user = f"{prefix}-erin"

    def configs(*args):
        done = subprocess.run([TOOL, "tool", tools_dir, "configs", "--bootstrap-server", bootstrap,
                               "--command-config", properties, *args],
                              capture_output=True, text=True, timeout=120)
        lines = [line.replace(prefix, "<prefix>").replace(bootstrap, "<bootstrap>").replace(properties, "<properties>")
                 for line in (done.stdout + done.stderr).splitlines()
                 if line.strip() and not re.match(r"^\[\d{4}-|^\s+at |^SLF4J", line)]
        # A user's credentials come in the order of a HashMap keyed by an
        # enum (identity hashes: it changes from one broker run to the next).
        lines = [re.sub(r"(are )(.*)$", lambda m: m.group(1) + ", ".join(sorted(m.group(2).split(", "))), line)
                 if "SCRAM credential configs for user-principal" in line else line for line in lines]
        return [done.returncode, lines]

    steps = [
        # Both mechanisms at once are two upsertions of one user: refused.
        configs("--alter", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=erin-secret],"
                "SCRAM-SHA-512=[password=erin-secret]", "--entity-type", "users", "--entity-name", user),
        configs("--alter", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=erin-secret]",
                "--entity-type", "users", "--entity-name", user),
        configs("--alter", "--add-config", "SCRAM-SHA-512=[password=erin-secret]",
                "--entity-type", "users", "--entity-name", user),
        configs("--describe", "--entity-type", "users", "--entity-name", user),
        configs("--alter", "--delete-config", "SCRAM-SHA-512", "--entity-type", "users", "--entity-name", user),
        configs("--describe", "--entity-type", "users", "--entity-name", user),
        configs("--alter", "--add-config", "SCRAM-SHA-256=[iterations=100,password=x]", "--entity-type", "users",
                "--entity-name", user),
        configs("--alter", "--delete-config", "SCRAM-SHA-512", "--entity-type", "users", "--entity-name", user),
    ]
    # The credential set by the tool logs in.
    producer = KafkaProducer(bootstrap_servers=bootstrap, **python_sasl("SCRAM-SHA-256", user, "erin-secret"))
    try:
        steps.append(["login as erin", producer.send(f"{prefix}-t", b"x").get(timeout=30).offset])
    finally:
        producer.close()
    return steps


def test_kafka_configs_scram_users(secure):
    crosscheck(secure, kafka_configs_users, secure.tools_dir)


class UnsecuredJws:
    """kafka-python's OAUTHBEARER token provider: an unsecured JWS (kafka-python
    has no generator of its own), encoded with the standard base64 alphabet
    that Kafka 4.1.1 decodes."""

    def __init__(self, sub, scope):
        self.sub, self.scope = sub, scope

    def token(self):
        import base64
        import json as json_module
        import time
        def part(value):
            return base64.b64encode(json_module.dumps(value).encode()).decode().rstrip("=")
        now = int(time.time())
        return f'{part({"alg": "none"})}.{part({"sub": self.sub, "iat": now, "exp": now + 3600, "scope": self.scope})}.'

    def extensions(self):
        return {}


def oauthbearer_logins(bootstrap, prefix):
    """librdkafka's own unsecured tokens and kafka-python's, produced and
    consumed; a token without the required scope is refused with Kafka's
    JSON status."""
    from kafka.net.sasl.oauth import AbstractTokenProvider

    class Provider(UnsecuredJws, AbstractTokenProvider):
        pass

    steps = []
    topic = f"{prefix}-t"
    producer = Producer({"bootstrap.servers": bootstrap, "security.protocol": "SASL_PLAINTEXT",
                         "sasl.mechanism": "OAUTHBEARER", "enable.sasl.oauthbearer.unsecure.jwt": True,
                         "sasl.oauthbearer.config": "principal=alice scope=kafka lifeSeconds=600"})
    delivered = []
    producer.produce(topic, b"from librdkafka", on_delivery=lambda err, msg: delivered.append([str(err), msg.offset()]))
    producer.flush(30)
    steps.append(["librdkafka produce", delivered])
    python_producer = KafkaProducer(bootstrap_servers=bootstrap, security_protocol="SASL_PLAINTEXT",
                                    sasl_mechanism="OAUTHBEARER",
                                    sasl_oauth_token_provider=Provider("bob", ["kafka"]))
    try:
        steps.append(["kafka-python produce", python_producer.send(topic, b"from kafka-python").get(timeout=30).offset])
    finally:
        python_producer.close()
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=10000, group_id=f"{prefix}-g", security_protocol="SASL_PLAINTEXT",
                             sasl_mechanism="OAUTHBEARER", sasl_oauth_token_provider=Provider("bob", ["kafka"]))
    steps.append(["consumed as bob", consumed(consumer, 2)])
    errors = []
    refused = Producer({"bootstrap.servers": bootstrap, "security.protocol": "SASL_PLAINTEXT",
                        "sasl.mechanism": "OAUTHBEARER", "enable.sasl.oauthbearer.unsecure.jwt": True,
                        "sasl.oauthbearer.config": "principal=alice scope=other", "error_cb": errors.append})
    try:
        eventually(lambda: refused.poll(0.2) is not None and any(e.code() == -169 for e in errors),
                   "the login without the scope to fail")
    finally:
        refused.flush(0)
    steps.append(["without the scope", sorted({re.sub(r"^.*?(SASL authentication error)|( \(after \d+ms in state \w+\))$",
                                                      r"\1", e.str()) for e in errors if e.code() == -169})])
    return steps


def test_oauthbearer_clients(secure):
    crosscheck(secure, oauthbearer_logins)
