#!/usr/bin/env bash
# Runs the three-node ControlPlane cluster of cluster-configs/ on this machine, in the background.
#
#   scripts/cluster.sh up [--secure] [--nodes N] [--timeout SECONDS] [--no-build]
#       Builds src/ControlPlane.Node and src/ControlPlane.Cli in Release (skipped when nothing under src/ or
#       protos/ changed since the last successful build), starts nodes 1..N (default 3) that are not already
#       running, waits until one node is Leader and every started node names it, then prints the status table.
#       --secure: TLS on every link and bearer tokens (run/secure/: a cluster CA and member certificates from
#       `cpctl certs create`, tokens.csv with a member and an admin token, admin.token). The mode sticks to run/
#       until `clean`: later commands (up, add-node, ...) use it, and scripts/cpctl then talks https with the admin
#       token. A plaintext run/data cannot switch modes: clean first.
#   scripts/cluster.sh down            SIGTERM to the nodes this script started, SIGKILL after --stop-timeout.
#   scripts/cluster.sh status          each node's GET /status in a table.
#   scripts/cluster.sh restart [...]   down, then up with the same options.
#   scripts/cluster.sh clean           down, then delete run/.
#   scripts/cluster.sh add-node N [--wipe]
#       Starts node N from cluster-configs/nodeN.json (a config with no InitialMembers, like node4.json), waits
#       until it answers, then adds it to the running cluster with `cpctl member add` (the leader catches it up
#       first). --wipe first deletes run/data/nodeN, which a node removed earlier needs: it refuses its old data.
#   scripts/cluster.sh remove-node N   `cpctl member remove nodeN`, then stops node N. Its data directory is
#       marked removed; add it again with add-node N --wipe.
#   scripts/cluster.sh replace-node OLD NEW [--wipe]
#       Starts node NEW as add-node does, runs `cpctl member replace nodeOLD nodeNEW` (add NEW, then remove OLD;
#       stops before the removal if the add fails), then stops node OLD.
#   scripts/cluster.sh restore FILE [--wipe]
#       Rebuilds the cluster from a snapshot saved with `cpctl snapshot save FILE`: builds each initial member's
#       data directory with `cpctl snapshot restore FILE`, then starts them (every object keeps its resourceVersion). Refuses
#       while run/data/ holds data, unless --wipe (which stops the nodes and deletes run/data/ first).
#
# `up` starts the initial members: the configs whose InitialMembers list is not empty (node1..node3), and the
# nodes added later that have a data directory; the other configs (node4.json, node5.json) describe nodes to add
# with add-node. A node whose data directory is marked removed is skipped.
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
SECURE_DIR="$RUN_DIR/secure"
SECURE=0
CONFIG_DIR="$ROOT/cluster-configs"
NODES=""
START_TIMEOUT=60
STOP_TIMEOUT=20
BUILD=1
WIPE=0
TARGET=""

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

