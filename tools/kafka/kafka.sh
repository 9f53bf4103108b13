#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller) without Docker.
# Usage: tools/kafka/kafka.sh start|stop|status|reset
# A test broker may add listeners and settings with KAFKA_EXTRA_PROPERTIES (a file appended to the
# generated server.properties; later keys win) and SCRAM users with KAFKA_SCRAM_USERS
# ("name:password name2:password2", created for SCRAM-SHA-256 and -512 when storage is formatted).
# Jars come from Maven Central through ./pom.xml and are cached under .local/kafka/lib.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
home="${KAFKA_LOCAL_DIR:-$root/.local/kafka}"
# Jars are shared by every local broker (a test may start a second one in its own directory).
lib="$root/.local/kafka-lib"
data="$home/data"
logs="$home/logs"
pidfile="$home/kafka.pid"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
java_opts=(-Xms512m -Xmx512m -XX:+UseG1GC "-Dlog4j2.configurationFile=$here/log4j2.xml" "-Dkafka.logs.dir=$logs")

log() { printf '[kafka] %s\n' "$*"; }

is_running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch_jars() {
  if [ -f "$lib/.complete" ]; then return; fi
  log "fetching broker jars from Maven Central"
  rm -rf "$lib"
  mkdir -p "$home"
  if ! mvn -q -B -f "$here/pom.xml" package "-Dkafka.lib.dir=$lib" >"$home/maven.log" 2>&1; then
    cat "$home/maven.log" >&2
    log "fetching the jars failed"
    exit 1
  fi
  touch "$lib/.complete"
}

write_config() {
  mkdir -p "$data" "$logs"
  cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  if [ -n "${KAFKA_EXTRA_PROPERTIES:-}" ]; then cat "$KAFKA_EXTRA_PROPERTIES" >> "$home/server.properties"; fi
}

# --add-scram arguments for the storage tool: SCRAM credentials live in the cluster metadata, so a
# KRaft cluster gets its first users when its storage is formatted.
scram_arguments() {
  local user name password
  for user in ${KAFKA_SCRAM_USERS:-}; do
    name=${user%%:*}
    password=${user#*:}
    printf -- '--add-scram\nSCRAM-SHA-256=[name=%s,password=%s]\n--add-scram\nSCRAM-SHA-512=[name=%s,password=%s]\n' "$name" "$password" "$name" "$password"
  done
}

format_storage() {
  if [ -f "$data/meta.properties" ]; then return; fi
  local cluster_id
  cluster_id=$(java -cp "$lib/*" "${java_opts[@]}" kafka.tools.StorageTool random-uuid)
  log "formatting storage (cluster $cluster_id)"
  local scram=()
  mapfile -t scram < <(scram_arguments)
  java -cp "$lib/*" "${java_opts[@]}" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$home/server.properties" "${scram[@]}" >/dev/null
}

wait_ready() {
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  until port_open; do
    if ! is_running; then log "broker exited; see $logs/server.log and $logs/stdout.log"; tail -30 "$logs/stdout.log" >&2 || true; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then log "broker did not answer on 127.0.0.1:$port in time"; exit 1; fi
    sleep 0.5
  done
}

start() {
  if is_running; then log "already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
  if port_open; then log "something already listens on 127.0.0.1:$port; using it"; return; fi
  command -v java >/dev/null || { log "java not found: install a JDK (17+)"; exit 1; }
  command -v mvn >/dev/null || { log "mvn not found: install Maven"; exit 1; }
  local started=$SECONDS
  fetch_jars
  write_config
  format_storage
  log "starting broker on 127.0.0.1:$port (controller $controller_port)"
  nohup java -cp "$lib/*" "${java_opts[@]}" kafka.Kafka "$home/server.properties" \
    >"$logs/stdout.log" 2>&1 &
  echo $! > "$pidfile"
  wait_ready
  log "ready on 127.0.0.1:$port after $((SECONDS - started)) s"
}

stop() {
  if ! is_running; then log "not running"; rm -f "$pidfile"; return; fi
  local pid; pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then log "running (pid $(cat "$pidfile"))"; else log "not running"; exit 1; fi ;;
  reset) stop; rm -rf "$data" "$home/server.properties"; log "data removed" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
