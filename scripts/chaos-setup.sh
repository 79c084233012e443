#!/usr/bin/env bash
# Prepares this machine for the chaos test tier (tests/ControlPlane.ChaosTests), offline, without any registry.
#
#   1. installs docker.io, iproute2, iptables and busybox-static from Debian if they are missing;
#   2. starts dockerd if nothing answers (mounting cgroups first where no init system did), never restarts a running one;
#   3. builds the base image from the host's own libraries and .NET runtime (skipped when its tag exists);
#   4. builds the node image: a framework-dependent publish of src/ControlPlane.Node layered on the base (every run);
#   5. removes containers and networks left behind by crashed test runs (label controlplane.chaos=true).
#
# Idempotent and non-interactive (CI=true, no stdin). Needs root and the dotnet SDK on PATH.
# Knobs (environment):
#   CHAOS_NODE_IMAGE   node image tag                       default controlplane-node:chaos
#   CHAOS_BASE_IMAGE   base image tag                       default controlplane-chaos-base:dotnet-<runtime>-r<recipe>
#   CHAOS_SKIP_NODE=1  build only the base image (for the infrastructure self-test)
#   CHAOS_NO_CLEANUP=1 keep leftovers of earlier runs (to inspect them)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_project="$repo_root/src/ControlPlane.Node/ControlPlane.Node.csproj"
node_dll=ControlPlane.Node.dll
node_image=${CHAOS_NODE_IMAGE:-controlplane-node:chaos}
label=controlplane.chaos
# Bump when the base image recipe below changes, so existing hosts rebuild it.
base_recipe=1

script_start=$(date +%s%N)
step_start=$script_start
log() { echo "[chaos-setup $(date +%T)] $*"; }
fail() { echo "[chaos-setup] ERROR: $*" >&2; exit 1; }
elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
step_done() { log "$1 done in $(elapsed_ms "$step_start") ms"; step_start=$(date +%s%N); }

[ "$(id -u)" -eq 0 ] || fail "must run as root (apt-get, dockerd, docker socket)"
command -v dotnet >/dev/null || fail "dotnet SDK not on PATH"

# --- 1. packages ---------------------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v ip >/dev/null || missing+=(iproute2)
command -v iptables >/dev/null || missing+=(iptables)
# (grep without -q: under pipefail an early exit would SIGPIPE busybox and fail the test)
[ -x /bin/busybox ] && /bin/busybox --list | grep -x httpd >/dev/null || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -q </dev/null
  # Keep Recommends: docker.io's bring cgroupfs-mount (for hosts where no init system mounts cgroups) and tini (docker-init).
  apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null
  step_done "packages"
else
  step_done "packages (already installed)"
fi

# --- 2. docker daemon ----------------------------------------------------------------------------------------------
docker_answers() { timeout 10 docker info >/dev/null 2>&1; }
if ! docker_answers; then
  if [ -z "$(ls -A /sys/fs/cgroup 2>/dev/null)" ]; then
    log "mounting cgroups (no init system did)"
    if command -v cgroupfs-mount >/dev/null; then cgroupfs-mount; else mount -t cgroup2 none /sys/fs/cgroup; fi
  fi
  log "starting dockerd (log: /var/log/dockerd.log)"
  # setsid + nohup: the daemon outlives this script and the CI step that ran it.
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  deadline=$(( $(date +%s) + 60 ))
  until docker_answers; do
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 50 /var/log/dockerd.log >&2; fail "dockerd did not answer within 60 s"; }
    sleep 0.5
  done
  step_done "dockerd start"
else
  step_done "dockerd (already running)"
fi
log "docker server $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# --- 3. base image: host glibc/libstdc++/openssl + the host's .NET runtime + sh, ip, iptables, busybox --------------
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -n1)
[ -n "$runtime" ] || fail "no ASP.NET Core runtime under $dotnet_root/shared"
base_image=${CHAOS_BASE_IMAGE:-controlplane-chaos-base:dotnet-$runtime-r$base_recipe}

if docker image inspect "$base_image" >/dev/null 2>&1; then
  step_done "base image $base_image (exists)"
