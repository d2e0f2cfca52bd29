#!/usr/bin/env bash
# Regenerates the protocol codec from Apache Kafka 4.1.1's own message specs,
# and the table of Kafka's config definitions from its broker jars.
# Fetches org.apache.kafka:kafka-clients:4.1.1 through Maven (the only step that
# needs the network), extracts common/message/*.json, lists Kafka's error codes
# from the same jar, and runs the generator. The output is byte-identical for
# the same jar; `git diff --exit-code` after running this proves it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

KAFKA_VERSION=4.1.1
M2=${MAVEN_REPO:-$HOME/.m2/repository}
mvn -q dependency:get -Dartifact=org.apache.kafka:kafka-clients:$KAFKA_VERSION -Dtransitive=true >/dev/null
CLIENTS_JAR=$M2/org/apache/kafka/kafka-clients/$KAFKA_VERSION/kafka-clients-$KAFKA_VERSION.jar
SLF4J_JAR=$(ls "$M2"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | sort -V | tail -1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -q "$CLIENTS_JAR" 'common/message/*.json')
java -cp "$CLIENTS_JAR:$SLF4J_JAR" tools/codegen/ListErrors.java >"$work/errors.json" 2>/dev/null

# Config definitions come from the broker's own jars (the reference broker's).
scripts/reference-kafka.sh fetch
BROKER_CP=$(ls .cache/reference-kafka/libs/*.jar | tr '\n' ':')
java -cp "$BROKER_CP" tools/codegen/ListConfigs.java >"$work/configs.json" 2>/dev/null
python3 tools/codegen/generate_configs.py --configs "$work/configs.json" --out broker/config

# The internal topics' records: from the group and transaction coordinators' jars.
mkdir -p "$work/group" "$work/txn"
(cd "$work/group" && unzip -q "$root/.cache/reference-kafka/libs/kafka-group-coordinator-$KAFKA_VERSION.jar" 'common/message/*.json')
(cd "$work/txn" && unzip -q "$root/.cache/reference-kafka/libs/kafka-transaction-coordinator-$KAFKA_VERSION.jar" 'common/message/*.json')

python3 tools/codegen/generate_protocol.py \
  --specs "$work/common/message" \
  --record-specs "$work/group/common/message" \
  --record-specs "$work/txn/common/message" \
  --errors "$work/errors.json" \
  --out common/protocol/generated \
  --tests-out tests/protocol/generated
