#!/usr/bin/env bash
# Stops what `npm run up` started (SIGTERM: each service drains and commits), then Kafka.
set -uo pipefail
cd "$(dirname "$0")/.."
for pidfile in .local/run/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile"); name=$(basename "$pidfile" .pid)
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    echo "[down] $name stopped"
  fi
  rm -f "$pidfile"
done
bash tools/kafka/kafka.sh stop
