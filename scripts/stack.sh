#!/usr/bin/env bash
# The local stack: Redis and PostgreSQL on 127.0.0.1, data under the repo's git-ignored .stack/ folder.
#
#   scripts/stack.sh start  [--instance NAME]   start (or reuse) the instance's servers, create the database
#   scripts/stack.sh stop   [--instance NAME]   stop exactly the servers of that instance
#   scripts/stack.sh destroy [--instance NAME]  stop them and delete the instance's data (test runs start clean)
#   scripts/stack.sh status [--instance NAME]
#   scripts/stack.sh env    [--instance NAME]   print the MEMSYNC_* variables that point the silo at the instance
#
# Both servers run as dedicated system users (redis, postgres), listen on 127.0.0.1 only and take passwords only:
# Redis has no default user, an ACL user for the silos (redis-password) and a read-only one for membership clients
# (redis-client-password); PostgreSQL's application role has no CREATEDB and no pg_signal_backend. Every secret is in
# the state folder .stack/NAME (mode 711: the servers may pass through it, nobody may list it), each file mode 600.
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
password_file="$state_dir/postgres-password"
admin_password_file="$state_dir/postgres-admin-password"
pgpass_file="$state_dir/pgpass"
redis_password_file="$state_dir/redis-password"
redis_client_password_file="$state_dir/redis-client-password"
env_file="$state_dir/env"
database="memsync"
db_user="memsync"
# The tests' instances also get an administrator role of their own, which creates and drops throwaway databases.
db_admin="memsync_admin"
redis_user="redis"
redis_silo_user="memsync-silo"
redis_client_user="memsync-client"

# Each server runs as its own user, which must be able to enter every parent of its data directory. A clone under a
# root-only folder (such as /root) breaks that, so the data then lives under /var/lib/memsync instead, in a folder
# named after this clone's path; NAME-location in the state folder records where (pg-location for PostgreSQL).
service_home() {
    local user="$1" name="$2" record="$state_dir/$3"
    if [ -f "$record" ]; then
        cat "$record"
        return
    fi
    local candidate="$state_dir/$name"
    if ! runuser -u "$user" -- test -x "$state_dir" 2>/dev/null; then
        candidate="/var/lib/memsync/$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)/$instance/$name"
    fi
    printf '%s\n' "$candidate"
}

postgres_home() { service_home postgres postgres pg-location; }
redis_home() { service_home "$redis_user" redis redis-location; }

# The state folder: root's, enterable by the servers on their way to their own folders, listable by nobody else.
ensure_state_dir() {
    mkdir -p "$state_dir"
    chmod 711 "$REPO_ROOT/.stack" "$state_dir"
}

# A random secret in a file of its own (mode 600), made once and kept across restarts.
ensure_secret() {
    [ -s "$1" ] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$1")
    chmod 600 "$1"
}

# Redis runs as the redis system user (Debian's package creates it; created here when missing).
ensure_redis_user() {
    id -u "$redis_user" >/dev/null 2>&1 && return
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$redis_user"
}

redis_pidfile() { printf '%s/redis.pid\n' "$(redis_home)"; }

redis_pid() {
    local pidfile pid
    pidfile="$(redis_pidfile)"
    [ -f "$pidfile" ] || return 1
    pid="$(cat "$pidfile")"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "redis-server" || return 1
    printf '%s\n' "$pid"
}

# As the silo user; the password goes through the environment (REDISCLI_AUTH), never the command line.
redis_ping() {
    REDISCLI_AUTH="$(cat "$redis_password_file" 2>/dev/null)" redis-cli --no-auth-warning --user "$redis_silo_user" \
        -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG
}

# An older stack's Redis took anyone without a password; this one answers NOAUTH to them.
redis_locked() { redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q NOAUTH; }

# The ACL file keeps SHA-256 hashes, so the passwords themselves stay in the root-only state folder.
password_hash() { printf '%s' "$(cat "$1")" | sha256sum | cut -d' ' -f1; }

