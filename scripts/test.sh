#!/usr/bin/env bash
# Builds ControlPlane.sln once in Release and runs the test tiers in order:
#   unit         every tests/*.Tests project
#   integration  tests/ControlPlane.IntegrationTests and tests/ControlPlane.MembershipTests (real node processes on 127.0.0.1)
#   chaos        tests/ControlPlane.ChaosTests, when that project exists (after scripts/chaos-setup.sh, if present)
#
#   scripts/test.sh [--tier unit|integration|chaos|all] [--filter EXPR]
#
# --filter is passed to every `dotnet test` (e.g. --filter "FullyQualifiedName~PortAllocator").
# Results: artifacts/test-results/<project>.trx; the output of every run: artifacts/test-logs/<project>.log;
# the folders (configs, node logs, data) of process clusters whose test failed: artifacts/clusters/.
# The last line is always "tests: N passed, N failed, N skipped", summed over the TRX files. The exit code is
# non-zero when the build failed, a test failed, or a test project did not run to the end (no TRX, or a
# non-zero exit with no failed test: a crashed or hung test host). Needs bash, grep and the .NET SDK only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/artifacts/test-results"
LOGS="$ROOT/artifacts/test-logs"
# ProcessCluster (tests/ControlPlane.Testing) puts each cluster's configs, logs and data here and keeps the
# folders of failed tests.
CLUSTERS="${CONTROLPLANE_TEST_ARTIFACTS:-$ROOT/artifacts/clusters}"
export CONTROLPLANE_TEST_ARTIFACTS="$CLUSTERS"
# A single test that runs longer than this is taken as hung: its test host is killed and the project fails.
HANG_TIMEOUT="${TEST_HANG_TIMEOUT:-15m}"

TIER=all
FILTER=""
PASSED=0
FAILED=0
SKIPPED=0
PROBLEMS=()

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
}

die() {
  echo "test.sh: $*" >&2
  exit 2
}

