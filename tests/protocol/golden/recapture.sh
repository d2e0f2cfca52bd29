#!/usr/bin/env bash
# Re-captures the golden frames in tests/protocol/golden/frames from a fresh
# real Kafka 4.1.1 broker (scripts/reference-kafka.sh) and three real clients,
# all talking through capture.py's proxy. Replaces the existing frames.
#   tests/protocol/golden/recapture.sh
# Env: BROKER_PORT (29092; controller uses +1), PROXY_PORT (29094),
#      PYTHON (.venv/bin/python, needs kafka-python and confluent-kafka).
set -euo pipefail
cd "$(dirname "$0")/../../.."

BROKER_PORT="${BROKER_PORT:-29092}"
PROXY_PORT="${PROXY_PORT:-29094}"
PYTHON="${PYTHON:-.venv/bin/python}"
GOLDEN=tests/protocol/golden
OUT="$GOLDEN/frames"
RK=scripts/reference-kafka.sh
BROKER="127.0.0.1:$BROKER_PORT"
PROXY="127.0.0.1:$PROXY_PORT"

DIR="$(mktemp -d /tmp/kafkalite-golden.XXXXXX)"
cleanup() { "$RK" stop "$DIR" || true; rm -rf "$DIR"; }
trap cleanup EXIT

# The broker advertises the proxy, so every connection after bootstrap (to the
# partition leader, to the group coordinator) also goes through it.
"$RK" start "$DIR" "$BROKER_PORT" "advertised.listeners=PLAINTEXT://$PROXY" >/dev/null

capture() { python3 "$GOLDEN/capture.py" --listen "$PROXY" --upstream "$BROKER" "$@"; }

# Setup, through the proxy too (the broker advertises it) but recorded into a
# throwaway directory: topics for the Python clients, and a warm-up group +
# idempotent producer so that __consumer_offsets exists and the coordinators
# are loaded -- otherwise the first captured FindCoordinator/JoinGroup/
# InitProducerId answers are transient COORDINATOR_NOT_AVAILABLE-style errors.
setup() {
  capture --out "$DIR/setup-frames" --client setup -- "$@" >"$DIR/setup.log" 2>&1 ||
    { cat "$DIR/setup.log" >&2; exit 1; }
}
for t in golden-kafka-python golden-librdkafka golden-warmup; do
  setup "$RK" tool "$DIR" topics --bootstrap-server "$PROXY" --create --topic "$t" \
    --partitions 1 --replication-factor 1
done
setup "$PYTHON" "$GOLDEN/clients.py" kafka-python "$PROXY" golden-warmup

rm -rf "$OUT"
mkdir -p "$OUT"

capture --out "$OUT" --client kafka-python -- "$PYTHON" "$GOLDEN/clients.py" kafka-python "$PROXY" golden-kafka-python
capture --out "$OUT" --client librdkafka -- "$PYTHON" "$GOLDEN/clients.py" confluent "$PROXY" golden-librdkafka

# The Java client (kafka-clients 4.1.1) through Kafka's own tools.
capture --out "$OUT" --client java -- bash -c '
  set -euo pipefail
  rk() { "$0" tool "$1" "${@:2}"; }
  DIR=$1 PROXY=$2
  rk "$DIR" topics --bootstrap-server "$PROXY" --create --topic golden-java \
    --partitions 1 --replication-factor 1
  printf "source:java\tkey-%d\tjava value %d\n" 0 0 1 1 2 2 |
    rk "$DIR" console-producer --bootstrap-server "$PROXY" --topic golden-java \
      --property parse.key=true --property parse.headers=true
  rk "$DIR" console-consumer --bootstrap-server "$PROXY" --topic golden-java \
    --from-beginning --max-messages 3 --group golden-java --timeout-ms 60000 \
    --property print.key=true --property print.headers=true
  rk "$DIR" topics --bootstrap-server "$PROXY" --describe --topic golden-java
' "$RK" "$DIR" "$PROXY"

echo "recapture: $(find "$OUT" -name '*.bin' | wc -l) frames, $(du -sb "$OUT" | cut -f1) bytes in $OUT"