# What each user may do. The silo user: the commands MemorySync, Orleans' Redis membership and StackExchange.Redis'
# handshake send (the write and sweep scripts' own calls included: Redis checks those too), on MemorySync's keys
# (the key prefix and the service id begin with "memsync"; Orleans' table is SERVICEID/members/CLUSTERID) and the
# benchmark's raw rows (membench:). The client user: reads of the membership table only, which is all a client needs
# to find a gateway. StackExchange.Redis also tries GET (its tie-breaker), CONFIG GET and CLUSTER NODES while it
# connects; it does without them, so they stay refused. Nobody may FLUSHALL, CONFIG, ACL, DEBUG, SHUTDOWN, KEYS or MONITOR, and the default user is off.
# Off, nobody can log in as the default user; it keeps every permission all the same, because Redis replays its
# append-only file as that user and re-checks its permissions for each MULTI/EXEC block, which is how a script's writes
# are logged (redis/redis#14541): stripped of them, every memory the silo wrote by script vanished at the next restart.
redis_acl() {
    local handshake="+ping +echo +hello +auth +client|setname +client|id +info +select +subscribe +unsubscribe"
    printf 'user default off ~* &* +@all\n'
    printf 'user %s on #%s resetchannels &__Booksleeve_MasterChanged ~memsync* ~*/members/* ~membench:* -@all %s %s\n' \
        "$redis_silo_user" "$(password_hash "$redis_password_file")" "$handshake" \
        "+eval +evalsha +script|load +script|exists +hget +hgetall +hmget +hset +hmset +hsetnx +hdel +hexists +del +unlink +exists +scan +expire +multi +exec +watch +unwatch +discard +time"
    printf 'user %s on #%s resetchannels &__Booksleeve_MasterChanged %%R~*/members/* -@all %s %s\n' \
        "$redis_client_user" "$(password_hash "$redis_client_password_file")" "$handshake" "+hgetall"
}

start_redis() {
    local home
    home="$(redis_home)"
    ensure_redis_user
    ensure_secret "$redis_password_file"
    ensure_secret "$redis_client_password_file"
    mkdir -p "$home"
    printf '%s\n' "$home" >"$state_dir/redis-location"
    if redis_pid >/dev/null && redis_ping && redis_locked; then
        say "redis ($instance) already running on 127.0.0.1:$redis_port: reusing it"
        return
    fi
    if redis_pid >/dev/null; then
        # Ours, but it does not know the silo user: started before the ACL (or with other passwords). Start it anew.
        say "redis ($instance) runs without this instance's ACL users: restarting it"
        stop_redis
    fi
    if [ -f "$(redis_pidfile)" ] && ! redis_pid >/dev/null; then
        say "redis ($instance): removing a stale pid file"
        rm -f "$(redis_pidfile)"
    fi
    port_in_use "$redis_port" && die "port 127.0.0.1:$redis_port is taken by another program; set MEMSYNC_STACK_REDIS_PORT to a free port"
    (umask 077 && redis_acl >"$home/users.acl")
    (umask 077 && cat >"$home/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
daemonize yes
pidfile $home/redis.pid
logfile $home/redis.log
dir $home
aclfile $home/users.acl
appendonly yes
appendfsync everysec
save ""
CONF
)
    # Its files are its own and nobody else's: the folder 700, each file 600 (the umask the server inherits).
    chown -R "$redis_user:$redis_user" "$home"
    chmod 700 "$home"
    (cd / && umask 077 && setpriv --reuid="$redis_user" --regid="$redis_user" --init-groups -- redis-server "$home/redis.conf")
    wait_until 20 redis_ping || die "redis did not answer on 127.0.0.1:$redis_port; see $home/redis.log"
    say "redis ($instance) listening on 127.0.0.1:$redis_port"
}

stop_redis() {
    local pid
    if pid="$(redis_pid)"; then
        kill "$pid"
        wait_until 20 bash -c "! kill -0 $pid" || kill -9 "$pid"
        say "redis ($instance) stopped"
    fi
    rm -f "$(redis_pidfile)"
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
    mkdir -p "$home"
    printf '%s\n' "$home" >"$state_dir/pg-location"
    chown postgres:postgres "$home"
    chmod 700 "$home"
    ensure_secret "$password_file"
    [ "$instance" = dev ] || ensure_secret "$admin_password_file"
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
        # 500 connections: the test suite runs many silos at once against the test instance, each with its own pools
        # (its writers, group commit, Orleans' providers); 300 ran out once in a clean-clone run.
        pg pg_ctl start -D "$data" -l "$home/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $postgres_port -k $home -c max_connections=500 -c fsync=on" >/dev/null \
            || die "postgres did not start; see $home/postgres.log"
    fi
    wait_until 30 postgres_ready || die "postgres did not answer on 127.0.0.1:$postgres_port; see $home/postgres.log"
    ensure_database "$home"
    say "postgres ($instance) listening on 127.0.0.1:$postgres_port"
}

