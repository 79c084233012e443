#!/usr/bin/env bash
# Soak runner for the chaos tier: runs the fault scenarios again and again, each round with a new random seed
# (CHAOS_SEED), until the duration is spent. A round that fails leaves its evidence in artifacts/chaos/ (the
# folder is printed by the test) and its seed in the summary; the runner goes on with the next round.
#
#   scripts/chaos.sh --duration 30m [--filter <dotnet test filter>] [--setup]
#
# --duration   how long to keep starting rounds: 90s, 30m, 2h (default 30m). A round that started runs to its end,
#              bounded by a per-round timeout of 20 minutes.
# --filter     which tests (default: the fault scenarios, FullyQualifiedName~Scenarios).
# --setup      run scripts/chaos-setup.sh first (builds the node image).
# Exit status: 0 when every round passed, 1 when any failed, 2 on bad arguments.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="30m"
filter="FullyQualifiedName~Scenarios"
setup=0

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) duration="${2:?--duration needs a value such as 30m}"; shift 2 ;;
        --filter) filter="${2:?--filter needs a value}"; shift 2 ;;
        --setup) setup=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "chaos.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ ! "$duration" =~ ^([0-9]+)([smh]?)$ ]]; then
    echo "chaos.sh: --duration must be a number with an optional unit s, m or h (e.g. 30m), got '$duration'" >&2
    exit 2
fi
case "${BASH_REMATCH[2]}" in
    h) seconds=$((BASH_REMATCH[1] * 3600)) ;;
    m) seconds=$((BASH_REMATCH[1] * 60)) ;;
    *) seconds=${BASH_REMATCH[1]} ;;
esac

export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"

cd "$root"
if [[ $setup -eq 1 ]]; then
    bash scripts/chaos-setup.sh
fi
dotnet build tests/ControlPlane.ChaosTests -v quiet -nologo

logs="$root/artifacts/chaos/soak-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$logs"
deadline=$((SECONDS + seconds))
round=0
failed=0
while [[ $SECONDS -lt $deadline ]]; do
    round=$((round + 1))
    seed=$(( (RANDOM << 15 | RANDOM) ))
    log="$logs/round-$round-seed-$seed.log"
    start=$SECONDS
    if CHAOS_SEED=$seed timeout 1200 dotnet test tests/ControlPlane.ChaosTests --no-build --filter "$filter" \
        --logger "console;verbosity=detailed" >"$log" 2>&1; then
        verdict="passed"
    else
        verdict="FAILED"
        failed=$((failed + 1))
    fi
    echo "round $round seed $seed: $verdict in $((SECONDS - start)) s ($log)"
    grep -h '^ *FAULT ' "$log" | sed 's/^ */    /' || true
    grep -h 'kept in ' "$log" | sort -u | sed 's/^ */    /' || true
done

echo "soak: $round rounds, $failed failed, logs in $logs"
[[ $failed -eq 0 ]]