# initial_numbers : the node numbers whose config lists initial members (the nodes `up` starts), in order.
initial_numbers() {
  local n empty='"InitialMembers"[[:space:]]*:[[:space:]]*\[[[:space:]]*\]'
  while read -r n; do
    [[ "$(<"$(config_file "$n")")" =~ $empty ]] || echo "$n"
  done < <(config_numbers)
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

# secure_mode : true when run/ holds a secure cluster's material (made by `up --secure`).
secure_mode() {
  [[ -f "$SECURE_DIR/tokens.csv" ]]
}

grpc_scheme() {
  if secure_mode; then echo https; else echo http; fi
}

# random_token : 32 URL-safe characters from /dev/urandom.
random_token() {
  head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# ensure_secure_material : the CA, one certificate per configured node, and the token file, once.
ensure_secure_material() {
  secure_mode && return 0
  if [[ -d "$RUN_DIR/data" ]] && [[ -n "$(ls -A "$RUN_DIR/data" 2>/dev/null)" ]]; then
    die "$RUN_DIR/data belongs to a plaintext cluster; a secure one starts from empty data directories: scripts/cluster.sh clean first"
  fi
  local n
  local -a names=()
  while read -r n; do names+=("$(node_name "$n")"); done < <(config_numbers)
  mkdir -p "$SECURE_DIR"
  chmod 700 "$SECURE_DIR"
  rm -rf "$SECURE_DIR/certs"
  dotnet "$CLI_DLL" certs create --out "$SECURE_DIR/certs" "${names[@]}" >/dev/null
  local member admin
  member="$(random_token)"
  admin="$(random_token)"
  (
    umask 077
    printf '%s\n' "$admin" >"$SECURE_DIR/admin.token"
    printf '# token,principal,role (made by cluster.sh up --secure)\n%s,system:member,member\n%s,admin,admin\n' "$member" "$admin" >"$SECURE_DIR/tokens.csv.tmp"
  )
  mv "$SECURE_DIR/tokens.csv.tmp" "$SECURE_DIR/tokens.csv"
  echo "secure: CA and certificates in $SECURE_DIR/certs, tokens in $SECURE_DIR/tokens.csv, admin token in $SECURE_DIR/admin.token"
}

# secure_args N : the node arguments of secure mode: token file, TLS files, and https:// for the gRPC endpoints
# of the node and of the initial members its config lists (the config holds http:// ones).
secure_args() {
  local n="$1" name config i=0 value pattern='"GrpcEndpoint"[[:space:]]*:[[:space:]]*"http://([^"]*)"'
  name="$(node_name "$n")"
  config="$(<"$(config_file "$n")")"
  echo "--ControlPlane:Security:TokenFile=$SECURE_DIR/tokens.csv"
  echo "--ControlPlane:Security:Tls:CertificateFile=$SECURE_DIR/certs/$name.crt"
  echo "--ControlPlane:Security:Tls:KeyFile=$SECURE_DIR/certs/$name.key"
  echo "--ControlPlane:Security:Tls:CaFile=$SECURE_DIR/certs/ca.crt"
  # The first GrpcEndpoint is the node's own ("Node" comes before "Cluster"), the others the initial members' in order.
  while [[ "$config" =~ $pattern ]]; do
    value="https://${BASH_REMATCH[1]}"
    if ((i == 0)); then
      echo "--ControlPlane:Node:GrpcEndpoint=$value"
    else
      echo "--ControlPlane:Cluster:InitialMembers:$((i - 1)):GrpcEndpoint=$value"
    fi
    config="${config#*"${BASH_REMATCH[0]}"}"
    i=$((i + 1))
  done
}

# start_node N [ARG...] : starts node N unless it runs; extra arguments go to the node.
start_node() {
  local n="$1" pid cfg log host port key
  shift
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
  if secure_mode; then
    local -a secure
    mapfile -t secure < <(secure_args "$n")
    set -- "${secure[@]}" "$@"
  fi
  echo "==== $(date '+%F %T') cluster.sh: starting node$n" >>"$log"
  nohup dotnet "$NODE_DLL" --config "$cfg" "--ControlPlane:Node:DataDirectory=$RUN_DIR/data/node$n" "$@" \
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

ensure_builds() {
  if [[ $BUILD -eq 1 ]]; then
    if [[ -z "${CONTROLPLANE_NODE_DLL:-}" ]]; then
      ensure_release_build ControlPlane.Node "$NODE_DLL"
    fi
    ensure_release_build ControlPlane.Cli "$CLI_DLL"
  fi
  [[ -f "$NODE_DLL" ]] || die "node build not found: $NODE_DLL (run without --no-build, or: dotnet build -c Release src/ControlPlane.Node)"
}

# cmd_up : starts the initial members and waits for a leader.
cmd_up() {
  local -a numbers
  mapfile -t numbers < <(initial_numbers)
  ((${#numbers[@]} > 0)) || die "no node configs with initial members in $CONFIG_DIR (expected node1.json, node2.json, ...)"
  local count="${NODES:-${#numbers[@]}}"
  ((count >= 1 && count <= ${#numbers[@]})) || die "--nodes $count: there are ${#numbers[@]} initial-member configs in $CONFIG_DIR"
  local -a selected=() n
  # Initial members, except one whose data was marked removed (it would refuse to start); then the nodes added
  # later (add-node), which have a data directory.
  for n in "${numbers[@]:0:count}" $(config_numbers); do
    [[ " ${selected[*]} " == *" $n "* ]] && continue
    if [[ -e "$RUN_DIR/data/node$n/REMOVED" ]]; then
      echo "node$n: skipped, it was removed from the cluster (add it again with: scripts/cluster.sh add-node $n --wipe)"
    elif [[ " ${numbers[*]:0:count} " == *" $n "* || -d "$RUN_DIR/data/node$n/log" || -d "$RUN_DIR/data/node$n/wal" ]]; then
      selected+=("$n")
    fi
  done

  with_lock
  ensure_builds
  if ((SECURE == 1)); then
    ensure_secure_material
  elif secure_mode; then
    echo "secure mode: $SECURE_DIR (kept until scripts/cluster.sh clean)"
  fi

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

# stop_entries N:PID... : SIGTERM was sent to each; waits up to STOP_TIMEOUT, then SIGKILLs what is left.
stop_entries() {
  local deadline=$((SECONDS + STOP_TIMEOUT)) entry remaining n pid
  while :; do
    remaining=0
    for entry in "$@"; do
      pid_alive "${entry#*:}" && remaining=1
    done
    ((remaining == 0 || SECONDS >= deadline)) && break
    sleep 0.2
  done
  for entry in "$@"; do
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

# terminate N : SIGTERM to node N when this script runs it; prints the N:PID entry for stop_entries.
terminate() {
  local pid
  pid="$(node_pid "$1")" || return 1
  # A paused (SIGSTOP) node handles SIGTERM only once continued.
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  echo "node$1: SIGTERM sent (pid $pid)" >&2
  echo "$1:$pid"
}

cmd_down() {
  with_lock
  local file n entry
  local -a stopping=()
  shopt -s nullglob
  for file in "$RUN_DIR"/pids/node*.pid; do
    n="${file##*/node}"
    n="${n%.pid}"
    if entry="$(terminate "$n")"; then
      stopping+=("$entry")
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
  stop_entries "${stopping[@]}"
}

# cpctl_others N ARG... : runs cpctl against every configured node except N.
cpctl_others() {
  local skip="$1" n host port endpoints=""
  shift
  while read -r n; do
    [[ "$n" == "$skip" ]] && continue
    read -r host port <<<"$(config_endpoint "$n" GrpcEndpoint)"
    endpoints+="${endpoints:+,}$(grpc_scheme)://$host:$port"
  done < <(config_numbers)
  if secure_mode; then
    set -- --token-file "$SECURE_DIR/admin.token" --ca-file "$SECURE_DIR/certs/ca.crt" "$@"
  fi
  dotnet "$CLI_DLL" --endpoints "$endpoints" "$@"
}

# wait_for_health N : until node N answers GET /healthz, or START_TIMEOUT passes.
wait_for_health() {
  local n="$1" host port deadline=$((SECONDS + START_TIMEOUT))
  read -r host port <<<"$(config_endpoint "$n" AdminEndpoint)"
  until http_get "$host" "$port" /healthz >/dev/null; do
    if ! node_pid "$n" >/dev/null; then
      echo "cluster.sh: node$n exited while starting; last lines of $(log_file "$n"):" >&2
      tail -n 30 "$(log_file "$n")" >&2 || true
      return 1
    fi
    ((SECONDS < deadline)) || die "node$n did not answer GET /healthz within ${START_TIMEOUT}s (log: $(log_file "$n"))"
    sleep 0.3
  done
}

node_name() {
  local name
  name="$(json_value Name "$(<"$(config_file "$1")")")"
  [[ -n "$name" ]] || die "$(config_file "$1") has no Name"
  echo "$name"
}

# start_joining N : starts node N to be added (wiping its data first under --wipe) and waits until it answers.
start_joining() {
  local n="$1" data="$RUN_DIR/data/node$1"
  if [[ -e "$data/REMOVED" ]]; then
    [[ $WIPE -eq 1 ]] || die "$data belongs to a member that was removed and cannot rejoin with it; rerun with --wipe to delete it"
  fi
  if [[ $WIPE -eq 1 ]]; then
    node_pid "$n" >/dev/null && die "node$n is running; remove-node $n (or stop it) before wiping its data"
    rm -rf "$data"
    echo "node$n: deleted $data"
  fi
  ensure_builds
  # Join: ignore the config's InitialMembers (node1..node3 have them), so the node waits to be added.
  start_node "$n" --ControlPlane:Cluster:Join=true
  wait_for_health "$n"
}

# member_endpoints N : node N's `--raft IP:PORT --grpc URL` for cpctl member add and replace, one word a line.
member_endpoints() {
  local host port
  read -r host port <<<"$(config_endpoint "$1" RaftEndpoint)"
  printf '%s\n' --raft "$host:$port"
  read -r host port <<<"$(config_endpoint "$1" GrpcEndpoint)"
  printf '%s\n' --grpc "$(grpc_scheme)://$host:$port"
}

cmd_add_node() {
  local n="$1"
  local -a endpoints
  [[ -f "$(config_file "$n")" ]] || die "no $(config_file "$n")"
  with_lock
  start_joining "$n"
  mapfile -t endpoints < <(member_endpoints "$n")
  cpctl_others "$n" member add "$(node_name "$n")" "${endpoints[@]}"
}

cmd_replace_node() {
  local old="$1" n="$2" entry
  local -a endpoints
  [[ -f "$(config_file "$old")" ]] || die "no $(config_file "$old")"
  [[ -f "$(config_file "$n")" ]] || die "no $(config_file "$n")"
  [[ "$old" != "$n" ]] || die "replace-node needs two different nodes"
  with_lock
  start_joining "$n"
  mapfile -t endpoints < <(member_endpoints "$n")
  cpctl_others "$old" member replace "$(node_name "$old")" "$(node_name "$n")" "${endpoints[@]}"
  if entry="$(terminate "$old")"; then
    stop_entries "$entry"
  fi
  echo "node$old: stopped; $RUN_DIR/data/node$old is marked removed (add it again with: scripts/cluster.sh add-node $old --wipe)"
}

cmd_remove_node() {
  local n="$1" entry
  [[ -f "$(config_file "$n")" ]] || die "no $(config_file "$n")"
  with_lock
  ensure_builds
  cpctl_others "$n" member remove "$(node_name "$n")"
  if entry="$(terminate "$n")"; then
    stop_entries "$entry"
  fi
  echo "node$n: removed; $RUN_DIR/data/node$n is marked removed (add it again with: scripts/cluster.sh add-node $n --wipe)"
}

cmd_restore() {
  local file="$1" n
  [[ -f "$file" ]] || die "snapshot file '$file' does not exist"
  file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
  if [[ -d "$RUN_DIR/data" ]] && [[ -n "$(ls -A "$RUN_DIR/data" 2>/dev/null)" ]]; then
    [[ $WIPE -eq 1 ]] || die "$RUN_DIR/data holds data; a restore starts from empty data directories: rerun with --wipe to stop the nodes and delete it"
    cmd_down
    rm -rf "$RUN_DIR/data"
    echo "deleted $RUN_DIR/data"
  fi
  with_lock
  ensure_builds
  # Each initial member's data directory is built offline by `cpctl snapshot restore` (which checks the file and
  # refuses a used directory), then the members start on them as usual.
  local -a numbers
  mapfile -t numbers < <(initial_numbers)
  for n in "${numbers[@]:0:${NODES:-${#numbers[@]}}}"; do
    dotnet "$CLI_DLL" snapshot restore "$file" --config "$(config_file "$n")" --data-dir "$RUN_DIR/data/node$n" \
      --node-binary "$NODE_DLL" || die "node$n: cpctl snapshot restore failed (see above)"
  done
  cmd_up
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
      add-node | remove-node)
        [[ -z "$command" ]] || die "two commands given: $command and $1"
        option_number "$@"
        command="$1"
        TARGET="$2"
        shift
        ;;
      replace-node)
        [[ -z "$command" ]] || die "two commands given: $command and $1"
        if (($# < 3)) || ! is_number "$2" || ! is_number "$3"; then
          die "replace-node needs two node numbers: OLD NEW"
        fi
        command="$1"
        TARGET="$2 $3"
        shift 2
        ;;
      restore)
        [[ -z "$command" ]] || die "two commands given: $command and $1"
        (($# >= 2)) || die "restore needs the snapshot file"
        command="$1"
        TARGET="$2"
        shift
        ;;
      --wipe) WIPE=1 ;;
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
      --secure) SECURE=1 ;;
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
    add-node) cmd_add_node "$TARGET" ;;
    remove-node) cmd_remove_node "$TARGET" ;;
    replace-node) cmd_replace_node "${TARGET% *}" "${TARGET#* }" ;;
    restore) cmd_restore "$TARGET" ;;
    "")
      usage >&2
      return 2
      ;;
  esac
}

main "$@"