# The application's role and database, created once; the role's password comes from the git-ignored state folder.
# Statements that carry a password go to psql on its standard input, never on a command line (ps shows those).
ensure_database() {
    local home="$1"
    psql_admin() { (cd / && runuser -u postgres -- psql -h "$home" -p "$postgres_port" -v ON_ERROR_STOP=1 -qtA "$@"); }
    ensure_role "$db_user" "$(cat "$password_file")" "NOCREATEDB"
    # Older stacks granted these to the application role for the tests; it needs neither.
    psql_admin -c "REVOKE pg_signal_backend FROM $db_user" >/dev/null 2>&1 || true
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
        psql_admin -c "CREATE DATABASE $database OWNER $db_user" >/dev/null
    fi
    if [ "$instance" != dev ]; then
        # The tests' administrator: creates throwaway databases owned by the application role (so it is a member of
        # it) and drops them WITH (FORCE), which must be able to end autovacuum there too.
        ensure_role "$db_admin" "$(cat "$admin_password_file")" "CREATEDB"
        psql_admin -c "SET client_min_messages = warning" -c "GRANT pg_signal_backend, $db_user TO $db_admin" >/dev/null
    fi
}

ensure_role() {
    local role="$1" password="$2" attributes="$3" verb=ALTER
    [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" = "1" ] || verb=CREATE
    printf "%s ROLE %s WITH LOGIN %s PASSWORD '%s';\n" "$verb" "$role" "$attributes" "$password" | psql_admin -f - >/dev/null
}

stop_postgres() {
    local home
    home="$(postgres_home)"
    if [ -f "$home/data/PG_VERSION" ] && postgres_running; then
        pg pg_ctl stop -D "$home/data" -m fast -w -t 60 >/dev/null
        say "postgres ($instance) stopped"
    fi
}

# psql finds the passwords here (PGPASSFILE), so no script ever puts one on a command line.
write_pgpass() {
    (umask 077 && {
        printf '127.0.0.1:%s:*:%s:%s\n' "$postgres_port" "$db_user" "$(cat "$password_file")"
        [ ! -s "$admin_password_file" ] || printf '127.0.0.1:%s:*:%s:%s\n' "$postgres_port" "$db_admin" "$(cat "$admin_password_file")"
    } >"$pgpass_file")
}

# The silos' settings, with the silo user's credentials; the client's Redis setting (Client:RedisConnectionString) is
# the membership-only user's, which is all ./memsync and MemorySyncClient need.
write_env() {
    local password redis_password client_password
    password="$(cat "$password_file")"
    redis_password="$(cat "$redis_password_file")"
    client_password="$(cat "$redis_client_password_file")"
    (umask 077 && cat >"$env_file" <<ENV
export MEMSYNC_Postgres__ConnectionString='Host=127.0.0.1;Port=$postgres_port;Database=$database;Username=$db_user;Password=$password'
export MEMSYNC_Redis__ConnectionString='127.0.0.1:$redis_port,user=$redis_silo_user,password=$redis_password'
export MEMSYNC_Client__RedisConnectionString='127.0.0.1:$redis_port,user=$redis_client_user,password=$client_password'
export MEMSYNC_STACK_INSTANCE='$instance'
export PGPASSFILE='$pgpass_file'
ENV
)
    # The Orleans ports' certificates (mutual TLS); the client certificate in the env is the operator's.
    (umask 077 && "$REPO_ROOT/scripts/certs.sh" "$instance" --env >>"$env_file")
}

case "$command" in
    start)
        [ "$(id -u)" -eq 0 ] || die "the stack script runs as root (it starts PostgreSQL as the postgres user)"
        ensure_stack_packages
        ensure_state_dir
        start_redis
        start_postgres
        write_pgpass
        write_env
        ;;
    stop)
        stop_redis
        stop_postgres
        ;;
    destroy)
        pg_home="$(postgres_home)"
        redis_data="$(redis_home)"
        stop_redis
        stop_postgres
        rm -rf "$pg_home" "$redis_data" "$state_dir"
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
