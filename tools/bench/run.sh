#!/usr/bin/env bash
# `npm run bench [-- <name>] [--quick]`: the benchmark suite (see README, Benchmarks). It builds the
# bundles the services deploy as, then runs each benchmark against its own Kafka broker (free ports)
# and its own databases on the PostgreSQL server; loads are bounded and on loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash tools/ensure-postgres.sh
npm run --silent build >/dev/null
exec node --import tsx tools/bench/main.ts "$@"
