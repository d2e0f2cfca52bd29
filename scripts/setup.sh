#!/usr/bin/env bash
# Installs everything kafkalite needs on a Debian 12 machine. Idempotent: when
# everything is already present it only checks, and finishes in seconds.
#   scripts/setup.sh            system packages + Python venv
#   scripts/setup.sh --kafka    also the reference Kafka 4.1.1 jars (Maven)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache
  libboost-dev                      # Asio (networking, coroutines), CRC
  librocksdb-dev                    # the log and all durable state
  libre2-dev                        # consumer groups' topic regexes (Kafka's RE2/J syntax)
  libssl-dev                        # SASL: SCRAM's hashes, HMAC and PBKDF2 (OpenSSL's libcrypto)
  libspdlog-dev libfmt-dev          # logging
  libgtest-dev libgmock-dev googletest  # tests
  librdkafka-dev kcat               # a real client, for tests only
  zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev  # record compression
  libcli11-dev                      # command lines
  nlohmann-json3-dev                # JSON transcripts of the cross-check suite
  clang libclang-rt-14-dev llvm     # libFuzzer and sanitizers
  clang-format
  openjdk-17-jdk-headless maven     # the reference broker, protocol specs
  python3 python3-venv python3-kafka  # the lab's client (venv + Debian's 2.0.2)
  chromium chromium-driver          # the console's pages, tested in a real browser
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python venv with the newest kafka-python and confluent-kafka, built with
# Debian's python3 so it does not depend on any user-installed interpreter.
VENV=.venv
PY_PACKAGES=(kafka-python confluent-kafka pytest selenium)
if [ ! -x "$VENV/bin/python" ]; then
  /usr/bin/python3 -m venv "$VENV"
fi
stamp="$VENV/.kafkalite-installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${PY_PACKAGES[*]}" ]; then
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q --upgrade "${PY_PACKAGES[@]}"
  echo "${PY_PACKAGES[*]}" >"$stamp"
fi

if [ "${1:-}" = "--kafka" ]; then
  scripts/reference-kafka.sh fetch
fi
echo "setup: ok"
