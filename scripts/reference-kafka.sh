#!/usr/bin/env bash
# A real Apache Kafka 4.1.1 broker (KRaft, combined broker+controller, one
# node) run straight from Maven Central jars -- no Docker, no tarball. It is the
# reference kafkalite is compared against.
#
#   scripts/reference-kafka.sh fetch
#       Download the broker + tools jars (and a log4j2 backend) once into
#       .cache/reference-kafka/libs. Instant when already there.
#   scripts/reference-kafka.sh start DIR PORT [key=value ...]
#       Format (first time) and start a broker with its state in DIR:
#       PLAINTEXT on 127.0.0.1:PORT, controller on 127.0.0.1:PORT+1.
#       key=value pairs override/add server properties, e.g.
#       advertised.listeners=PLAINTEXT://127.0.0.1:29094 (to sit behind a proxy).
#       Waits until the broker answers ApiVersions, then prints 127.0.0.1:PORT.
#       Broker log: DIR/kafka.log (JVM stdout/stderr: DIR/kafka.out),
#       pid: DIR/kafka.pid, config: DIR/server.properties, data: DIR/data.
#   scripts/reference-kafka.sh stop DIR
#       SIGTERM, wait up to 30 s, then SIGKILL. No-op when not running.
#   scripts/reference-kafka.sh status DIR
#       Exit 0 (and print the pid) when running, 1 when not.
#   scripts/reference-kafka.sh tool DIR MainClass|alias [args ...]
#       Run a Kafka tool with the same classpath (logging to stderr at WARN).
#       Aliases: topics (org.apache.kafka.tools.TopicCommand),
#       console-producer (org.apache.kafka.tools.ConsoleProducer),
#       console-consumer (org.apache.kafka.tools.consumer.ConsoleConsumer),
#       consumer-groups (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand),
#       broker-api-versions (org.apache.kafka.tools.BrokerApiVersionsCommand),
#       configs (kafka.admin.ConfigCommand), acls (org.apache.kafka.tools.AclCommand),
#       get-offsets (org.apache.kafka.tools.GetOffsetShell),
#       features (org.apache.kafka.tools.FeatureCommand),
#       metadata-quorum (org.apache.kafka.tools.MetadataQuorumCommand),
#       storage (kafka.tools.StorageTool).
#       e.g. scripts/reference-kafka.sh tool /tmp/rk topics \
#              --bootstrap-server 127.0.0.1:29092 --create --topic t --partitions 1
#
# Environment: KAFKA_HEAP_OPTS (default -Xms64m -Xmx512m), KAFKA_START_TIMEOUT
# (seconds, default 90), JAVA (default java).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_VERSION=4.1.1
POM="$REPO/scripts/reference-kafka/pom.xml"
LIBS="$REPO/.cache/reference-kafka/libs"
STAMP="$LIBS/.complete-$KAFKA_VERSION-streams"  # renamed when the pom gains a jar
JAVA="${JAVA:-java}"

