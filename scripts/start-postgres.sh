#!/usr/bin/env bash
# Starts the local Debian PostgreSQL 15 cluster and creates the role the Infrastructure tests use.
# Idempotent: exits 0 when the cluster is already online and the role already exists.
# Runs as root without systemd (CI and developer machines).
set -euo pipefail

version="${PG_VERSION:-15}"
cluster="${PG_CLUSTER:-main}"
role="${NOVACRON_PG_ROLE:-novacron}"
password="${NOVACRON_PG_PASSWORD:-novacron-test}"

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "start-postgres: PostgreSQL is not installed (apt-get install postgresql-${version})" >&2
  exit 1
fi

if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  echo "start-postgres: creating cluster ${version}/${cluster}"
  pg_createcluster "$version" "$cluster"
fi

# pg_ctlcluster exits 2 when the cluster is already running, so only start it when it is not online.
if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c && $4 ~ /^online/ { found = 1 } END { exit !found }'; then
  echo "start-postgres: starting cluster ${version}/${cluster}"
  pg_ctlcluster "$version" "$cluster" start
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1; then
    break
  fi
  sleep 0.5
done
if ! pg_isready -h 127.0.0.1; then
  echo "start-postgres: PostgreSQL did not become ready" >&2
  exit 1
fi

exists="$(su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '${role}'\"")"
if [ "$exists" != "1" ]; then
  echo "start-postgres: creating role ${role}"
  su postgres -c "psql -v ON_ERROR_STOP=1 -c \"CREATE ROLE ${role} LOGIN PASSWORD '${password}' CREATEDB\""
fi
echo "start-postgres: ready"
