#!/usr/bin/env bash
# Runs every test against throwaway Redis and PostgreSQL servers of its own (the "test" stack instance, separate from
# the demo's), then stops them. Ends with the line "N passed, N failed[, N skipped]" counted from the test results.
#   ./test.sh           unit and integration tests
#   ./test.sh --soak    also the long fault-injection soak (see tests/)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

soak=0
for argument in "$@"; do
    case "$argument" in
        --soak) soak=1 ;;
        *) die "unknown argument: $argument (usage: ./test.sh [--soak])" ;;
    esac
done
export MEMSYNC_SOAK="$soak"

ensure_dotnet
ensure_stack_packages
# promtool checks the silo's /metrics page, and headless Chromium renders its /status page, in the tests.
ensure_packages prometheus chromium
# iproute2's ip builds the network namespaces the fault suite's partition scenarios run their silos in (as root).
ensure_packages iproute2
# docker-compose (Debian's) validates docker-compose.yml in a test; no Docker engine is needed for that.
ensure_packages docker-compose
# libfaketime (Debian's faketime) steps a silo's wall clock in the fault suite's clock-skew scenarios.
ensure_packages faketime
# The agent API's real clients: the MCP TypeScript SDK and an OpenAPI validator (tests/clients, from npm), and Python 3
# for the standard-library example client. The machine's own Node.js is used when there is one.
command -v node >/dev/null && command -v npm >/dev/null || ensure_packages nodejs npm
command -v python3 >/dev/null || ensure_packages python3
say "installing the test clients' npm packages (tests/clients)"
(cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)

results="$REPO_ROOT/TestResults"
rm -rf "$results"
scripts/stack.sh destroy --instance test
cleanup() { scripts/stack.sh destroy --instance test || true; }
trap cleanup EXIT
scripts/stack.sh start --instance test
source "$REPO_ROOT/.stack/test/env"

say "building"
dotnet build MemorySync.sln -c Release -nologo -v quiet -tl:off -clp:"ErrorsOnly;NoSummary"

say "testing"
status=0
# One results file per test project, named after it, so parallel runs never overwrite each other's file.
for project in tests/*/*.csproj; do
    # tests/MemorySync.Testing is the suites' shared library, not a suite.
    grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
    name="$(basename "$project" .csproj)"
    dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done

# Sum the counters of every test project's results file.
passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    files=$((files + 1))
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    value() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    # A skipped test is in the total but not among the executed (the trx "notExecuted" counter stays 0 for it).
    skipped=$((skipped + $(value total) - $(value executed)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # A test host failed outside any test (a fixture's clean-up, a crash): count it, so the line never hides it.
    echo "a test run exited with an error outside the counted tests; see above" >&2
    failed=1
fi

summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
