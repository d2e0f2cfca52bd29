"""TLS listeners, kafkalite against the secured reference Kafka 4.1.1 (both
with tests/crosscheck/secure.properties and the certificates of
make_test_certs.sh): kafka-python and confluent-kafka (librdkafka) over SSL,
with and without a client certificate, and over SASL_SSL with SCRAM; Kafka's
own Java tools (the Java client) with SCRAM over TLS; and what each broker
refuses: a certificate of another CA, a TLS client on a PLAINTEXT port, a
plaintext client on an SSL port.

Environment: as test_sasl_clients.py (the secured reference's reference.txt
names its SSL and SASL_SSL listeners and its certificates' folder)."""

import os
import re
import socket
import ssl
import struct
import subprocess
import uuid

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import (AdminClient, ScramCredentialInfo, ScramMechanism,
                                   UserScramCredentialUpsertion)
from kafka import KafkaConsumer, KafkaProducer

from conftest import REPO, consumed, crosscheck, eventually
from kafkalite_process import Kafkalite

TOOL = os.path.join(REPO, "scripts", "reference-kafka.sh")
SECURE_PROPERTIES = os.path.join(REPO, "tests", "crosscheck", "secure.properties")
MAKE_CERTS = os.path.join(REPO, "tests", "crosscheck", "make_test_certs.sh")


def secure_reference_file():
    path = os.environ.get("KAFKALITE_SECURE_REFERENCE_FILE")
    if not path and os.environ.get("KAFKALITE_REFERENCE_FILE"):  # beside the reference's (CMakeLists.txt)
        path = os.path.join(os.path.dirname(os.environ["KAFKALITE_REFERENCE_FILE"]), "secure", "reference.txt")
    return path


def reference_listeners():
    """({listener: address, "tls_dir": path}, None) or (None, why there is none)."""
    path = secure_reference_file()
    if not path or not os.path.exists(path):
        return None, "no secured reference broker (KAFKALITE_SECURE_REFERENCE_FILE)"
    values = dict(line.strip().split("=", 1) for line in open(path) if "=" in line)
    if "ssl_bootstrap" not in values:
        return None, open(path).readline().strip()
    return {"PLAINTEXT": values["bootstrap"], "SSL": values["ssl_bootstrap"],
            "SASL_SSL": values["sasl_ssl_bootstrap"], "tls_dir": values["tls_dir"]}, None


class TlsTargets:
    def __init__(self, kafkalite, reference, why_not, tools_dir):
        self.kafkalite, self.reference, self.why_not, self.tools_dir = kafkalite, reference, why_not, tools_dir


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """Both brokers' PLAINTEXT, SSL and SASL_SSL addresses; one set of test
    certificates (the reference's, so one CA is trusted for both)."""
    reference, why_not = reference_listeners()
    tls_dir = reference["tls_dir"] if reference else str(tmp_path_factory.mktemp("tls") / "certs")
    subprocess.run([MAKE_CERTS, tls_dir], check=True)
    overrides = ["listeners=PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0"]
    for line in open(SECURE_PROPERTIES):
        if line.strip() and not line.startswith("#"):
            overrides.append(line.rstrip("\n").replace("@TLS_DIR@", tls_dir))
    broker = Kafkalite(os.environ["KAFKALITE_BINARY"], data_dir=str(tmp_path_factory.mktemp("kafkalite-tls")),
                       overrides=overrides).start()
    ours = {name: broker.bootstrap(name) for name in ("PLAINTEXT", "SSL", "SASL_SSL")}
    ours["tls_dir"] = tls_dir
    try:
        yield TlsTargets(ours, reference, why_not, str(tmp_path_factory.mktemp("tools-tls")))
    finally:
        broker.stop()


def certs(target, name):
    return os.path.join(target["tls_dir"], name)


def rdkafka_ssl(target, listener="SSL", client=None, **extra):
    config = {"bootstrap.servers": target[listener], "security.protocol": listener,
              "ssl.ca.location": certs(target, "ca.pem"), **extra}
    if client:
        config["ssl.certificate.location"] = certs(target, f"{client}.pem")
        config["ssl.key.location"] = certs(target, f"{client}.key")
    return config


def python_ssl(target, client=None):
    config = dict(bootstrap_servers=target["SSL"], security_protocol="SSL", ssl_cafile=certs(target, "ca.pem"))
    if client:
        config.update(ssl_certfile=certs(target, f"{client}.pem"), ssl_keyfile=certs(target, f"{client}.key"))
    return config