die() { echo "reference-kafka: $*" >&2; exit 1; }
note() { echo "reference-kafka: $*" >&2; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

cmd_fetch() {
  if [ -f "$STAMP" ] && [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  note "fetching Kafka $KAFKA_VERSION jars from Maven Central ..."
  local tmp="$LIBS.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$LIBS")"
  if ! (cd "$(dirname "$POM")" &&
        mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
          -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.log" 2>&1); then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "maven failed"
  fi
  rm -f "$tmp.log"
  [ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ] || { rm -rf "$tmp"; die "kafka jar missing after fetch"; }
  touch "$tmp/.complete-$KAFKA_VERSION-streams"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  note "jars in $LIBS"
}

classpath() { echo "$LIBS/*"; }

# pid from DIR/kafka.pid if that process is alive and is our broker.
running_pid() {
  local dir="$1" pid
  [ -f "$dir/kafka.pid" ] || return 1
  pid="$(cat "$dir/kafka.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $dir/server.properties" || return 1
  echo "$pid"
}

write_log4j() {   # $1 file, $2 log file ("" = stderr), $3 root level
  local file="$1" logfile="$2" level="$3" appender
  if [ -n "$logfile" ]; then
    appender="<File name=\"out\" fileName=\"$logfile\" append=\"false\">
      <PatternLayout pattern=\"[%d] %p %m (%c)%n\"/>
    </File>"
  else
    appender="<Console name=\"out\" target=\"SYSTEM_ERR\">
      <PatternLayout pattern=\"[%d] %p %m (%c)%n\"/>
    </Console>"
  fi
  cat >"$file" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    $appender
  </Appenders>
  <Loggers>
    <Root level="$level"><AppenderRef ref="out"/></Root>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

# ApiVersions v0 round trip with plain sockets; exit 0 when error_code == 0.
api_versions_ok() {
  python3 - "$1" "$2" <<'EOF' 2>/dev/null
import socket, struct, sys
host, port = sys.argv[1], int(sys.argv[2])
cid = b"reference-kafka"
body = struct.pack(">hhih", 18, 0, 4242, len(cid)) + cid
with socket.create_connection((host, port), timeout=3) as s:
    s.settimeout(3)
    s.sendall(struct.pack(">i", len(body)) + body)
    buf = b""
    while len(buf) < 4:
        c = s.recv(4096)
        if not c: sys.exit(1)
        buf += c
    n = struct.unpack(">i", buf[:4])[0]
    while len(buf) < 4 + n:
        c = s.recv(65536)
        if not c: sys.exit(1)
        buf += c
corr, err = struct.unpack(">ih", buf[4:10])
sys.exit(0 if corr == 4242 and err == 0 else 1)
EOF
}

cmd_start() {
  [ $# -ge 2 ] || usage
  local dir="$1" port="$2" pid; shift 2
  [[ "$port" =~ ^[0-9]+$ ]] || die "bad port: $port"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  cmd_fetch
  if pid="$(running_pid "$dir")"; then
    die "already running in $dir (pid $pid); stop it first"
  fi
  local cport=$((port + 1))

  # Defaults, then the caller's key=value overrides (same key = replaced).
  local -a keys=() ; local -A props=()
  setp() { [ -n "${props[$1]+x}" ] || keys+=("$1"); props[$1]="$2"; }
  setp node.id 1
  setp process.roles broker,controller
  setp listeners "PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
  setp advertised.listeners "PLAINTEXT://127.0.0.1:$port"
  setp listener.security.protocol.map PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
  setp inter.broker.listener.name PLAINTEXT
  setp controller.listener.names CONTROLLER
  setp controller.quorum.voters "1@127.0.0.1:$cport"
  setp log.dirs "$dir/data"
  setp num.partitions 1
  setp offsets.topic.replication.factor 1
  setp transaction.state.log.replication.factor 1
  setp transaction.state.log.min.isr 1
  setp share.coordinator.state.topic.replication.factor 1
  setp share.coordinator.state.topic.min.isr 1
  setp group.initial.rebalance.delay.ms 0
  local kv
  for kv in "$@"; do
    [[ "$kv" == *=* ]] || die "expected key=value, got: $kv"
    setp "${kv%%=*}" "${kv#*=}"
  done
  {
    echo "# written by scripts/reference-kafka.sh start"
    local k; for k in "${keys[@]}"; do echo "$k=${props[$k]}"; done
  } >"$dir/server.properties"

  write_log4j "$dir/log4j2.xml" "$dir/kafka.log" INFO
  local -a jvm=(${KAFKA_HEAP_OPTS:--Xms64m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20
                -Djava.awt.headless=true -Dkafka.logs.dir="$dir"
                -Dlog4j2.configurationFile="$dir/log4j2.xml"
                -cp "$(classpath)")

  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    # As Kafka's Uuid.randomUuid, never one starting with "-" (the storage
    # tool would take it for an option).
    cluster_id="$(python3 -c '
import base64, uuid
while True:
    u = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
    if not u.startswith("-"):
        print(u)
        break')"
    write_log4j "$dir/tools-log4j2.xml" "" WARN
    if ! "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$dir/tools-log4j2.xml" -cp "$(classpath)" \
         kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
         >"$dir/format.out" 2>&1; then
      cat "$dir/format.out" >&2
      die "storage format failed"
    fi
  fi

  rm -f "$dir/kafka.log"
  # setsid: the broker outlives the caller's terminal/process group; it is
  # stopped through DIR/kafka.pid.
  setsid "$JAVA" "${jvm[@]}" kafka.Kafka "$dir/server.properties" \
    >"$dir/kafka.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/kafka.pid"

  local timeout="${KAFKA_START_TIMEOUT:-90}" start=$SECONDS started=""
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$dir/kafka.out" "$dir/kafka.log" >&2 2>/dev/null || true
      rm -f "$dir/kafka.pid"
      die "broker exited during startup (see $dir/kafka.log, $dir/kafka.out)"
    fi
    if [ -z "$started" ] && grep -q "Kafka Server started" "$dir/kafka.log" 2>/dev/null; then
      started=1
    fi
    if [ -n "$started" ] && api_versions_ok 127.0.0.1 "$port"; then
      break
    fi
    if ((SECONDS - start >= timeout)); then
      tail -n 30 "$dir/kafka.log" >&2 2>/dev/null || true
      cmd_stop "$dir"
      die "broker not ready after ${timeout}s (see $dir/kafka.log)"
    fi
    sleep 0.3
  done
  echo "127.0.0.1:$port"
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  local dir pid i
  dir="$(cd "$1" 2>/dev/null && pwd)" || return 0
  if ! pid="$(running_pid "$dir")"; then
    rm -f "$dir/kafka.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    note "broker $pid ignored SIGTERM for 30s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$dir/kafka.pid"
}

cmd_status() {
  [ $# -eq 1 ] || usage
  local dir pid
  dir="$(cd "$1" 2>/dev/null && pwd)" || return 1
  pid="$(running_pid "$dir")" || { echo "not running"; return 1; }
  echo "running (pid $pid)"
}

cmd_tool() {
  [ $# -ge 2 ] || usage
  local dir="$1" main="$2"; shift 2
  case "$main" in
    topics) main=org.apache.kafka.tools.TopicCommand ;;
    console-producer) main=org.apache.kafka.tools.ConsoleProducer ;;
    console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
    broker-api-versions) main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
    configs) main=kafka.admin.ConfigCommand ;;
    acls) main=org.apache.kafka.tools.AclCommand ;;
    get-offsets) main=org.apache.kafka.tools.GetOffsetShell ;;
    features) main=org.apache.kafka.tools.FeatureCommand ;;
    metadata-quorum) main=org.apache.kafka.tools.MetadataQuorumCommand ;;
    transactions) main=org.apache.kafka.tools.TransactionsCommand ;;
    storage) main=kafka.tools.StorageTool ;;
  esac
  cmd_fetch
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ -f "$dir/tools-log4j2.xml" ] || write_log4j "$dir/tools-log4j2.xml" "" WARN
  # A tool lives a second or two: the C1 compiler and the serial collector
  # start it about a fifth faster than the JVM's defaults, and a class-data
  # sharing archive of the classes it loads (made by its first run, kept
  # beside the jars) halves what is left. A JVM that cannot use the archive
  # (another JDK) runs without it; -Xlog keeps the JVM's own warnings out of
  # the tool's output, as the tests compare that.
  local java=("$JAVA" ${KAFKA_TOOL_HEAP_OPTS:--Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
              -Xshare:auto -Xlog:disable -Xlog:all=error:stderr -Djava.awt.headless=true
              -Dlog4j2.configurationFile="$dir/tools-log4j2.xml" -cp "$(classpath)")
  local archive="$LIBS/.cds/$main.jsa"
  if [ -f "$archive" ]; then
    exec "${java[@]}" -XX:SharedArchiveFile="$archive" "$main" "$@"
  fi
  # The JVM writes the archive as it exits; a run cut short leaves only its
  # own temporary file, never a partial archive under the final name (the
  # JVM crashes on one).
  mkdir -p "$LIBS/.cds"
  local rc=0
  "${java[@]}" -XX:ArchiveClassesAtExit="$archive.$$" "$main" "$@" || rc=$?
  if [ -s "$archive.$$" ]; then mv -f "$archive.$$" "$archive"; else rm -f "$archive.$$"; fi
  exit "$rc"
}

[ $# -ge 1 ] || usage
sub="$1"; shift
case "$sub" in
  fetch) cmd_fetch ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  tool) cmd_tool "$@" ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
