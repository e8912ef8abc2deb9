#!/usr/bin/env bash
# The local stack: Redis and PostgreSQL on 127.0.0.1, data under the repo's git-ignored .stack/ folder.
#
#   scripts/stack.sh start  [--instance NAME]   start (or reuse) the instance's servers, create the database
#   scripts/stack.sh stop   [--instance NAME]   stop exactly the servers of that instance
#   scripts/stack.sh destroy [--instance NAME]  stop them and delete the instance's data (test runs start clean)
#   scripts/stack.sh status [--instance NAME]
#   scripts/stack.sh env    [--instance NAME]   print the MEMSYNC_* variables that point the silo at the instance
#
# Instances keep the demo and the tests apart: "dev" (run.sh) uses Redis 6390 and PostgreSQL 5440, "test" (test.sh)
# uses 6391 and 5441, so a running demo is never disturbed by a test run. MEMSYNC_STACK_REDIS_PORT and
# MEMSYNC_STACK_POSTGRES_PORT override the ports.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command="${1:-}"; shift || true
instance="dev"
while [ $# -gt 0 ]; do
    case "$1" in
        --instance) instance="${2:?--instance needs a name}"; shift 2 ;;
        *) die "unknown argument: $1" ;;
    esac
done
case "$instance" in
    dev) default_redis_port=6390; default_postgres_port=5440 ;;
    test) default_redis_port=6391; default_postgres_port=5441 ;;
    *) default_redis_port=6392; default_postgres_port=5442 ;;
esac
redis_port="${MEMSYNC_STACK_REDIS_PORT:-$default_redis_port}"
postgres_port="${MEMSYNC_STACK_POSTGRES_PORT:-$default_postgres_port}"

state_dir="$REPO_ROOT/.stack/$instance"
redis_dir="$state_dir/redis"
redis_pidfile="$redis_dir/redis.pid"
password_file="$state_dir/postgres-password"
env_file="$state_dir/env"
database="memsync"
db_user="memsync"

# PostgreSQL runs as the postgres user, which must be able to enter every parent of its data directory. A clone
# under a root-only folder (such as /root) breaks that, so the data then lives under /var/lib/memsync instead,
# in a folder named after this clone's path; pg-location in the state folder records where.
postgres_home() {
    if [ -f "$state_dir/pg-location" ]; then
        cat "$state_dir/pg-location"
        return
    fi
    local candidate="$state_dir/postgres"
    if ! runuser -u postgres -- test -x "$state_dir" 2>/dev/null; then
        candidate="/var/lib/memsync/$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)/$instance/postgres"
    fi
    printf '%s\n' "$candidate"
}

redis_pid() {
    [ -f "$redis_pidfile" ] || return 1
    local pid
    pid="$(cat "$redis_pidfile")"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "redis-server" || return 1
    printf '%s\n' "$pid"
}

redis_ping() { redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; }

start_redis() {
    mkdir -p "$redis_dir"
    if redis_pid >/dev/null && redis_ping; then
        say "redis ($instance) already running on 127.0.0.1:$redis_port: reusing it"
        return
    fi
    if [ -f "$redis_pidfile" ] && ! redis_pid >/dev/null; then
        say "redis ($instance): removing a stale pid file"
        rm -f "$redis_pidfile"
    fi
    port_in_use "$redis_port" && die "port 127.0.0.1:$redis_port is taken by another program; set MEMSYNC_STACK_REDIS_PORT to a free port"
    cat >"$redis_dir/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
daemonize yes
pidfile $redis_pidfile
logfile $redis_dir/redis.log
dir $redis_dir
appendonly yes
appendfsync everysec
save ""
CONF
    redis-server "$redis_dir/redis.conf"
    wait_until 20 redis_ping || die "redis did not answer on 127.0.0.1:$redis_port; see $redis_dir/redis.log"
    say "redis ($instance) listening on 127.0.0.1:$redis_port"
}

stop_redis() {
    local pid
    if pid="$(redis_pid)"; then
        kill "$pid"
        wait_until 20 bash -c "! kill -0 $pid" || kill -9 "$pid"
        say "redis ($instance) stopped"
    fi
    rm -f "$redis_pidfile"
}

# From /, because the postgres user may not be allowed into the current directory.
pg() { (cd / && runuser -u postgres -- "$(postgres_bin_dir)/$1" "${@:2}"); }

# The postmaster of this instance is alive. Not pg_ctl status: it trusts any live pid, and a killed postmaster can
# linger as a zombie (no init reaps it in a container) or its pid can be reused; a live postmaster's cmdline names it.
postgres_running() {
    local pidfile pid
    pidfile="$(postgres_home)/data/postmaster.pid"
    [ -f "$pidfile" ] || return 1
    pid="$(head -n 1 "$pidfile")"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "postgres" || return 1
}