def produce_rdkafka(config, topic, value):
    delivered = []
    producer = Producer(config)
    producer.produce(topic, value, on_delivery=lambda err, msg: delivered.append([str(err), msg.offset()]))
    producer.flush(30)
    return delivered


def ssl_clients(target, prefix):
    """Over SSL: librdkafka and kafka-python produce without a client
    certificate and with alice's (the CA's), and consume it all."""
    steps = []
    topic = f"{prefix}-t"
    steps.append(["librdkafka, no certificate", produce_rdkafka(rdkafka_ssl(target), topic, b"anonymous")])
    steps.append(["librdkafka, alice", produce_rdkafka(rdkafka_ssl(target, client="alice"), topic, b"alice")])
    for client in (None, "alice"):
        producer = KafkaProducer(**python_ssl(target, client))
        try:
            steps.append(["kafka-python", client, producer.send(topic, f"python {client}".encode()).get(timeout=30).offset])
        finally:
            producer.close()
    consumer = KafkaConsumer(topic, auto_offset_reset="earliest", consumer_timeout_ms=10000, group_id=f"{prefix}-g",
                             **python_ssl(target, "alice"))
    steps.append(["consumed", consumed(consumer, 4)])
    return steps


def test_ssl_clients(tls):
    crosscheck(tls, ssl_clients)


def sasl_ssl_clients(target, prefix):
    """Over SASL_SSL: librdkafka's admin (PLAIN) makes a SCRAM user, who
    produces with librdkafka and consumes with kafka-python."""
    steps = []
    admin = AdminClient(rdkafka_ssl(target, "SASL_SSL", **{"sasl.mechanism": "PLAIN", "sasl.username": "admin",
                                                         "sasl.password": "admin-secret"}))
    futures = admin.alter_user_scram_credentials([UserScramCredentialUpsertion(
        f"{prefix}-frank", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), b"frank-secret")])
    for user, future in futures.items():
        steps.append(["alter", user.replace(prefix, "<prefix>"), future.result(timeout=30)])
    topic = f"{prefix}-t"
    scram = {"sasl.mechanism": "SCRAM-SHA-256", "sasl.username": f"{prefix}-frank", "sasl.password": "frank-secret"}
    steps.append(["produce as frank", produce_rdkafka(rdkafka_ssl(target, "SASL_SSL", **scram), topic, b"frank")])
    consumer = KafkaConsumer(topic, bootstrap_servers=target["SASL_SSL"], security_protocol="SASL_SSL",
                             ssl_cafile=certs(target, "ca.pem"), sasl_mechanism="SCRAM-SHA-256",
                             sasl_plain_username=f"{prefix}-frank", sasl_plain_password="frank-secret",
                             auto_offset_reset="earliest", consumer_timeout_ms=10000, group_id=f"{prefix}-g")
    steps.append(["consumed as frank", consumed(consumer, 1)])
    return steps


def test_sasl_ssl_clients(tls):
    crosscheck(tls, sasl_ssl_clients)


def java_scram_over_tls(target, prefix, tools_dir):
    """Kafka's tools (the Java client): logged in with SCRAM-SHA-512 over
    SASL_SSL, trusting the test CA from a PEM file, they create a topic,
    produce and consume."""
    admin = AdminClient(rdkafka_ssl(target, "SASL_SSL", **{"sasl.mechanism": "PLAIN", "sasl.username": "admin",
                                                         "sasl.password": "admin-secret"}))
    for future in admin.alter_user_scram_credentials([UserScramCredentialUpsertion(
            f"{prefix}-gina", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), b"gina-secret")]).values():
        future.result(timeout=30)
    properties = os.path.join(tools_dir, f"gina-{uuid.uuid4().hex}.properties")
    with open(properties, "w") as f:
        f.write("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
                f'    username="{prefix}-gina" password="gina-secret";\n'
                f"ssl.truststore.type=PEM\nssl.truststore.location={certs(target, 'ca.pem')}\n")
    topic = f"{prefix}-t"

    def tool(name, *args, stdin=None):
        done = subprocess.run([TOOL, "tool", tools_dir, name, "--bootstrap-server", target["SASL_SSL"], *args],
                              input=stdin, capture_output=True, text=True, timeout=120)
        lines = [line.replace(prefix, "<prefix>") for line in (done.stdout + done.stderr).splitlines()
                 if line.strip() and not re.match(r"^\[\d{4}-|^\s+at |^SLF4J", line)]
        return [done.returncode, lines]

    return [
        tool("topics", "--command-config", properties, "--create", "--topic", topic, "--partitions", "1"),
        tool("console-producer", "--producer.config", properties, "--topic", topic, stdin="one\ntwo\n"),
        tool("console-consumer", "--consumer.config", properties, "--topic", topic, "--from-beginning",
             "--max-messages", "2", "--timeout-ms", "30000"),
    ]


