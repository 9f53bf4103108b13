#!/usr/bin/env bash
# Brings the whole system up locally: packages, .env, Kafka, PostgreSQL (database + migrations),
# the Stripe emulator (unless STRIPE_API_URL is unset, i.e. a real Stripe account is used),
# and the four services. `npm run down` stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f .env ] || { cp .env.example .env; echo "[up] created .env from .env.example"; }
set -a; . ./.env; set +a
run=.local/run
mkdir -p "$run" .local/logs

bash tools/ensure-postgres.sh
# The broker the services will use is the first of KAFKA_BROKERS: a local one is started on its port.
kafka_address=${KAFKA_BROKERS%%,*}
kafka_host=${kafka_address%:*} kafka_port=${kafka_address##*:}
if [ "$kafka_host" = 127.0.0.1 ] || [ "$kafka_host" = localhost ]; then
  KAFKA_PORT=$kafka_port KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((kafka_port + 1))} bash tools/kafka/kafka.sh start
else
  echo "[up] KAFKA_BROKERS=$KAFKA_BROKERS is not local; using that cluster"
fi
npm run --silent db:migrate

start() { # name entry port
  local name=$1 entry=$2 port=$3
  if [ -f "$run/$name.pid" ] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
    echo "[up] $name already running"; return
  fi
  # node itself (not an npx wrapper) owns the pid, so `npm run down` signals the service directly.
  PORT=$port nohup node --import tsx "$entry" >".local/logs/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return
    kill -0 "$(cat "$run/$name.pid")" 2>/dev/null || { echo "[up] $name failed to start; see .local/logs/$name.log" >&2; tail -20 ".local/logs/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "[up] $name did not answer /health in time; see .local/logs/$name.log" >&2; exit 1
}

if [ -n "${STRIPE_API_URL:-}" ]; then
  emulator_port=$(node -e 'console.log(new URL(process.argv[1]).port || 80)' "$STRIPE_API_URL")
  start stripe-emulator apps/stripe-emulator/src/main.ts "$emulator_port"
fi
start db-writer apps/db-writer/src/main.ts "${DB_WRITER_PORT:-8003}"
start stripe-sync-worker apps/stripe-sync-worker/src/main.ts "${STRIPE_SYNC_WORKER_PORT:-8002}"
start webhook-ingress apps/webhook-ingress/src/main.ts "${WEBHOOK_INGRESS_PORT:-8001}"
start api-service apps/api-service/src/main.ts "${API_SERVICE_PORT:-8000}"

cat <<INFO

customer-sync is up (logs in .local/logs, stop with: npm run down)
  api-service         http://127.0.0.1:${API_SERVICE_PORT:-8000}   (docs: /docs, API key: first of API_KEYS in .env)
  webhook-ingress     http://127.0.0.1:${WEBHOOK_INGRESS_PORT:-8001}/stripe/webhook
  stripe-sync-worker  http://127.0.0.1:${STRIPE_SYNC_WORKER_PORT:-8002}/health
  db-writer           http://127.0.0.1:${DB_WRITER_PORT:-8003}/health
  kafka               ${KAFKA_BROKERS}
  postgres            ${DATABASE_URL}
INFO
[ -n "${STRIPE_API_URL:-}" ] && echo "  stripe-emulator     ${STRIPE_API_URL}   (webhooks to ${STRIPE_WEBHOOK_URL:-none})"
exit 0
