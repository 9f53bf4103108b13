#!/usr/bin/env bash
# Makes sure the PostgreSQL named by DATABASE_URL answers; starts the local cluster if it is ours to start.
set -euo pipefail
url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/customer_sync}"
hostport=$(node -e 'const u=new URL(process.argv[1]);console.log(`${u.hostname} ${u.port||5432}`)' "$url")
read -r host port <<<"$hostport"
answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }
if answers; then exit 0; fi
if [ "$host" = "127.0.0.1" ] && command -v pg_ctlcluster >/dev/null; then
  echo "[postgres] starting the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do answers && exit 0; sleep 1; done
fi
echo "[postgres] nothing answers on $host:$port; start PostgreSQL or set DATABASE_URL" >&2
exit 1