def test_java_client_scram_over_tls(tls):
    crosscheck(tls, java_scram_over_tls, tls.tools_dir)


def secured_tools(target, prefix, tools_dir):
    """kafkalite's own tools (`kafkalite kafka-topics.sh ...`) beside Kafka's,
    with the same client properties: SCRAM-SHA-512 over SASL_SSL trusting
    the test CA from a PEM file (create, produce, consume), and SSL with
    alice's PEM key store (list). Each step's output must be the same from
    both implementations; the transcript, from both brokers."""
    admin = AdminClient(rdkafka_ssl(target, "SASL_SSL", **{"sasl.mechanism": "PLAIN", "sasl.username": "admin",
                                                         "sasl.password": "admin-secret"}))
    for future in admin.alter_user_scram_credentials([UserScramCredentialUpsertion(
            f"{prefix}-hana", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), b"hana-secret")]).values():
        future.result(timeout=30)

    def properties(name, text):
        path = os.path.join(tools_dir, f"{name}-{uuid.uuid4().hex}.properties")
        with open(path, "w") as f:
            f.write(text)
        return path

    scram = properties("hana", "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                               "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
                               f'    username="{prefix}-hana" password="hana-secret";\n'
                               f"ssl.truststore.type=PEM\nssl.truststore.location={certs(target, 'ca.pem')}\n")
    wrong = properties("wrong", open(scram).read().replace("hana-secret", "not-hers"))
    alice = properties("alice", f"security.protocol=SSL\nssl.truststore.type=PEM\n"
                                f"ssl.truststore.location={certs(target, 'ca.pem')}\n"
                                f"ssl.keystore.type=PEM\nssl.keystore.location={certs(target, 'alice-keystore.pem')}\n")

    def run(implementation, name, listener, *args, stdin=None):
        if implementation == "kafka":
            command = [TOOL, "tool", tools_dir, name]
        else:
            command = [os.environ["KAFKALITE_BINARY"], f"kafka-{name}.sh"]
        done = subprocess.run([*command, "--bootstrap-server", target[listener], *args],
                              input=stdin, capture_output=True, text=True, timeout=120)
        lines = [line.replace(prefix, "<prefix>").replace(f"-{implementation}-", "-<tool>-")
                 for line in (done.stdout + done.stderr).splitlines()
                 if line.strip() and not re.match(r"^\[\d{4}-|^\s+at |^SLF4J|^Caused by: ", line)]
        return [done.returncode, lines]

    steps = []
    for implementation in ("kafka", "kafkalite"):
        topic = f"{prefix}-{implementation}-t"
        steps.append([implementation, [
            run(implementation, "topics", "SASL_SSL", "--command-config", scram, "--create", "--topic", topic,
                "--partitions", "1"),
            run(implementation, "console-producer", "SASL_SSL", "--producer.config", scram, "--topic", topic,
                stdin="one\ntwo\n"),
            run(implementation, "console-consumer", "SASL_SSL", "--consumer.config", scram, "--topic", topic,
                "--from-beginning", "--max-messages", "2", "--timeout-ms", "30000"),
            [line for line in run(implementation, "topics", "SSL", "--command-config", alice, "--list")[1]
             if line.startswith("<prefix>-<tool>-")],
            run(implementation, "topics", "SASL_SSL", "--command-config", wrong, "--list")[0] != 0,
        ]])
    assert steps[0][1] == steps[1][1], f"kafkalite's tools differ from Kafka's: {steps}"
    return steps


def test_kafkalite_tools_over_tls_and_sasl(tls):
    crosscheck(tls, secured_tools, tls.tools_dir)


ALICE = "User:CN=alice,OU=test,O=kafkalite"  # her certificate's subject, as Kafka names it


