#!/usr/bin/env bash
# `npm run bench`: ingress and API throughput on this machine (bounded loads on loopback only).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash tools/ensure-postgres.sh
bash tools/kafka/kafka.sh start
echo "== webhook-ingress =="
npx tsx tools/bench/ingress-bench.ts
echo
echo "== api-service creates =="
npx tsx tools/bench/global-template.ts
npx tsx tools/bench/api-bench.ts
