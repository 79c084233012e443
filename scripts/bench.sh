#!/usr/bin/env bash
# Benchmarks ControlPlane against etcd on this machine, with the same load client (cpbench) and scenarios.
#
#   1. installs Debian's etcd-server (and jq) if missing;
#   2. builds src/ControlPlane.Node and src/ControlPlane.Bench (Release);
#   3. starts three etcd members on 127.0.0.1 (free ports, temporary data), runs every scenario, measures each
#      member's RSS after filling it with objects, stops it;
#   4. does the same with three ControlPlane nodes (free ports, NOT the 7101.. ports of cluster-configs/);
#      before each system's scenarios it times 4 KiB O_DSYNC writes on the disk both use (dd), since disk latency on a
#      shared machine moves the write ratios more than anything else; each run records the client's own CPU time;
#   5. prints, per scenario and operation, both figures and the ratio ControlPlane/etcd, and writes
#      results.md and every run's JSON into the output folder.
# Everything it started is stopped on exit, failure or Ctrl-C. Every wait is bounded in time.
#
# Each cluster first gets an unmeasured write load (--cluster-warmup, default 60 s: JIT tiering, connection pools
# and the first elections settle), so every scenario measures the warm steady state users run in, for both systems.
#
# usage: scripts/bench.sh [--duration 10s] [--warmup 2s] [--quick] [--only etcd|controlplane] [--scenarios a,b]
#                         [--first etcd|controlplane]
#                         [--no-fill] [--cluster-warmup 60s] [--out DIR] [--no-build]
#   --quick         3 s runs, 200 watchers, 10,000 objects for the memory figure (a smoke test, a few minutes)
#   --only T        run one target (no ratios)
#   --first T       which system runs first (default etcd); the second runs on a machine already busy for minutes
#   --scenarios L   run only these scenarios (names as in the report, e.g. put-1,put-64)
#   --no-fill       skip filling the store and the memory figure
#   --out DIR       where results go (default: a new folder under ${TMPDIR:-/tmp})
# BENCH_NODE_GC_SERVER=0|1 overrides the node's GC mode (default: as the node ships, workstation GC).
# BENCH_NODE_ARGS="--ControlPlane:Raft:LowerElectionTimeoutMs=1000 ..." adds configuration overrides to every node.
# BENCH_NODE_ENV="DOTNET_TieredCompilation=0 ..." sets environment variables for the nodes only.
# BENCH_CLIENT_ENV="DOTNET_gcServer=0 ..." sets environment variables for the load client (cpbench) only.
# After the ControlPlane scenarios, each node's /metrics and /status are saved (stage timings: WAL flush, apply,
# AppendEntries round trips, elections).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=10s
warmup=2s
quick=0
only=""
first=etcd
out=""
build=1
selected=""
fill=1
cluster_warmup=60s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=${2:?--duration needs a value}; shift 2 ;;
    --warmup) warmup=${2:?--warmup needs a value}; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only=${2:?--only needs etcd or controlplane}; shift 2 ;;
    --first) first=${2:?--first needs etcd or controlplane}; shift 2 ;;
    --scenarios) selected=",${2:?--scenarios needs a list},"; shift 2 ;;
    --no-fill) fill=0; shift ;;
    --cluster-warmup) cluster_warmup=${2:?--cluster-warmup needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -z "$only" || "$only" == etcd || "$only" == controlplane ]] || { echo "bench.sh: --only takes etcd or controlplane, not '$only'" >&2; exit 2; }
[[ "$first" == etcd || "$first" == controlplane ]] || { echo "bench.sh: --first takes etcd or controlplane, not '$first'" >&2; exit 2; }

watchers=1000
fill_keys=100000
if [[ $quick == 1 ]]; then
  duration=3s; warmup=1s; watchers=200; fill_keys=10000; cluster_warmup=10s
fi

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/cpbench.XXXXXX")
out=${out:-$run_dir/results}
mkdir -p "$out"
log() { echo "[bench $(date +%T)] $*"; }
fail() { echo "[bench] ERROR: $*" >&2; exit 1; }