postgres_ready() { pg pg_isready -h 127.0.0.1 -p "$postgres_port" -q; }

start_postgres() {
    local home data
    home="$(postgres_home)"
    data="$home/data"
    mkdir -p "$state_dir" "$home"
    printf '%s\n' "$home" >"$state_dir/pg-location"
    chown postgres:postgres "$home"
    chmod 700 "$home"
    if [ ! -s "$password_file" ]; then
        (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$password_file")
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        say "postgres ($instance): creating a cluster in $data"
        local superuser_password="$home/superuser-password"
        (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$superuser_password")
        chown postgres:postgres "$superuser_password"
        pg initdb -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
            --pwfile="$superuser_password" -E UTF8 --locale=C.UTF-8 >"$home/initdb.log"
    fi
    if postgres_running; then
        say "postgres ($instance) already running on 127.0.0.1:$postgres_port: reusing it"
    else
        if [ -f "$data/postmaster.pid" ]; then
            say "postgres ($instance): removing a stale postmaster.pid"
            rm -f "$data/postmaster.pid"
        fi
        port_in_use "$postgres_port" && die "port 127.0.0.1:$postgres_port is taken by another program; set MEMSYNC_STACK_POSTGRES_PORT to a free port"
        pg pg_ctl start -D "$data" -l "$home/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $postgres_port -k $home -c max_connections=300 -c fsync=on" >/dev/null \
            || die "postgres did not start; see $home/postgres.log"
    fi
    wait_until 30 postgres_ready || die "postgres did not answer on 127.0.0.1:$postgres_port; see $home/postgres.log"
    ensure_database "$home"
    say "postgres ($instance) listening on 127.0.0.1:$postgres_port"
}

# The application's role and database, created once; the role's password comes from the git-ignored state folder.
ensure_database() {
    local home="$1" password
    password="$(cat "$password_file")"
    psql_admin() { (cd / && runuser -u postgres -- psql -h "$home" -p "$postgres_port" -v ON_ERROR_STOP=1 -qtA "$@"); }
    if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$db_user'")" != "1" ]; then
        psql_admin -c "CREATE ROLE $db_user LOGIN CREATEDB PASSWORD '$password'" >/dev/null
    else
        psql_admin -c "ALTER ROLE $db_user WITH LOGIN CREATEDB PASSWORD '$password'" >/dev/null
    fi
    # Tests create and drop throwaway databases; dropping one WITH (FORCE) must be able to end autovacuum there too.
    psql_admin -c "GRANT pg_signal_backend TO $db_user" >/dev/null
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
        psql_admin -c "CREATE DATABASE $database OWNER $db_user" >/dev/null
    fi
}

stop_postgres() {
    local home
    home="$(postgres_home)"
    if [ -f "$home/data/PG_VERSION" ] && postgres_running; then
        pg pg_ctl stop -D "$home/data" -m fast -w -t 60 >/dev/null
        say "postgres ($instance) stopped"
    fi
}

write_env() {
    local password
    password="$(cat "$password_file")"
    (umask 077 && cat >"$env_file" <<ENV
export MEMSYNC_Postgres__ConnectionString='Host=127.0.0.1;Port=$postgres_port;Database=$database;Username=$db_user;Password=$password'
export MEMSYNC_Redis__ConnectionString='127.0.0.1:$redis_port'
export MEMSYNC_STACK_INSTANCE='$instance'
ENV
)
    # The Orleans ports' certificates (mutual TLS); the client certificate in the env is the operator's.
    (umask 077 && "$REPO_ROOT/scripts/certs.sh" "$instance" --env >>"$env_file")
}

case "$command" in
    start)
        [ "$(id -u)" -eq 0 ] || die "the stack script runs as root (it starts PostgreSQL as the postgres user)"
        ensure_stack_packages
        start_redis
        start_postgres
        write_env
        ;;
    stop)
        stop_redis
        stop_postgres
        ;;
    destroy)
        pg_home="$(postgres_home)"
        stop_redis
        stop_postgres
        rm -rf "$pg_home" "$state_dir"
        ;;
    status)
        if redis_pid >/dev/null && redis_ping; then echo "redis: running on 127.0.0.1:$redis_port"; else echo "redis: stopped"; fi
        if [ -f "$(postgres_home)/data/PG_VERSION" ] && postgres_running; then echo "postgres: running on 127.0.0.1:$postgres_port"; else echo "postgres: stopped"; fi
        ;;
    env)
        [ -f "$env_file" ] || die "the $instance stack was never started: run scripts/stack.sh start --instance $instance"
        cat "$env_file"
        ;;
    *) die "usage: scripts/stack.sh start|stop|destroy|status|env [--instance NAME]" ;;
esac
