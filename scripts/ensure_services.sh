#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer before the
# service-backed test pass. Starts them when they are installed but stopped. When CI=true an
# unreachable service is an error (exit 1): the pass must never be skipped in CI. Elsewhere
# it exits 2 and the pass is skipped with a message.
set -u

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] || (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }

if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is stopped: starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 20); do pg_up && break; sleep 0.5; done
fi
if ! redis_up && command -v redis-server >/dev/null 2>&1; then
  echo "Redis is stopped: starting it"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  for _ in $(seq 20); do redis_up && break; sleep 0.5; done
fi

missing=()
pg_up || missing+=("PostgreSQL at 127.0.0.1:5432")
redis_up || missing+=("Redis at 127.0.0.1:6379")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Service-backed test pass cannot run: ${missing[*]} unreachable." >&2
  if [ "${CI:-}" = "true" ]; then
    exit 1
  fi
  echo "Not in CI: skipping the service-backed pass; run 'make test-services' once they are up." >&2
  exit 2
fi