# ---- cleanup: stop exactly the processes this script started -----------------------------------------------
started_pids=()
stop_pids() {
  local pid
  for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + 15))
  for pid in "${started_pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  started_pids=()
}
cleanup() {
  local rc=$?
  stop_pids
  rm -rf "$run_dir/etcd" "$run_dir/controlplane"
  if [[ $rc -ne 0 ]]; then echo "[bench] failed (exit $rc); logs and results are in $run_dir" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- prerequisites -----------------------------------------------------------------------------------------
need_apt=()
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
if [[ ${#need_apt[@]} -gt 0 ]]; then
  log "installing ${need_apt[*]} from Debian"
  timeout 600 apt-get update -qq
  timeout 600 apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
etcd_version=$(etcd --version 2>/dev/null | sed -n 1p)

node_dll="$repo_root/src/ControlPlane.Node/bin/Release/net10.0/ControlPlane.Node.dll"
bench_dll="$repo_root/src/ControlPlane.Bench/bin/Release/net10.0/cpbench.dll"
if [[ $build == 1 ]]; then
  log "building ControlPlane.Node and ControlPlane.Bench (Release)"
  timeout 900 dotnet build -c Release -nologo -v q "$repo_root/src/ControlPlane.Node/ControlPlane.Node.csproj" >"$run_dir/build-node.log" 2>&1 || fail "building the node failed: see $run_dir/build-node.log"
  timeout 900 dotnet build -c Release -nologo -v q "$repo_root/src/ControlPlane.Bench/ControlPlane.Bench.csproj" >"$run_dir/build-bench.log" 2>&1 || fail "building cpbench failed: see $run_dir/build-bench.log"
fi
[[ -f "$node_dll" && -f "$bench_dll" ]] || fail "missing $node_dll or $bench_dll (build them, or drop --no-build)"

# ---- free ports on 127.0.0.1 -------------------------------------------------------------------------------
# Below the kernel's ephemeral range: a port in it can be taken between this check and the bind by the local end of
# any outgoing connection (a member once failed to start on such a port, and the run measured two members).
taken_ports=" "
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local port attempt
  for attempt in $(seq 1 200); do
    port=$((20000 + RANDOM % (ephemeral_low - 20000)))
    [[ "$taken_ports" == *" $port "* ]] && continue
    if [[ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]]; then
      taken_ports+="$port "
      echo "$port"
      return 0
    fi
  done
  fail "no free port found"
}

# ---- scenarios ---------------------------------------------------------------------------------------------
# name|cpbench arguments (the target and endpoints are added per run)
scenarios=(
  "put-1|--scenario put --concurrency 1"
  "put-64|--scenario put --concurrency 64"
  "get-linearizable-64|--scenario get --read linearizable --concurrency 64"
  "get-local-64|--scenario get --read local --concurrency 64"
  "list-8|--scenario list --concurrency 8 --page-size 500"
  "mixed-64|--scenario mixed --concurrency 64 --page-size 100"
  "watch-100|--scenario watch --watchers 100 --rate 500 --concurrency 64"
  "watch-$watchers|--scenario watch --watchers $watchers --rate 500 --concurrency 64"
)
fill_args="--scenario fill --keys $fill_keys --value-size 1024 --concurrency 64 --duration 900s"

seconds_of() { # 10s, 500ms, 2m -> whole seconds (rounded up)
  local v=$1
  case "$v" in
    *ms) echo $(( (${v%ms} + 999) / 1000 )) ;;
    *s) echo "${v%s}" | cut -d. -f1 ;;
    *m) echo $(( ${v%m} * 60 )) ;;
    *) echo "$v" | cut -d. -f1 ;;
  esac
}
run_bound=$(( $(seconds_of "$duration") + $(seconds_of "$warmup") + 240 ))

