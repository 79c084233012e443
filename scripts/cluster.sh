#!/usr/bin/env bash
# Runs the three-node ControlPlane cluster of cluster-configs/ on this machine, in the background.
#
#   scripts/cluster.sh up [--nodes N] [--timeout SECONDS] [--no-build]
#       Builds src/ControlPlane.Node and src/ControlPlane.Cli in Release (skipped when nothing under src/ or
#       protos/ changed since the last successful build), starts nodes 1..N (default 3) that are not already
#       running, waits until one node is Leader and every started node names it, then prints the status table.
#   scripts/cluster.sh down            SIGTERM to the nodes this script started, SIGKILL after --stop-timeout.
#   scripts/cluster.sh status          each node's GET /status in a table.
#   scripts/cluster.sh restart [...]   down, then up with the same options.
#   scripts/cluster.sh clean           down, then delete run/.
#
# All state lives in run/ at the repository root:
#   run/data/nodeN/     the node's data directory (Raft log, snapshots)
#   run/logs/nodeN.log  the node's stdout and stderr, appended across restarts
#   run/pids/nodeN.pid  the pid of the node this script started
#   run/build/          stamps of the last successful Release builds
#
# Needs bash and coreutils only: HTTP goes through bash's /dev/tcp. CONTROLPLANE_NODE_DLL runs another node
# build (the script then does not build the node).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR
source "$ROOT/scripts/lib/build.sh"

RUN_DIR="$ROOT/run"
CONFIG_DIR="$ROOT/cluster-configs"
NODES=""
START_TIMEOUT=60
STOP_TIMEOUT=20
BUILD=1

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

is_number() {
  [[ "$1" =~ ^[0-9]+$ ]]
}

# The node numbers that have a config file, in order: 1 2 3.
config_numbers() {
  local f n
  for f in "$CONFIG_DIR"/node*.json; do
    [[ -e "$f" ]] || continue
    n="${f##*/node}"
    n="${n%.json}"
    is_number "$n" && echo "$n"
  done | sort -n
}

config_file() {
  echo "$CONFIG_DIR/node$1.json"
}

# json_value KEY JSON : prints the first value of KEY in JSON (a string without its quotes, a number, true,
# false or null), or nothing. Enough for the flat /status document and for the first occurrence of a key in a
# config file; not a general JSON parser. Pure bash: no process per field.
json_value() {
  local pattern="\"$1\"[[:space:]]*:[[:space:]]*(\"([^\"]*)\"|([^,}[:space:]]*))"
  if [[ "$2" =~ $pattern ]]; then
    printf '%s' "${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
  fi
}

# endpoint_host_port URL : "http://127.0.0.1:7301/x" -> "127.0.0.1 7301" (wildcard hosts become 127.0.0.1).
endpoint_host_port() {
  local rest="${1#*://}"
  rest="${rest%%/*}"
  local host="${rest%:*}" port="${rest##*:}"
  case "$host" in
    "" | "*" | "+" | "0.0.0.0" | "localhost") host=127.0.0.1 ;;
  esac
  is_number "$port" || return 1
  echo "$host $port"
}

# config_endpoint N KEY : the host and port of the first KEY (AdminEndpoint, GrpcEndpoint, RaftEndpoint) in
# node N's config, which is the node's own because "Node" comes before "Cluster" in cluster-configs/.
config_endpoint() {
  local value
  value="$(json_value "$2" "$(<"$(config_file "$1")")")"
  [[ -n "$value" ]] || die "$(config_file "$1") has no $2"
  [[ "$value" == *://* ]] || value="tcp://$value"
  endpoint_host_port "$value" || die "$(config_file "$1"): cannot read a port from $2 \"$value\""
}

# http_get HOST PORT PATH : prints the response body. Returns 0 on HTTP 200, 1 when nothing listens,
# 2 on another status, 3 when the server does not answer within 3 seconds (a paused node, say).
# Runs in a subshell so the socket closes and the SIGPIPE setting stays local.
http_get() (
  local host="$1" port="$2" path="$3" fd line code
  trap '' PIPE
  { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  # HTTP/1.0: the server closes the connection after the response and does not use chunked encoding.
  printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: application/json\r\n\r\n' "$path" "$host" "$port" 1>&"$fd" 2>/dev/null || return 1
  IFS= read -r -t 3 -u "$fd" line || return 3
  code="${line#* }"
  code="${code%% *}"
  while IFS= read -r -t 3 -u "$fd" line; do
    [[ -z "${line%$'\r'}" ]] && break
  done
  while IFS= read -r -t 3 -u "$fd" line || [[ -n "$line" ]]; do
    printf '%s\n' "$line"
    line=""
  done
  [[ "$code" == "200" ]] || return 2
)

# port_in_use HOST PORT : true when something accepts connections there.
port_in_use() (
  { exec {fd}<>"/dev/tcp/$1/$2"; } 2>/dev/null
)

pid_file() {
  echo "$RUN_DIR/pids/node$1.pid"
}

log_file() {
  echo "$RUN_DIR/logs/node$1.log"
}

# node_pid N : prints the pid of node N when the pid file names a live ControlPlane.Node process started with
# node N's config; returns 1 otherwise (no pid file, process gone, or the pid now belongs to something else).
node_pid() {
  local file pid cmdline
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  is_number "$pid" && pid_alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *ControlPlane.Node* && "$cmdline" == *"$(config_file "$1")"* ]] || return 1
  echo "$pid"
}

# pid_alive PID : true while the process exists and is not a zombie.
pid_alive() {
  local state
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != "Z" ]]
}

