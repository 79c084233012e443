# shellcheck shell=bash
# Shared by scripts/cluster.sh and scripts/cpctl: build src projects in Release, skipping a project only when
# its output exists and nothing it could depend on changed since its last successful build.
# The caller sets ROOT (the repository root).

# shellcheck disable=SC2034 # used by the scripts that source this file
# CONTROLPLANE_NODE_DLL runs another node build (for example a Debug one); the script then does not build the node.
NODE_DLL="${CONTROLPLANE_NODE_DLL:-$ROOT/src/ControlPlane.Node/bin/Release/net10.0/ControlPlane.Node.dll}"
# shellcheck disable=SC2034
CLI_DLL="$ROOT/src/ControlPlane.Cli/bin/Release/net10.0/cpctl.dll"
BUILD_STAMPS="$ROOT/run/build"

# Prints the first build input changed after the given stamp, or nothing. Inputs: everything under src/ and
# protos/ (folders too, so added and deleted files count) and the repository-wide build files.
changed_build_input() {
  local stamp="$1" f
  find "$ROOT/src" "$ROOT/protos" \( -name bin -o -name obj \) -prune -o -newer "$stamp" -print -quit
  for f in Directory.Build.props Directory.Packages.props global.json .editorconfig NuGet.config; do
    if [[ -e "$ROOT/$f" && "$ROOT/$f" -nt "$stamp" ]]; then
      echo "$ROOT/$f"
      return
    fi
  done
}

# ensure_release_build PROJECT DLL : builds src/PROJECT in Release unless DLL exists and the stamp of the last
# successful build of PROJECT is newer than every input. Build output goes to stderr, so callers keep stdout.
ensure_release_build() {
  local project="$1" dll="$2"
  local stamp="$BUILD_STAMPS/$project.stamp"
  if [[ -f "$dll" && -f "$stamp" && -z "$(changed_build_input "$stamp")" ]]; then
    return 0
  fi
  mkdir -p "$BUILD_STAMPS"
  # Taken before the build starts, so an edit made while it runs still counts as a change next time.
  local pending="$stamp.pending.$$"
  touch "$pending"
  echo "build: dotnet build -c Release src/$project" >&2
  if ! dotnet build "$ROOT/src/$project/$project.csproj" -c Release -nologo -v:minimal -nodeReuse:false </dev/null >&2; then
    rm -f "$pending"
    echo "build: FAILED: src/$project (errors above)" >&2
    return 1
  fi
  if [[ ! -f "$dll" ]]; then
    rm -f "$pending"
    echo "build: src/$project built but $dll is missing" >&2
    return 1
  fi
  mv -f "$pending" "$stamp"
}