cpu_ticks() { # total user+system clock ticks of the given pids
  local pid total=0 fields
  for pid in "$@"; do
    fields=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$(( total + $(echo "$fields" | awk '{ print $12 + $13 }') ))
  done
  echo "$total"
}
current_pids=()
cluster_endpoints="" cluster_pids=() cp_admin=()
bench() { # target endpoints name bound args... ; writes $out/<target>-<name>.json and the servers' CPU use
  local target=$1 endpoints=$2 name=$3 bound=$4; shift 4
  log "$target $name"
  local before after threads
  before=$(cpu_ticks "${current_pids[@]}")
  # shellcheck disable=SC2086 # BENCH_CLIENT_ENV is a list of NAME=value
  if ! timeout --kill-after=10 "$bound" env ${BENCH_CLIENT_ENV:-} dotnet "$bench_dll" run --target "$target" --endpoints "$endpoints" --no-progress \
      --json "$out/$target-$name.json" "$@" 2>&1 | tee "$out/$target-$name.txt"; then
    log "$target $name did not complete (see $out/$target-$name.txt)"
  fi
  after=$(cpu_ticks "${current_pids[@]}")
  threads=$(for pid in "${current_pids[@]}"; do awk '/^Threads:/ { print $2 }' "/proc/$pid/status" 2>/dev/null; done | paste -sd/)
  # Server CPU seconds spent during the whole run (warm-up and drain included), over the three members.
  echo "{\"cpuSeconds\": $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'), \"threads\": \"$threads\"}" >"$out/$target-$name.cpu.json"
}

disk_probe() { # target: the mean latency of a 4 KiB O_DSYNC write in the run folder, the disk the servers write to
  local file="$run_dir/disk-probe" output secs=""
  # A failing or hanging probe costs the report one figure, never the run.
  if output=$(LC_ALL=C timeout 60 dd if=/dev/zero of="$file" bs=4k count=500 oflag=dsync 2>&1); then
    secs=$(awk '/copied/ { for (i = 1; i < NF; i++) if ($(i + 1) == "s,") print $i }' <<<"$output")
  fi
  rm -f "$file"
  [[ -n "$secs" ]] || { log "disk probe failed: ${output:-no output}"; return 0; }
  awk -v s="$secs" 'BEGIN { printf "%.3f\n", s * 1000 / 500 }' >"$out/$1-disk.txt"
  log "$1: disk probe, 4 KiB O_DSYNC write $(cat "$out/$1-disk.txt") ms (mean of 500)"
}

rss_of() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; } # KiB

# Two members of three still answer, so a member that died would go unnoticed in the figures: stop the run instead.
members_running() { # pids...
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null || return 1; done
}
all_members_running() { # target pids...
  local target=$1; shift
  members_running "$@" || fail "$target: a member ($*) is not running (see its log in $run_dir); the run would measure two members"
}

