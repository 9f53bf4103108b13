#!/usr/bin/env bash
# The whole test suite (unit, integration, e2e) with its own set-up: npm packages, a local Kafka
# broker, PostgreSQL. Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && { set -a; . ./.env; set +a; }
[ -d node_modules ] || npm ci --no-audit --no-fund
bash tools/ensure-postgres.sh
bash tools/kafka/kafka.sh start
mkdir -p .local
status=0
npx jest --json --outputFile=.local/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.local/jest-results.json");
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
exit $status
