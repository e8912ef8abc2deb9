#!/usr/bin/env bash
# What each row of a memory write costs PostgreSQL (docs/write-path.md): pgbench runs each candidate shape of a write
# against a throwaway database on the dev stack's PostgreSQL (./run.sh --detach first; stop the silo for a quiet run),
# built from sql/, and drops it afterwards. Prints writes/s with 16 clients and the latency of one client per shape.
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
home="$(cat "$repo/.stack/dev/pg-location" 2>/dev/null || echo "$repo/.stack/dev/postgres")"
port="${MEMSYNC_STACK_POSTGRES_PORT:-5440}"
bin=/usr/lib/postgresql/15/bin
work="$(mktemp -d)"
database="rowcost_$$"
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
psql_on() { as_postgres psql -h "$home" -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
trap 'psql_on -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

psql_on -d postgres -c "CREATE DATABASE $database"
for migration in "$repo"/sql/0*.sql; do
    psql_on -d "$database" -f "$migration" >/dev/null
done
psql_on -d "$database" -c "CREATE TABLE bench_raw (memory_id text PRIMARY KEY, agent_id text NOT NULL, content text NOT NULL,
    memory_type text NOT NULL, importance double precision NOT NULL, metadata jsonb NOT NULL, embedding real[], version bigint NOT NULL,
    last_modified timestamptz NOT NULL)"
python3 "$repo/scripts/write-row-shapes.py" "$work"
chmod -R a+rX "$work"

for shape in "$work"/*.sql; do
    psql_on -d "$database" -c "TRUNCATE episodic_memory, memory_versions, sync_transactions, sync_queue, bench_raw CASCADE; CHECKPOINT"
    many="$(as_postgres "$bin/pgbench" -h "$home" -p "$port" -n -c 16 -j 2 -T 15 -f "$shape" "$database" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
    one="$(as_postgres "$bin/pgbench" -h "$home" -p "$port" -n -c 1 -T 10 -f "$shape" "$database" 2>&1 | sed -n 's/^latency average = \(.*\)/\1/p')"
    printf '%-36s %10.0f writes/s with 16 clients, %s with one\n' "$(basename "$shape" .sql)" "$many" "$one"
done