run_target() { # target endpoints pids...
  local target=$1 endpoints=$2; shift 2
  local pids=("$@") entry pid
  current_pids=("${pids[@]}")
  all_members_running "$target" "${pids[@]}"
  local idle=()
  for pid in "${pids[@]}"; do idle+=("$(rss_of "$pid")"); done
  log "$target: unmeasured warm-up load for $cluster_warmup"
  # shellcheck disable=SC2086 # BENCH_CLIENT_ENV is a list of NAME=value
  timeout --kill-after=10 $(( $(seconds_of "$cluster_warmup") + 120 )) env ${BENCH_CLIENT_ENV:-} dotnet "$bench_dll" run --target "$target" --endpoints "$endpoints" --no-progress \
    --scenario mixed --concurrency 16 --duration "$cluster_warmup" --warmup 0 >"$out/$target-warmup.txt" 2>&1 || log "$target warm-up load failed (see $out/$target-warmup.txt)"
  disk_probe "$target"
  for entry in "${scenarios[@]}"; do
    [[ -z "$selected" || "$selected" == *",${entry%%|*},"* ]] || continue
    all_members_running "$target" "${pids[@]}"
    # shellcheck disable=SC2086 # the argument list is split on purpose
    bench "$target" "$endpoints" "${entry%%|*}" "$run_bound" ${entry#*|} --duration "$duration" --warmup "$warmup"
  done
  [[ $fill == 1 ]] || return 0
  # shellcheck disable=SC2086
  bench "$target" "$endpoints" "fill" 1000 $fill_args
  sleep 5 # let a snapshot or compaction triggered by the fill settle before reading memory
  local loaded=()
  for pid in "${pids[@]}"; do loaded+=("$(rss_of "$pid")"); done
  jq -n --arg t "$target" --argjson idle "[$(IFS=,; echo "${idle[*]}")]" --argjson loaded "[$(IFS=,; echo "${loaded[*]}")]" \
    --argjson objects "$fill_keys" '{target: $t, objects: $objects, idleRssKiB: $idle, loadedRssKiB: $loaded}' >"$out/$target-rss.json"
  log "$target RSS KiB per member: idle ${idle[*]}; with $fill_keys objects ${loaded[*]}"
}

start_etcd() { # sets cluster_endpoints and cluster_pids
  local dir="$run_dir/etcd" cluster="" i
  local -a client_ports peer_ports
  rm -rf "$dir"; mkdir -p "$dir"
  for i in 1 2 3; do client_ports[i]=$(free_port); peer_ports[i]=$(free_port); done
  for i in 1 2 3; do cluster+="${cluster:+,}m$i=http://127.0.0.1:${peer_ports[i]}"; cluster_endpoints+="${cluster_endpoints:+,}http://127.0.0.1:${client_ports[i]}"; done
  log "starting etcd ($etcd_version) members at $cluster_endpoints"
  for i in 1 2 3; do
    etcd --name "m$i" --data-dir "$dir/m$i" \
      --listen-client-urls "http://127.0.0.1:${client_ports[i]}" --advertise-client-urls "http://127.0.0.1:${client_ports[i]}" \
      --listen-peer-urls "http://127.0.0.1:${peer_ports[i]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer_ports[i]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "cpbench-$$" \
      --logger zap --log-level warn >"$run_dir/etcd-m$i.log" 2>&1 &
    started_pids+=($!); cluster_pids+=($!)
  done
}

run_etcd() {
  start_cluster etcd start_etcd
  run_target etcd "$cluster_endpoints" "${cluster_pids[@]}"
  stop_pids
}

cluster_ready() { # target endpoints pids... : true once every endpoint accepts writes; false as soon as a member exits
  local target=$1 endpoints=$2 waiter; shift 2
  timeout 120 dotnet "$bench_dll" wait --target "$target" --endpoints "$endpoints" --timeout 90s &
  waiter=$!
  while kill -0 "$waiter" 2>/dev/null; do
    if ! members_running "$@"; then
      kill "$waiter" 2>/dev/null || true
      wait "$waiter" 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
  wait "$waiter" && members_running "$@"
}

# A port found free can still be taken before a member binds it (it happened once: "address already in use"): a member
# that exits while its cluster starts gets the whole cluster restarted on new ports, up to three times, for either
# system. Each attempt's logs are kept.
start_cluster() { # target start-function: the function starts three members and sets cluster_endpoints, cluster_pids
  local target=$1 start=$2 attempt f
  for attempt in 1 2 3; do
    cluster_endpoints="" cluster_pids=()
    "$start"
    if cluster_ready "$target" "$cluster_endpoints" "${cluster_pids[@]}"; then return 0; fi
    (( attempt < 3 )) || fail "$target: the cluster did not start in three attempts (see the member logs in $run_dir)"
    log "$target: a member exited while the cluster started (see $run_dir/$target-*.log); again on new ports"
    for f in "$run_dir/$target"-*.log; do [[ "$f" == *.attempt* ]] || cp "$f" "${f%.log}.attempt$attempt.log"; done
    stop_pids
  done
}

start_controlplane() { # sets cluster_endpoints, cluster_pids and cp_admin (the admin ports)
  local dir="$run_dir/controlplane" members="" i
  local -a raft grpc
  rm -rf "$dir"; mkdir -p "$dir"
  for i in 1 2 3; do raft[i]=$(free_port); grpc[i]=$(free_port); cp_admin[i]=$(free_port); done
  for i in 1 2 3; do
    members+="${members:+,}{\"Name\":\"node$i\",\"RaftEndpoint\":\"127.0.0.1:${raft[i]}\",\"GrpcEndpoint\":\"http://127.0.0.1:${grpc[i]}\"}"
    cluster_endpoints+="${cluster_endpoints:+,}http://127.0.0.1:${grpc[i]}"
  done
  log "starting ControlPlane nodes at $cluster_endpoints"
  for i in 1 2 3; do
    cat >"$dir/node$i.json" <<EOF
{"ControlPlane":{
  "Node":{"Name":"node$i","DataDirectory":"$dir/data/node$i","RaftEndpoint":"127.0.0.1:${raft[i]}",
          "GrpcEndpoint":"http://127.0.0.1:${grpc[i]}","AdminEndpoint":"http://127.0.0.1:${cp_admin[i]}","Insecure":true},
  "Cluster":{"InitialMembers":[$members]}}}
EOF
    # shellcheck disable=SC2086 # BENCH_NODE_ARGS is a list of overrides
    # shellcheck disable=SC2086 # BENCH_NODE_ENV is a list of NAME=value
    # BENCH_NODE_GC_SERVER goes to the nodes only: exported, it would reach the load client of this pass and not etcd's.
    env ${BENCH_NODE_GC_SERVER:+DOTNET_gcServer=$BENCH_NODE_GC_SERVER} ${BENCH_NODE_ENV:-} dotnet "$node_dll" --config "$dir/node$i.json" ${BENCH_NODE_ARGS:-} >"$run_dir/controlplane-node$i.log" 2>&1 &
    started_pids+=($!); cluster_pids+=($!)
  done
}

run_controlplane() {
  local i
  start_cluster controlplane start_controlplane
  run_target controlplane "$cluster_endpoints" "${cluster_pids[@]}"
  for i in 1 2 3; do
    curl -s --max-time 10 "http://127.0.0.1:${cp_admin[i]}/metrics" >"$out/controlplane-node$i.metrics.txt" || true
    curl -s --max-time 10 "http://127.0.0.1:${cp_admin[i]}/status" >"$out/controlplane-node$i.status.json" || true
  done
  cp "$run_dir"/controlplane-node?.log "$out/" 2>/dev/null || true
  stop_pids
}

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; results in $out"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for target in "$first" $([[ "$first" == etcd ]] && echo controlplane || echo etcd); do
  [[ -z "$only" || "$only" == "$target" ]] || continue
  if [[ "$target" == etcd ]]; then run_etcd; else run_controlplane; fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ------------------------------------------------------------------------------------------------
report="$out/results.md"
file_or_null() { if [[ -f "$1" ]]; then echo "$1"; else echo /dev/null; fi; }
(
  echo "Run $(date -u +%FT%TZ): $(nproc) cores, load average before $load_before, after $load_after; $etcd_version; $first ran first;"
  echo "duration $duration, warm-up $warmup, watchers $watchers, memory with $fill_keys objects of 1 KiB."
  echo "Disk (mean 4 KiB O_DSYNC write, measured after each cluster's warm-up): etcd $(cat "$out/etcd-disk.txt" 2>/dev/null || echo -) ms, ControlPlane $(cat "$out/controlplane-disk.txt" 2>/dev/null || echo -) ms."
  echo
  echo "| scenario | operation | etcd ops/s | CP ops/s | ratio | etcd p50 ms | CP p50 ms | ratio | etcd p99 ms | CP p99 ms | ratio | errors etcd/CP |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for entry in "${scenarios[@]}" "fill|"; do
    name=${entry%%|*}
    e=$(file_or_null "$out/etcd-$name.json"); c=$(file_or_null "$out/controlplane-$name.json")
    [[ "$e$c" != /dev/null/dev/null ]] || continue
    jq -r -n --arg s "$name" --slurpfile e "$e" --slurpfile c "$c" '
      def ops(x): (x[0].operations // []) | map({key: .name, value: .}) | from_entries;
      def r(a; b): if (a // 0) > 0 and b != null then ((b / a) * 100 | round / 100 | tostring) + "x" else "-" end;
      def v(x): if x == null then "-" else (x * 10 | round / 10 | tostring) end;
      (ops($e)) as $E | (ops($c)) as $C
      | ([$E, $C] | map(keys) | add | unique)[] as $op
      | "| \($s) | \($op) | \(v($E[$op].opsPerSecond)) | \(v($C[$op].opsPerSecond)) | \(r($E[$op].opsPerSecond; $C[$op].opsPerSecond)) | \(v($E[$op].p50Ms)) | \(v($C[$op].p50Ms)) | \(r($E[$op].p50Ms; $C[$op].p50Ms)) | \(v($E[$op].p99Ms)) | \(v($C[$op].p99Ms)) | \(r($E[$op].p99Ms; $C[$op].p99Ms)) | \($E[$op].errors // "-")/\($C[$op].errors // "-") |"'
  done
  echo
  echo "Server CPU (user+system seconds over the three members, for the whole run of the scenario including warm-up"
  echo "and key population; per op: divided by the measured operations, so an upper bound):"
  echo
  echo "| scenario | etcd CPU s | CP CPU s | etcd CPU ms/op | CP CPU ms/op | ratio per op | CP threads | client CPU s etcd / CP |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  for entry in "${scenarios[@]}" "fill|"; do
    name=${entry%%|*}
    files=()
    for t in etcd controlplane; do
      for kind in json cpu.json; do files+=("$(file_or_null "$out/$t-$name.$kind")"); done
    done
    [[ "${files[*]}" == *"/dev/null /dev/null /dev/null /dev/null"* ]] && continue
    jq -r -n --arg s "$name" --slurpfile er "${files[0]}" --slurpfile ec "${files[1]}" --slurpfile cr "${files[2]}" --slurpfile cc "${files[3]}" '
      def count(x): (x[0].operations // []) | map(.count) | add // 0;
      def perop(c; r): if (c[0].cpuSeconds // null) != null and count(r) > 0 then (c[0].cpuSeconds * 1000 / count(r)) else null end;
      def v(x): if x == null then "-" else (x * 1000 | round / 1000 | tostring) end;
      def gc(r): if r[0] == null then "-" elif r[0].clientServerGc == false then "workstation" else "server" end;
      perop($ec; $er) as $e | perop($cc; $cr) as $c
      | "| \($s) | \(v($ec[0].cpuSeconds)) | \(v($cc[0].cpuSeconds)) | \(v($e)) | \(v($c)) | \(if $e != null and $c != null and $e > 0 then (($c / $e) * 100 | round / 100 | tostring) + "x" else "-" end) | \($cc[0].threads // "-") | \(v($er[0].clientCpuSeconds)) / \(v($cr[0].clientCpuSeconds))\(if [$er[0].clientServerGc, $cr[0].clientServerGc] | any(. == false) then " (client GC: \(gc($er)) / \(gc($cr)))" else "" end) |"'
  done
  echo
  for name in watch-100 "watch-$watchers"; do
    for t in etcd controlplane; do
      f="$out/$t-$name.json"
      [[ -f "$f" ]] && jq -r --arg t "$t" '"watch (\($t)): " + (.details | to_entries | map("\(.key) \(.value)") | join(", ")) + (if (.notes | length) > 0 then "; notes: " + (.notes | join("; ")) else "" end)' "$f"
    done
  done
  echo
  [[ -f "$out/etcd-rss.json" || -f "$out/controlplane-rss.json" ]] || exit 0 # (a subshell: ends the report only)
  echo "| memory (RSS per member, MiB) | etcd | ControlPlane | ratio |"
  echo "|---|---|---|---:|"
  e=$(file_or_null "$out/etcd-rss.json"); c=$(file_or_null "$out/controlplane-rss.json")
  jq -r -n --slurpfile e "$e" --slurpfile c "$c" '
    def mib(a): (a // []) | map(. / 1024 | round) | map(tostring) | join(" / ");
    def avg(a): (a // []) | if length > 0 then (add / length) else null end;
    def r(a; b): if a != null and b != null and a > 0 then ((b / a) * 100 | round / 100 | tostring) + "x" else "-" end;
    "| idle, after start | \(mib($e[0].idleRssKiB)) | \(mib($c[0].idleRssKiB)) | \(r(avg($e[0].idleRssKiB); avg($c[0].idleRssKiB))) |",
    "| with \(($e[0].objects // $c[0].objects)) objects of 1 KiB | \(mib($e[0].loadedRssKiB)) | \(mib($c[0].loadedRssKiB)) | \(r(avg($e[0].loadedRssKiB); avg($c[0].loadedRssKiB))) |"'
) >"$report"
echo
cat "$report"
log "done: $report"
