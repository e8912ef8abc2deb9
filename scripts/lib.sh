# Shared helpers for run.sh, test.sh and scripts/stack.sh. Sourced, never run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages the project needs when any is missing (we run as root here; elsewhere sudo is used).
ensure_packages() {
    local missing=()
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get could not install: ${missing[*]}"
}

# Everything the stack and the native build need, from Debian's archive.
ensure_stack_packages() {
    ensure_packages redis-server redis-tools postgresql libfaiss-dev libopenblas-dev g++ make
}

ensure_dotnet() {
    command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is not installed (dotnet is not on PATH); install it from Microsoft's packages first"
}

# PostgreSQL's newest installed major version, found rather than hard-coded.
postgres_bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$dir" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
    printf '%s\n' "$dir"
}

# True when something already listens on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Polls CONDITION (a command) until it succeeds or SECONDS pass.
wait_until() {
    local seconds="$1"; shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}