while (($# > 0)); do
  case "$1" in
    --tier)
      (($# >= 2)) || die "--tier needs unit, integration, chaos or all"
      case "$2" in
        unit | integration | chaos | all) TIER="$2" ;;
        *) die "--tier '$2': expected unit, integration, chaos or all" ;;
      esac
      shift
      ;;
    --filter)
      if (($# < 2)) || [[ -z "$2" ]]; then
        die "--filter needs an expression"
      fi
      FILTER="$2"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
  shift
done

finish() {
  if [[ "${CI:-}" == "true" ]]; then
    # Build servers would outlive the run and hold CI's output pipe open.
    dotnet build-server shutdown </dev/null >/dev/null 2>&1 || true
  fi
  echo
  if ((${#PROBLEMS[@]} > 0)); then
    echo "problems:"
    printf '  %s\n' "${PROBLEMS[@]}"
  fi
  echo "results: $RESULTS"
  echo "logs: $LOGS"
  local kept
  kept=0
  if [[ -d "$CLUSTERS" ]]; then
    kept="$(find "$CLUSTERS" -mindepth 1 -maxdepth 1 -type d | wc -l)"
  fi
  if ((kept > 0)); then
    echo "clusters kept for failed tests: $kept in $CLUSTERS"
  fi
  echo "tests: $PASSED passed, $FAILED failed, $SKIPPED skipped"
  if ((FAILED > 0 || ${#PROBLEMS[@]} > 0)); then
    exit 1
  fi
  exit 0
}

# counter NAME COUNTERS : the value of attribute NAME in the TRX <Counters .../> element, 0 when absent.
counter() {
  if [[ "$2" =~ [[:space:]]$1=\"([0-9]+)\" ]]; then
    echo "${BASH_REMATCH[1]}"
  else
    echo 0
  fi
}

# failures LOG : each failed test of a `dotnet test` console log with the first lines of its error message and
# the first frame of its stack (scripts/test-failures.awk), so that a failure can be understood from this script's
# output alone (CI keeps nothing else).
failures() {
  awk -f "$ROOT/scripts/test-failures.awk" "$1" || true
}

# run_project TIER CSPROJ : runs one test project and adds its TRX counters to the totals.
run_project() {
  local tier="$1" csproj="$2" name rel trx log rc=0 started
  name="$(basename "$csproj" .csproj)"
  rel="${csproj#"$ROOT"/}"
  trx="$RESULTS/$name.trx"
  log="$LOGS/$name.log"
  if ! grep -qF "\\$name\\$name.csproj\"" "$ROOT/ControlPlane.sln"; then
    printf '%-12s %-38s NOT RUN: not in ControlPlane.sln, so the build skipped it\n' "$tier" "$name"
    PROBLEMS+=("$rel is not in ControlPlane.sln (dotnet sln add $rel)")
    return
  fi
  local -a args=(test "$csproj" --no-build -c Release
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS"
    --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none)
  [[ -n "$FILTER" ]] && args+=(--filter "$FILTER")
  started=$SECONDS
  dotnet "${args[@]}" </dev/null >"$log" 2>&1 || rc=$?
  local seconds=$((SECONDS - started))

  if [[ ! -f "$trx" ]]; then
    printf '%-12s %-38s NOT RUN: no TRX produced (exit %s, %ss); last lines of %s:\n' "$tier" "$name" "$rc" "$seconds" "$log"
    tail -n 20 "$log" | sed 's/^/    /'
    PROBLEMS+=("$name: no TRX produced (exit $rc), see $log")
    return
  fi
  local counters total passed failed skipped
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)" || true
  total="$(counter total "$counters")"
  passed="$(counter passed "$counters")"
  failed=$(($(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters")))
  # xunit's skipped tests appear as results with outcome NotExecuted, while the notExecuted counter stays 0
  # (seen with Microsoft.NET.Test.Sdk 17.14 and xunit.runner.visualstudio 3.1): count the results.
  skipped="$({ grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" || true; } | wc -l)"
  local notexecuted
  notexecuted="$(counter notExecuted "$counters")"
  ((notexecuted > skipped)) && skipped=$notexecuted

  PASSED=$((PASSED + passed))
  FAILED=$((FAILED + failed))
  SKIPPED=$((SKIPPED + skipped))

  local note=""
  if ((total == 0)); then
    note="  (no tests${FILTER:+ matched the filter})"
  fi
  printf '%-12s %-38s %4s passed, %s failed, %s skipped  (%ss)%s\n' "$tier" "$name" "$passed" "$failed" "$skipped" "$seconds" "$note"
  if ((failed > 0)); then
    failures "$log"
    echo "    log: $log"
  elif ((rc != 0)); then
    echo "    dotnet test exited $rc with no failed test (crashed or hung test host?); last lines of $log:"
    tail -n 20 "$log" | sed 's/^/    /'
    PROBLEMS+=("$name: dotnet test exited $rc without a failed test, see $log")
  fi
}

unit_projects() {
  local dir name
  for dir in "$ROOT"/tests/*.Tests; do
    name="${dir##*/}"
    case "$name" in
      ControlPlane.IntegrationTests | ControlPlane.ChaosTests) continue ;;
    esac
    [[ -f "$dir/$name.csproj" ]] && echo "$dir/$name.csproj"
  done
}

run_unit() {
  local csproj found=0
  while read -r csproj; do
    found=1
    run_project unit "$csproj"
  done < <(unit_projects)
  ((found == 1)) || PROBLEMS+=("unit: no tests/*.Tests project found")
}

run_integration() {
  local csproj="$ROOT/tests/ControlPlane.IntegrationTests/ControlPlane.IntegrationTests.csproj"
  if [[ -f "$csproj" ]]; then
    run_project integration "$csproj"
  else
    PROBLEMS+=("integration: $csproj is missing")
  fi
  local membership="$ROOT/tests/ControlPlane.MembershipTests/ControlPlane.MembershipTests.csproj"
  if [[ -f "$membership" ]]; then
    run_project integration "$membership"
  fi
}

run_chaos() {
  local csproj="$ROOT/tests/ControlPlane.ChaosTests/ControlPlane.ChaosTests.csproj"
  if [[ ! -f "$csproj" ]]; then
    printf '%-12s %s\n' chaos "skipped: tests/ControlPlane.ChaosTests does not exist"
    return
  fi
  local setup="$ROOT/scripts/chaos-setup.sh"
  if [[ -f "$setup" ]]; then
    local rc=0
    bash "$setup" </dev/null >"$LOGS/chaos-setup.log" 2>&1 || rc=$?
    if ((rc != 0)); then
      printf '%-12s %s\n' chaos "NOT RUN: scripts/chaos-setup.sh failed (exit $rc); last lines of $LOGS/chaos-setup.log:"
      tail -n 20 "$LOGS/chaos-setup.log" | sed 's/^/    /'
      PROBLEMS+=("chaos: scripts/chaos-setup.sh failed (exit $rc), see $LOGS/chaos-setup.log")
      return
    fi
  fi
  run_project chaos "$csproj"
}

rm -rf "$RESULTS" "$LOGS" "$CLUSTERS"
mkdir -p "$RESULTS" "$LOGS"

echo "build: dotnet build ControlPlane.sln -c Release"
build_started=$SECONDS
if ! dotnet build "$ROOT/ControlPlane.sln" -c Release -nologo -v:minimal -nodeReuse:false </dev/null >"$LOGS/build.log" 2>&1; then
  echo "build: FAILED after $((SECONDS - build_started))s; errors (full log: $LOGS/build.log):"
  { grep -E ': error [A-Z]+[0-9]*' "$LOGS/build.log" || tail -n 30 "$LOGS/build.log"; } | sort -u | head -n 40 | sed 's/^[[:space:]]*/    /'
  PROBLEMS+=("the build failed, no test ran")
  finish
fi
echo "build: ok ($((SECONDS - build_started))s)"

case "$TIER" in
  unit) run_unit ;;
  integration) run_integration ;;
  chaos) run_chaos ;;
  all)
    run_unit
    run_integration
    run_chaos
    ;;
esac
finish
