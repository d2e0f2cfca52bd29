#!/usr/bin/env bash
# The reference Kafka 4.1.1 for the cross-check suite, as a ctest fixture.
#   reference.sh start STATE_DIR PORT   fresh broker; writes STATE_DIR/reference.txt:
#                                       "bootstrap=127.0.0.1:PORT", or
#                                       "unavailable=REASON" when Maven Central
#                                       cannot be reached (then exits 0, loudly)
#   reference.sh start-secure STATE_DIR PORT
#                                       the same with secure.properties: PLAINTEXT on
#                                       PORT, SASL_PLAINTEXT on PORT+2, SSL on PORT+3,
#                                       SASL_SSL on PORT+4, with the test certificates
#                                       of make_test_certs.sh in STATE_DIR/tls;
#                                       reference.txt also says "sasl_bootstrap=...",
#                                       "ssl_bootstrap=...", "sasl_ssl_bootstrap=..."
#                                       and "tls_dir=STATE_DIR/tls"
#   reference.sh stop STATE_DIR
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ref="$REPO/scripts/reference-kafka.sh"
cmd="$1" state="$2"
mkdir -p "$state"
out="$state/reference.txt"

maven_reachable() {
  python3 -c 'import urllib.request; urllib.request.urlopen("https://repo.maven.apache.org/maven2/", timeout=10)' \
    >/dev/null 2>&1
}

case "$cmd" in
  start|start-secure)
    port="$3"
    extra=()
    if [ "$cmd" = start-secure ]; then
      sasl_port=$((port + 2)) ssl_port=$((port + 3)) sasl_ssl_port=$((port + 4))
      tls_dir="$(cd "$state" && pwd)/tls"
      "$REPO/tests/crosscheck/make_test_certs.sh" "$tls_dir"
      addresses="PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sasl_port,SSL://127.0.0.1:$ssl_port,SASL_SSL://127.0.0.1:$sasl_ssl_port"
      extra+=("listeners=$addresses,CONTROLLER://127.0.0.1:$((port + 1))" "advertised.listeners=$addresses")
      while IFS= read -r line; do
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] || extra+=("${line//@TLS_DIR@/$tls_dir}")
      done <"$REPO/tests/crosscheck/secure.properties"
    fi
    "$ref" stop "$state/broker" >/dev/null 2>&1 || true
    rm -rf "$state/broker" "$out"
    if ! "$ref" fetch; then
      if maven_reachable; then
        echo "reference broker: fetching the jars failed although Maven Central answers" >&2
        exit 1
      fi
      echo "unavailable=Maven Central is unreachable, so there is no Kafka 4.1.1 to compare with" >"$out"
      echo "!! NOT CROSS-CHECKED: Maven Central is unreachable; the cross-check suite runs kafkalite's side only" >&2
      exit 0
    fi
    # Retention checks every second from the start (not 30 s after it), so
    # retention scenarios need not wait.
    "$ref" start "$state/broker" "$port" log.retention.check.interval.ms=1000 log.initial.task.delay.ms=0 transaction.abort.timed.out.transaction.cleanup.interval.ms=1000 \
      ${extra[@]+"${extra[@]}"} >/dev/null
    echo "bootstrap=127.0.0.1:$port" >"$out"
    if [ -n "${sasl_port:-}" ]; then
      printf '%s\n' "sasl_bootstrap=127.0.0.1:$sasl_port" "ssl_bootstrap=127.0.0.1:$ssl_port" \
        "sasl_ssl_bootstrap=127.0.0.1:$sasl_ssl_port" "tls_dir=$tls_dir" >>"$out"
    fi
    echo "reference Kafka 4.1.1 on 127.0.0.1:$port${sasl_port:+ (SASL_PLAINTEXT on $sasl_port, SSL on $ssl_port, SASL_SSL on $sasl_ssl_port)}"
    ;;
  stop)
    "$ref" stop "$state/broker"
    ;;
  *)
    echo "usage: $0 start|start-secure STATE_DIR PORT | stop STATE_DIR" >&2
    exit 2
    ;;
esac
