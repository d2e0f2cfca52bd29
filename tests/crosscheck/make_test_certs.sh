#!/usr/bin/env bash
# Test certificates for the TLS listeners of the secured brokers, made with
# openssl (PEM, unencrypted PKCS#8 keys, which Kafka's PEM stores read):
#   make_test_certs.sh DIR
#     DIR/ca.pem, ca.key                 the test CA
#     DIR/broker-keystore.pem            the broker's key and certificate
#                                        (CN=localhost; SAN localhost, 127.0.0.1, ::1)
#     DIR/alice.pem, alice.key, alice-keystore.pem
#                                        a client, O=kafkalite/OU=test/CN=alice
#                                        (Kafka names it CN=alice,OU=test,O=kafkalite)
#     DIR/other-ca.pem, mallory.pem, mallory.key
#                                        a client of a CA the brokers do not trust
# Does nothing when DIR/.complete exists; writes into a temporary folder and
# renames it, so concurrent callers see all of it or none.
set -euo pipefail
dir="$1"
[ -f "$dir/.complete" ] && exit 0
mkdir -p "$(dirname "$dir")"
tmp="$(mktemp -d "$dir.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
quiet() { "$@" >/dev/null 2>&1 || { "$@"; exit 1; }; }

ca() {  # name subject
  quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
leaf() {  # name subject ca extensions
  quiet openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
  printf '%b' "$4" >"$1.ext"
  quiet openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 3650 \
    -out "$1.pem" -extfile "$1.ext"
  cat "$1.key" "$1.pem" >"$1-keystore.pem"
  rm -f "$1.csr" "$1.ext"
}

ca ca "/CN=kafkalite-test-ca"
leaf broker "/CN=localhost" ca \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
leaf alice "/O=kafkalite/OU=test/CN=alice" ca \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
ca other-ca "/CN=some-other-ca"
leaf mallory "/O=elsewhere/CN=mallory" other-ca \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
touch .complete
cd /
if ! mv -T "$tmp" "$dir" 2>/dev/null; then
  [ -f "$dir/.complete" ] || { echo "make_test_certs: cannot create $dir" >&2; exit 1; }
fi
trap - EXIT
rm -rf "$tmp"