def certificate_principals(target, prefix, tools_dir):
    """ACLs name the principal a client certificate gives (the subject as
    Java prints it): Kafka's kafka-acls.sh (as a super user, on PLAINTEXT)
    denies alice WRITE and allows her READ on a topic; librdkafka with her
    certificate is refused, without one (ANONYMOUS, a super user) served;
    kafka-python with her certificate consumes. kafka-acls.sh lists the ACLs
    in an order Kafka leaves undefined: its lines are sorted."""
    topic = f"{prefix}-t"

    def acls(*args):
        done = subprocess.run([TOOL, "tool", tools_dir, "acls", "--bootstrap-server", target["PLAINTEXT"], *args],
                              capture_output=True, text=True, timeout=120)
        lines = [line.strip().replace(prefix, "<prefix>") for line in (done.stdout + done.stderr).splitlines()
                 if line.strip() and not re.match(r"^\[\d{4}-|^\s+at |^SLF4J", line)]
        return [done.returncode, sorted(lines)]

    steps = [
        ["deny alice WRITE", acls("--add", "--deny-principal", ALICE, "--operation", "Write", "--topic", topic)],
        ["allow alice READ", acls("--add", "--allow-principal", ALICE, "--operation", "Read", "--topic", topic)],
        ["produce, no certificate", produce_rdkafka(rdkafka_ssl(target), topic, b"anonymous")],
        ["produce as alice", produce_rdkafka(rdkafka_ssl(target, client="alice"), topic, b"alice")],
    ]
    consumer = KafkaConsumer(topic, auto_offset_reset="earliest", consumer_timeout_ms=10000, group_id=f"{prefix}-g",
                             **python_ssl(target, "alice"))
    steps.append(["consumed as alice", consumed(consumer, 1)])
    steps.append(["list", acls("--list", "--topic", topic)])
    steps.append(["remove", acls("--remove", "--force", "--topic", topic)])
    steps.append(["list after", acls("--list", "--topic", topic)])
    return steps


def test_certificate_principals_in_acls(tls):
    crosscheck(tls, certificate_principals, tls.tools_dir)


# ApiVersions v3 (client "test"), a frame without its size.
API_VERSIONS_V3 = struct.pack(">hhih", 18, 3, 1, 4) + b"test" + b"\x00" + b"\x02a\x021\x00"


def frame(body):
    return struct.pack(">i", len(body)) + body


def refusals(target, prefix):
    """What each broker refuses: a client certificate of another CA (the
    handshake fails), a TLS client on the PLAINTEXT listener (librdkafka
    guesses why), a plaintext Kafka request on the SSL listener (no Kafka
    answer); everyone else is still served."""
    steps = []
    # Mallory's certificate, of a CA the broker does not trust: TLS 1.3
    # finishes the client's side of the handshake, so the broker's alert
    # comes with the first read.
    context = ssl.create_default_context(cafile=certs(target, "ca.pem"))
    context.load_cert_chain(certs(target, "mallory.pem"), certs(target, "mallory.key"))
    host, port = target["SSL"].rsplit(":", 1)
    with context.wrap_socket(socket.create_connection((host, int(port)), timeout=10), server_hostname=host) as s:
        try:
            s.sendall(frame(API_VERSIONS_V3))
            steps.append(["mallory", "answered", len(s.recv(4096))])
        except ssl.SSLError as e:
            steps.append(["mallory", "refused", e.reason])
    errors = []
    producer = Producer({**rdkafka_ssl(target), "bootstrap.servers": target["PLAINTEXT"], "error_cb": errors.append})
    try:
        eventually(lambda: producer.poll(0.2) is not None and any("PLAINTEXT broker listener" in e.str() for e in errors),
                   "librdkafka to see a PLAINTEXT listener")
    finally:
        producer.flush(0)
    steps.append(["TLS client on PLAINTEXT", "connecting to a PLAINTEXT broker listener?"])
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(frame(API_VERSIONS_V3))
        received = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            received += chunk
        # A TLS alert record (content type 21), then the close.
        steps.append(["plaintext request on SSL", received[:1].hex(), "closed"])
    steps.append(["still served", produce_rdkafka(rdkafka_ssl(target), f"{prefix}-t", b"after")])
    return steps


def test_tls_refusals(tls):
    crosscheck(tls, refusals)
