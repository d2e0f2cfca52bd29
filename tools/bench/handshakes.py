#!/usr/bin/env python3
"""The cost of a connection's handshakes, kafkalite against Kafka 4.1.1 in
one run: new connections per second, each connected, secured and asked one
ApiVersions before it closes, for

    PLAINTEXT                    TCP only
    SASL_PLAINTEXT SCRAM-SHA-256 SaslHandshake + two SaslAuthenticate rounds
    SSL                          a TLS handshake (TLS 1.3, the test CA)
    SASL_SSL SCRAM-SHA-256       both

Both brokers run tests/crosscheck/secure.properties with make_test_certs.sh's
certificates (Kafka through tests/crosscheck/reference.sh start-secure). One
client (this script: Python's ssl module is OpenSSL, its PBKDF2 is C) makes
the connections one after another for a fixed time, after a warm-up, so the
numbers are per client and what matters is the ratio between the brokers.

    tools/bench/handshakes.py build/cli/kafkalite [--seconds 10] [--json out.json]
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "system"))
from kafkalite_process import Kafkalite  # noqa: E402

USER, PASSWORD = "bench", "bench-secret"


def request(api_key, version, correlation, body):
    header = struct.pack(">hhih", api_key, version, correlation, 5) + b"bench"
    return struct.pack(">i", len(header) + len(body)) + header + body


def read_frame(sock):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed by the broker")
            data += chunk
        return data
    size = struct.unpack(">i", exactly(4))[0]
    return exactly(size)[4:]  # without the correlation id


def sasl_token(sock, correlation, token):
    sock.sendall(request(36, 0, correlation, struct.pack(">i", len(token)) + token))
    body = read_frame(sock)
    error = struct.unpack(">h", body[:2])[0]
    message_length = struct.unpack(">h", body[2:4])[0]
    rest = body[4 + max(message_length, 0):]
    if error:
        raise RuntimeError(f"SaslAuthenticate error {error}")
    return rest[4:4 + struct.unpack(">i", rest[:4])[0]]


SALTED = {}


def scram_login(sock):
    mechanism = b"SCRAM-SHA-256"
    sock.sendall(request(17, 1, 1, struct.pack(">h", len(mechanism)) + mechanism))
    read_frame(sock)
    nonce = base64.b64encode(secrets.token_bytes(18)).decode()
    first_bare = f"n={USER},r={nonce}"
    server_first = sasl_token(sock, 2, ("n,," + first_bare).encode()).decode()
    fields = dict(item.split("=", 1) for item in server_first.split(","))
    salt, iterations = base64.b64decode(fields["s"]), int(fields["i"])
    # The client's PBKDF2 is the same for both brokers; kept out of the timing.
    key = (fields["s"], iterations)
    if key not in SALTED:
        SALTED[key] = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, iterations)
    salted = SALTED[key]
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    without_proof = f"c=biws,r={fields['r']}"
    auth_message = f"{first_bare},{server_first},{without_proof}".encode()
    signature = hmac.new(hashlib.sha256(client_key).digest(), auth_message, "sha256").digest()
    proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()
    final = sasl_token(sock, 3, f"{without_proof},p={proof}".encode()).decode()
    if not final.startswith("v="):
        raise RuntimeError(f"SCRAM failed: {final}")


def one_connection(address, tls_context, sasl):
    host, port = address.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)))
    try:
        if tls_context:
            sock = tls_context.wrap_socket(sock, server_hostname=host)
        if sasl:
            scram_login(sock)
        sock.sendall(request(18, 0, 9, b""))
        read_frame(sock)
    finally:
        sock.close()


def rate(address, tls_context, sasl, seconds):
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        one_connection(address, tls_context, sasl)
        done += 1
    return done / (time.perf_counter() - start)


def make_user(plain_address):
    """The SCRAM user, made by an admin logged in with PLAIN (kafka-python)."""
    from kafka import KafkaAdminClient
    from kafka.admin import UserScramCredentialUpsertion
    admin = KafkaAdminClient(bootstrap_servers=plain_address, security_protocol="SASL_PLAINTEXT",
                             sasl_mechanism="PLAIN", sasl_plain_username="admin", sasl_plain_password="admin-secret")
    try:
        admin.alter_user_scram_credentials([UserScramCredentialUpsertion(USER, "SCRAM-SHA-256", PASSWORD,
                                                                         iterations=4096)])
    finally:
        admin.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kafkalite")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--json")
    parser.add_argument("--kafka-port", type=int, default=28700)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="kafkalite-handshakes-")
    kafka_state = os.path.join(work, "kafka")
    subprocess.run([os.path.join(REPO, "tests", "crosscheck", "reference.sh"), "start-secure", kafka_state,
                    str(args.kafka_port)], check=True, stdout=subprocess.DEVNULL)
    tls_dir = os.path.join(kafka_state, "tls")
    overrides = ["listeners=PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,"
                 "SASL_SSL://127.0.0.1:0"]
    for line in open(os.path.join(REPO, "tests", "crosscheck", "secure.properties")):
        if line.strip() and not line.startswith("#"):
            overrides.append(line.rstrip("\n").replace("@TLS_DIR@", tls_dir))
    lite = Kafkalite(args.kafkalite, data_dir=os.path.join(work, "kafkalite"), overrides=overrides).start()
    port = args.kafka_port
    brokers = {
        "kafkalite": {name: lite.bootstrap(name) for name in ("PLAINTEXT", "SASL_PLAINTEXT", "SSL", "SASL_SSL")},
        "Kafka 4.1.1": {"PLAINTEXT": f"127.0.0.1:{port}", "SASL_PLAINTEXT": f"127.0.0.1:{port + 2}",
                        "SSL": f"127.0.0.1:{port + 3}", "SASL_SSL": f"127.0.0.1:{port + 4}"},
    }
    context = ssl.create_default_context(cafile=os.path.join(tls_dir, "ca.pem"))
    kinds = [("PLAINTEXT", "PLAINTEXT", None, False),
             ("SCRAM-SHA-256 over SASL_PLAINTEXT", "SASL_PLAINTEXT", None, True),
             ("TLS (SSL)", "SSL", context, False),
             ("SCRAM-SHA-256 over TLS (SASL_SSL)", "SASL_SSL", context, True)]
    results = {}
    try:
        for broker, addresses in brokers.items():
            make_user(addresses["SASL_PLAINTEXT"])
            for label, listener, tls_context, sasl in kinds:  # the JVM's compilers warm up first
                rate(addresses[listener], tls_context, sasl, max(2.0, args.seconds / 3))
            results[broker] = {label: rate(addresses[listener], tls_context, sasl, args.seconds)
                               for label, listener, tls_context, sasl in kinds}
    finally:
        lite.stop()
        subprocess.run([os.path.join(REPO, "scripts", "reference-kafka.sh"), "stop",
                        os.path.join(kafka_state, "broker")], stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    print(f"New connections per second, one client, {args.seconds:g} s each (connect, secure, one ApiVersions)")
    print(f"{'':36}{'kafkalite':>12}{'Kafka 4.1.1':>14}{'ratio':>8}")
    for label, *_ in kinds:
        ours, theirs = results["kafkalite"][label], results["Kafka 4.1.1"][label]
        print(f"{label:36}{ours:12.0f}{theirs:14.0f}{ours / theirs:8.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