with_lock() {
  mkdir -p "$RUN_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/.lock"
    flock -w 120 9 || die "another cluster.sh holds $RUN_DIR/.lock"
  fi
}

start_node() {
  local n="$1" pid cfg log host port key
  cfg="$(config_file "$n")"
  log="$(log_file "$n")"
  if pid="$(node_pid "$n")"; then
    echo "node$n: already running (pid $pid)"
    return 0
  fi
  rm -f "$(pid_file "$n")"
  for key in AdminEndpoint GrpcEndpoint RaftEndpoint; do
    read -r host port <<<"$(config_endpoint "$n" "$key")"
    if port_in_use "$host" "$port"; then
      die "node$n: $key $host:$port is already taken by a process this script did not start (another cluster? see 'ss -ltnp')"
    fi
  done
  mkdir -p "$RUN_DIR/data/node$n" "$RUN_DIR/logs" "$RUN_DIR/pids"
  echo "==== $(date '+%F %T') cluster.sh: starting node$n" >>"$log"
  nohup dotnet "$NODE_DLL" --config "$cfg" "--ControlPlane:Node:DataDirectory=$RUN_DIR/data/node$n" \
    </dev/null >>"$log" 2>&1 9>&- &
  echo "$!" >"$(pid_file "$n")"
  echo "node$n: started (pid $!, log $log)"
}

# wait_for_leader N... : until one started node reports role Leader and every started node names the same
# leaderRaftEndpoint, or START_TIMEOUT passes.
wait_for_leader() {
  local deadline=$((SECONDS + START_TIMEOUT)) n host port body role named leader agreed seen_leader_role
  local -a seen
  while :; do
    agreed=1
    seen_leader_role=0
    leader=""
    seen=()
    for n in "$@"; do
      if ! node_pid "$n" >/dev/null; then
        echo "cluster.sh: node$n exited while the cluster was starting; last lines of $(log_file "$n"):" >&2
        tail -n 30 "$(log_file "$n")" >&2 || true
        echo "cluster.sh: the other nodes are left running; stop them with: scripts/cluster.sh down" >&2
        return 1
      fi
      read -r host port <<<"$(config_endpoint "$n" AdminEndpoint)"
      if ! body="$(http_get "$host" "$port" /status)"; then
        seen+=("node$n: no /status answer yet on $host:$port")
        agreed=0
        continue
      fi
      role="$(json_value role "$body")"
      named="$(json_value leaderRaftEndpoint "$body")"
      seen+=("node$n: role=${role:-?} term=$(json_value term "$body") leader=${named:-none}")
      [[ "$role" == "Leader" ]] && seen_leader_role=1
      if [[ -z "$named" || "$named" == "null" ]]; then
        agreed=0
      elif [[ -z "$leader" ]]; then
        leader="$named"
      elif [[ "$named" != "$leader" ]]; then
        agreed=0
      fi
    done
    if [[ $agreed -eq 1 && $seen_leader_role -eq 1 && -n "$leader" ]]; then
      echo "leader: $leader, named by all ${#seen[@]} started nodes"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      echo "cluster.sh: no agreed leader after ${START_TIMEOUT}s: expected one node with role Leader and every started node naming it; last seen:" >&2
      printf '  %s\n' "${seen[@]}" >&2
      echo "cluster.sh: logs in $RUN_DIR/logs/; the nodes are left running; stop them with: scripts/cluster.sh down" >&2
      return 1
    fi
    sleep 0.5
  done
}

