#!/usr/bin/env bash
# Builds the single mycoswarm executable for each target into dist/.
#
#   bash compile.sh                       # both targets (needs internet for denort)
#   bash compile.sh x86_64-unknown-linux-gnu
#   DENORT_BIN=/path/to/denort bash compile.sh x86_64-unknown-linux-gnu   # offline
#
# `deno compile` embeds the program in a copy of Deno's runtime (denort), which
# it downloads per target. Offline, point DENORT_BIN at a denort binary of the
# same Deno version built for the target.
set -euo pipefail
cd "$(dirname "$0")"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu)

# Every permission the program uses, and nothing more: network (model server,
# peers, mDNS), files under MYCOSWARM_HOME, the environment, hardware probes
# (nvidia-smi, rocm-smi, df, system_profiler) and system info (hostname, RAM).
perms=(--allow-net --allow-read --allow-write --allow-env --allow-run --allow-sys)

command -v deno >/dev/null || { echo "compile.sh: deno is not installed (npm install -g deno@2.9.6)" >&2; exit 1; }

if [ -n "${DENORT_BIN:-}" ] && [ ! -x "$DENORT_BIN" ]; then
  echo "compile.sh: DENORT_BIN=$DENORT_BIN is not an executable file" >&2
  exit 1
fi
if [ -n "${DENORT_BIN:-}" ] && [ ${#targets[@]} -ne 1 ]; then
  # One denort runs on one target: using it for two would ship the wrong runtime.
  echo "compile.sh: with DENORT_BIN, name the one target it is built for, e.g. bash compile.sh x86_64-unknown-linux-gnu" >&2
  exit 2
fi

for target in "${targets[@]}"; do
  case "$target" in
    x86_64-unknown-linux-gnu|aarch64-unknown-linux-gnu|x86_64-apple-darwin|aarch64-apple-darwin) ;;
    *) echo "compile.sh: unknown target '$target'" >&2; exit 2 ;;
  esac
done

mkdir -p dist
version=$(deno eval 'console.log(JSON.parse(Deno.readTextFileSync("deno.json")).version)')
for target in "${targets[@]}"; do
  out="dist/mycoswarm-$version-$target"
  echo "compile.sh: building $out" >&2
  log=$(mktemp)
  if ! deno compile "${perms[@]}" --target "$target" --output "$out" main.ts >"$log" 2>&1; then
    if [ -z "${DENORT_BIN:-}" ] && grep -qiE 'dl\.deno\.land|dns error|error sending request' "$log"; then
      echo "compile.sh: cannot download Deno's runtime (denort) for $target: this machine is offline. Set DENORT_BIN to a denort $(deno --version | head -1 | cut -d' ' -f2) binary for $target and run again." >&2
    else
      cat "$log" >&2
    fi
    rm -f "$log" "$out".tmp-*
    exit 1
  fi
  rm -f "$log"
done
echo "compile.sh: done: $(ls dist | tr '\n' ' ')" >&2