else
  log "building $base_image from the host's libraries and .NET $runtime"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  lib=/usr/lib/x86_64-linux-gnu
  mkdir -p "$rootfs"/{usr/lib/x86_64-linux-gnu,usr/lib64,usr/bin,usr/sbin,usr/share/dotnet,etc,tmp,app,data,root,run,var,proc,sys,dev}
  ln -s usr/lib "$rootfs/lib"; ln -s usr/lib64 "$rootfs/lib64"; ln -s usr/bin "$rootfs/bin"; ln -s usr/sbin "$rootfs/sbin"
  ln -s ../run "$rootfs/var/run"
  chmod 1777 "$rootfs/tmp"
  copy_to_same_path() { mkdir -p "$rootfs$(dirname "$1")"; cp -L "$1" "$rootfs$(dirname "$1")/"; }
  shared_libs_of() { ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'; }
  tools=(/bin/sh /usr/bin/ip /usr/sbin/iptables /usr/sbin/iptables-legacy /usr/sbin/iptables-nft)
  cp -a "$dotnet_root"/{dotnet,host,shared} "$rootfs/usr/share/dotnet/"
  ln -s /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
  # The loader, what the runtime links against, and what it dlopens (OpenSSL). No ICU: invariant globalization.
  {
    printf '%s\n' "$lib/ld-linux-x86-64.so.2" "$lib/libssl.so.3" "$lib/libcrypto.so.3"
    find "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" -type f \( -name '*.so' -o -name dotnet \) |
      while read -r f; do shared_libs_of "$f"; done
    for t in "${tools[@]}"; do
      [ -e "$t" ] || continue
      f=$(readlink -f "$t"); echo "$f"; shared_libs_of "$f"
    done
  } | sort -u | while read -r f; do copy_to_same_path "$f"; done
  ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/usr/lib64/ld-linux-x86-64.so.2"
  # xtables-*-multi choose legacy or nft from argv[0]: keep the tool names as links to the real binary.
  for t in "${tools[@]}"; do
    [ -e "$t" ] || continue
    real=$(readlink -f "$t")
    [ "$real" != "$t" ] && ln -sf "$real" "$rootfs$t"
  done
  mkdir -p "$rootfs$lib/xtables"; cp -a "$lib/xtables/." "$rootfs$lib/xtables/"   # extensions: statistic, REJECT...
  # busybox-static: nc, wget, httpd, timeout... for probes inside containers; no shared libraries.
  cp /bin/busybox "$rootfs/usr/bin/busybox"
  mkdir -p "$rootfs/usr/local/bin"
  for applet in $(/bin/busybox --list); do   # ls, cat, ps... last on PATH, after the real sh, ip and iptables
    [ -e "$rootfs/usr/bin/$applet" ] || [ -e "$rootfs/usr/sbin/$applet" ] || ln -s /usr/bin/busybox "$rootfs/usr/local/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/app:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' >"$rootfs/etc/group"
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/bin:/usr/sbin:/bin:/usr/local/bin DOTNET_ROOT=/usr/share/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_EnableDiagnostics=0 DOTNET_CLI_TELEMETRY_OPTOUT=1' \
    -c 'WORKDIR /app' \
    -c "LABEL $label.image=base" \
    - "$base_image" >/dev/null
  rm -rf "$rootfs"; trap - EXIT
  step_done "base image $base_image ($(docker image inspect -f '{{.Size}}' "$base_image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
fi

# --- 4. node image: framework-dependent publish of the current tree, layered on the base ---------------------------
if [ "${CHAOS_SKIP_NODE:-0}" = 1 ]; then
  log "node image skipped (CHAOS_SKIP_NODE=1)"
elif ! ls "$repo_root"/src/ControlPlane.Node/*.cs >/dev/null 2>&1; then
  fail "src/ControlPlane.Node has no sources yet: set CHAOS_SKIP_NODE=1 to build only the base image"
else
  publish=$(mktemp -d)
  trap 'rm -rf "$publish"' EXIT
  dotnet publish "$node_project" -c Release -o "$publish" -p:UseAppHost=false --nologo -v q </dev/null
  step_done "dotnet publish ControlPlane.Node"
  printf 'FROM %s\nCOPY . /app/\nLABEL %s.image=node\nENTRYPOINT ["dotnet", "/app/%s"]\n' \
    "$base_image" "$label" "$node_dll" >"$publish/Dockerfile"
  # The legacy builder (no buildx here) warns that it is deprecated on stderr: show its output only on failure.
  DOCKER_BUILDKIT=0 docker build -q -t "$node_image" "$publish" >"$publish.build.log" 2>&1 ||
    { cat "$publish.build.log" >&2; rm -f "$publish.build.log"; fail "docker build of $node_image failed"; }
  rm -f "$publish.build.log"
  rm -rf "$publish"; trap - EXIT
  # The previous node image is now untagged: drop it so repeated runs do not pile up layers.
  docker image prune -f --filter "label=$label.image=node" >/dev/null
  step_done "node image $node_image"
fi

# --- 5. leftovers of crashed runs (Ryuk is off, so nothing else reaps them) ----------------------------------------
if [ "${CHAOS_NO_CLEANUP:-0}" = 1 ]; then
  log "cleanup skipped (CHAOS_NO_CLEANUP=1)"
else
  containers=$(docker ps -aq --filter "label=$label=true")
  [ -z "$containers" ] || docker rm -f $containers >/dev/null
  networks=$(docker network ls -q --filter "label=$label=true")
  [ -z "$networks" ] || docker network rm $networks >/dev/null
  step_done "cleanup ($(echo "$containers" | grep -c . || true) containers, $(echo "$networks" | grep -c . || true) networks)"
fi

log "ready in $(elapsed_ms "$script_start") ms: base $base_image, node $node_image"
echo "CHAOS_BASE_IMAGE=$base_image"
echo "CHAOS_NODE_IMAGE=$node_image"