cmd_up() {
  local -a numbers
  mapfile -t numbers < <(config_numbers)
  ((${#numbers[@]} > 0)) || die "no node configs in $CONFIG_DIR (expected node1.json, node2.json, ...)"
  local count="${NODES:-${#numbers[@]}}"
  ((count >= 1 && count <= ${#numbers[@]})) || die "--nodes $count: there are ${#numbers[@]} configs in $CONFIG_DIR"
  local -a selected=("${numbers[@]:0:count}")

  with_lock
  if [[ $BUILD -eq 1 ]]; then
    if [[ -z "${CONTROLPLANE_NODE_DLL:-}" ]]; then
      ensure_release_build ControlPlane.Node "$NODE_DLL"
    fi
    ensure_release_build ControlPlane.Cli "$CLI_DLL"
  fi
  [[ -f "$NODE_DLL" ]] || die "node build not found: $NODE_DLL (run without --no-build, or: dotnet build -c Release src/ControlPlane.Node)"

  local n
  for n in "${selected[@]}"; do
    start_node "$n"
  done

  local quorum=$((${#numbers[@]} / 2 + 1))
  if ((${#selected[@]} < quorum)); then
    echo "cluster.sh: started ${#selected[@]} of ${#numbers[@]} members, fewer than a quorum ($quorum): no leader can be elected; not waiting" >&2
  else
    wait_for_leader "${selected[@]}"
  fi
  echo
  cmd_status
}

cmd_down() {
  with_lock
  local file n pid
  local -a stopping=()
  shopt -s nullglob
  for file in "$RUN_DIR"/pids/node*.pid; do
    n="${file##*/node}"
    n="${n%.pid}"
    if pid="$(node_pid "$n")"; then
      # A paused (SIGSTOP) node handles SIGTERM only once continued.
      kill -CONT "$pid" 2>/dev/null || true
      kill -TERM "$pid" 2>/dev/null || true
      echo "node$n: SIGTERM sent (pid $pid)"
      stopping+=("$n:$pid")
    else
      echo "node$n: not running (pid file $(<"$file") is stale or names another process; left alone)"
      rm -f "$file"
    fi
  done
  shopt -u nullglob
  ((${#stopping[@]} > 0)) || {
    echo "no running nodes"
    return 0
  }

  local deadline=$((SECONDS + STOP_TIMEOUT)) entry remaining
  while :; do
    remaining=0
    for entry in "${stopping[@]}"; do
      pid_alive "${entry#*:}" && remaining=1
    done
    ((remaining == 0 || SECONDS >= deadline)) && break
    sleep 0.2
  done
  for entry in "${stopping[@]}"; do
    n="${entry%%:*}"
    pid="${entry#*:}"
    if pid_alive "$pid"; then
      echo "node$n: still running after ${STOP_TIMEOUT}s, SIGKILL (pid $pid)"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 5))
      while pid_alive "$pid" && ((SECONDS < deadline)); do
        sleep 0.1
      done
      pid_alive "$pid" && echo "node$n: pid $pid survived SIGKILL" >&2
    else
      echo "node$n: stopped"
    fi
    rm -f "$(pid_file "$n")"
  done
}

cmd_status() {
  local fmt='%-6s %-8s %-9s %-11s %-5s %-16s %-8s %-8s %-8s %-7s %s\n'
  # shellcheck disable=SC2059
  printf "$fmt" NODE PID PROCESS ROLE TERM LEADER LASTLOG COMMIT APPLIED OBJECTS STATEHASH
  local n pid proc host port body rc
  while read -r n; do
    if pid="$(node_pid "$n")"; then
      proc=running
    elif [[ -f "$(pid_file "$n")" ]]; then
      pid="$(<"$(pid_file "$n")")"
      proc=exited
    else
      pid=-
      proc=stopped
    fi
    read -r host port <<<"$(config_endpoint "$n" AdminEndpoint)"
    rc=0
    body="$(http_get "$host" "$port" /status)" || rc=$?
    if [[ $rc -eq 0 ]]; then
      local hash
      hash="$(json_value stateHash "$body")"
      # shellcheck disable=SC2059
      printf "$fmt" "node$n" "$pid" "$proc" "$(json_value role "$body")" "$(json_value term "$body")" \
        "$(json_value leaderRaftEndpoint "$body")" "$(json_value lastLogIndex "$body")" \
        "$(json_value commitIndex "$body")" "$(json_value appliedIndex "$body")" \
        "$(json_value objectCount "$body")" "${hash:0:16}"
    else
      local why
      case $rc in
        1) why=unreachable ;;
        2) why=http-error ;;
        *) why=no-answer ;;
      esac
      # shellcheck disable=SC2059
      printf "$fmt" "node$n" "$pid" "$proc" "$why" - - - - - - -
    fi
  done < <(config_numbers)
  echo "state: $RUN_DIR (data/, logs/, pids/)"
}

cmd_clean() {
  cmd_down
  [[ -n "$RUN_DIR" && "$RUN_DIR" == "$ROOT/run" ]] || die "refusing to delete '$RUN_DIR'"
  rm -rf "$RUN_DIR"
  echo "removed $RUN_DIR"
}

# option_number OPTION VALUE... : checks that OPTION is followed by a whole number.
option_number() {
  if (($# < 2)) || ! is_number "$2"; then
    die "$1 needs a whole number"
  fi
}

main() {
  local command=""
  while (($# > 0)); do
    case "$1" in
      up | down | status | restart | clean)
        [[ -z "$command" ]] || die "two commands given: $command and $1"
        command="$1"
        ;;
      --nodes)
        option_number "$@"
        NODES="$2"
        shift
        ;;
      --timeout)
        option_number "$@"
        START_TIMEOUT="$2"
        shift
        ;;
      --stop-timeout)
        option_number "$@"
        STOP_TIMEOUT="$2"
        shift
        ;;
      --no-build) BUILD=0 ;;
      -h | --help | help)
        usage
        return 0
        ;;
      *) die "unknown argument '$1' (try --help)" ;;
    esac
    shift
  done
  cd "$ROOT"
  case "$command" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    restart)
      cmd_down
      cmd_up
      ;;
    clean) cmd_clean ;;
    "")
      usage >&2
      return 2
      ;;
  esac
}

main "$@"
