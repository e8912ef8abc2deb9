#!/usr/bin/env bash
# The main job: the local stack up, the silo(s) up, the demo through the CLI.
#   ./run.sh                 start everything, run the demo, keep running until Ctrl-C (then stop it all)
#   ./run.sh --detach        start everything, run the demo, leave it running and return
#   ./run.sh --silos N       start N silo processes that join one cluster through Redis (default 1)
#   ./run.sh stop            stop the silos and the local stack that run.sh started
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

detach=0
silos=1
action=start
while [ $# -gt 0 ]; do
    case "$1" in
        --detach) detach=1; shift ;;
        --silos) silos="${2:?--silos needs a number}"; shift 2 ;;
        stop) action=stop; shift ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see ./run.sh --help)" ;;
    esac
done
[[ "$silos" =~ ^[1-9][0-9]*$ ]] || die "--silos needs a positive number, not '$silos'"

state="$REPO_ROOT/.stack/dev"
silo_dll="$REPO_ROOT/Silo/bin/Release/net10.0/MemorySync.Silo.dll"
base_http_port=8580 base_silo_port=11111 base_gateway_port=30000

silo_pid() {
    local pidfile="$state/silo-$1.pid" pid
    [ -f "$pidfile" ] || return 1
    pid="$(cat "$pidfile")"
    [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "MemorySync.Silo.dll" || return 1
    printf '%s\n' "$pid"
}

stop_silos() {
    local pidfile n pid
    for pidfile in "$state"/silo-*.pid; do
        [ -f "$pidfile" ] || continue
        n="${pidfile##*/silo-}"; n="${n%.pid}"
        if pid="$(silo_pid "$n")"; then
            kill "$pid"
            wait_until 30 bash -c "! kill -0 $pid" || kill -9 "$pid"
            say "silo $n stopped"
        fi
        rm -f "$pidfile"
    done
}

if [ "$action" = stop ]; then
    stop_silos
    scripts/stack.sh stop --instance dev
    exit 0
fi

ensure_dotnet
ensure_stack_packages
ensure_packages curl
scripts/stack.sh start --instance dev
source "$state/env"

say "building"
dotnet build MemorySync.sln -c Release -nologo -v quiet -tl:off -clp:"ErrorsOnly;NoSummary"

# BLAS and OpenMP read their thread counts when the library loads: one thread each avoids oversubscribing the cores.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
for n in $(seq 1 "$silos"); do
    http_port=$((base_http_port + n - 1))
    if silo_pid "$n" >/dev/null; then
        say "silo $n already running (http://127.0.0.1:$http_port)"
        continue
    fi
    port_in_use "$http_port" && die "port 127.0.0.1:$http_port is taken; stop what uses it, or ./run.sh stop"
    MEMSYNC_Silo__HttpPort="$http_port" \
    MEMSYNC_Silo__SiloPort=$((base_silo_port + n - 1)) \
    MEMSYNC_Silo__GatewayPort=$((base_gateway_port + n - 1)) \
        setsid nohup dotnet "$silo_dll" >"$state/silo-$n.log" 2>&1 &
    echo $! >"$state/silo-$n.pid"
    say "silo $n starting (log: .stack/dev/silo-$n.log)"
done

silo_healthy() { curl -sf "http://127.0.0.1:$1/health" | grep -q '"status": *"healthy"'; }
for n in $(seq 1 "$silos"); do
    http_port=$((base_http_port + n - 1))
    if ! wait_until 120 silo_healthy "$http_port"; then
        tail -n 20 "$state/silo-$n.log" >&2 || true
        die "silo $n did not become healthy on http://127.0.0.1:$http_port/health (log above)"
    fi
done

say "silo(s) healthy"
say "demo: ./memsync health"
./memsync health

# The demo: a few hundred memories of several agents, written by the project itself, imported through the CLI,
# then searched by meaning with questions that share few words with the answers.
demo_file="$state/demo-memories.jsonl"
./memsync demo-data >"$demo_file"
say "demo: ./memsync import $(wc -l <"$demo_file") memories ($demo_file)"
./memsync import "$demo_file"
./memsync demo-data --queries | while IFS='|' read -r agent question; do
    say "demo: ./memsync search --text \"$question\" -k 3${agent:+ --agent $agent}"
    ./memsync search --text "$question" -k 3 ${agent:+--agent "$agent"} </dev/null
done

# The agent API: one write key for the first demo agent, kept (mode 600) so that a second run reuses it.
api="http://127.0.0.1:$base_http_port"
# The first sample question that is asked as one agent: its agent gets the key, and the question is asked over HTTP.
demo_line="$(./memsync demo-data --queries | grep -m 1 -v '^|')"
demo_agent="${demo_line%%|*}"
key_file="$state/demo-api-key"
if [ ! -s "$key_file" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$key_file")" "$api/v1/conflicts")" != 200 ]; then
    say "demo: ./memsync keys create --agent $demo_agent --scope write --json"
    (umask 077; ./memsync keys create --agent "$demo_agent" --scope write --json | sed -n 's/.*"key": "\(msk_[^"]*\)".*/\1/p' >"$key_file")
fi
say "demo (as $demo_agent): curl -X POST $api/v1/search -H \"Authorization: Bearer \$(cat .stack/dev/demo-api-key)\" -d '{\"text\": \"...\", \"k\": 2}'"
question="${demo_line#*|}"
curl -sf -X POST "$api/v1/search" -H "Authorization: Bearer $(cat "$key_file")" -H 'Content-Type: application/json' \
    -d "{\"text\": \"${question//\"/}\", \"k\": 2}"
echo
say "agent API: $api/v1 (OpenAPI: $api/openapi/v1.json), MCP: $api/mcp; the demo key is in .stack/dev/demo-api-key"

# The operator pages need an admin key: one for the operator, kept (mode 600) like the demo key and reused.
admin_key_file="$state/operator-api-key"
if [ ! -s "$admin_key_file" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$admin_key_file")" "$api/status.json")" != 200 ]; then
    say "operator: ./memsync keys create --scope admin --json"
    (umask 077; ./memsync keys create --scope admin --json | sed -n 's/.*"key": "\(msk_[^"]*\)".*/\1/p' >"$admin_key_file")
fi
say "dashboard: $api/dashboard   status: $api/status   metrics: $api/metrics (user: anything, password: the admin key in .stack/dev/operator-api-key)"
say "health: $api/health"

if [ "$detach" -eq 1 ]; then
    say "left running; stop it with ./run.sh stop"
    exit 0
fi
say "running; press Ctrl-C to stop"
trap 'stop_silos; scripts/stack.sh stop --instance dev; exit 0' INT TERM
while silo_pid 1 >/dev/null; do sleep 1; done
die "silo 1 exited; see .stack/dev/silo-1.log"
